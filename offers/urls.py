from django.urls import path

from . import views

app_name = "offers"
urlpatterns = [
    path("<slug:slug>/", views.OfferDetailView.as_view(), name="detail"),
]
