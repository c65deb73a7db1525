from django.urls import path

from . import views

app_name = "offers"
urlpatterns = [
    path("", views.OfferSearchView.as_view(), name="search"),
    path("map/", views.OfferMapView.as_view(), name="map"),
    path("search.json", views.search_json, name="search-json"),
    path("map.geojson", views.map_geojson, name="map-geojson"),
    path("<slug:slug>/", views.OfferDetailView.as_view(), name="detail"),
]
