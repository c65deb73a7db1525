from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.CityListView.as_view(), name="city-list"),
    path("<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
]
