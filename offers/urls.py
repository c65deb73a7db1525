from django.urls import path

from . import suggestion_views, views
from .feeds import OfferFeed

app_name = "offers"
urlpatterns = [
    path("", views.OfferSearchView.as_view(), name="search"),
    path("map/", views.OfferMapView.as_view(), name="map"),
    path("search.json", views.search_json, name="search-json"),
    path("map.geojson", views.map_geojson, name="map-geojson"),
    path("feed.atom", OfferFeed(), name="atom"),
    # Before the offer pages, whose slugs would otherwise swallow these (an offer may not
    # take them as its slug: offers.models.RESERVED_SLUGS).
    path("providers/", views.FacetChoiceView.as_view(facet="provider"), name="providers"),
    path("cities/", views.FacetChoiceView.as_view(facet="city"), name="cities"),
    path("suggest/", suggestion_views.SuggestOfferView.as_view(), name="suggest"),
    path(
        "suggest/thanks/",
        suggestion_views.SuggestionThanksView.as_view(),
        name="suggest-thanks",
    ),
    path("<slug:slug>/", views.OfferDetailView.as_view(), name="detail"),
    path("<slug:slug>/report/", suggestion_views.ReportOfferView.as_view(), name="report"),
]
