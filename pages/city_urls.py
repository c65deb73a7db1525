from django.urls import path

from . import city_views

app_name = "cities"
urlpatterns = [
    path("", city_views.CityListView.as_view(), name="list"),
    path("<slug:slug>/", city_views.CityDetailView.as_view(), name="detail"),
    path("<slug:slug>/qr.svg", city_views.city_qr, name="qr"),
]
