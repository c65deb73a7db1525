from django.urls import path

from . import provider_views

app_name = "providers"
urlpatterns = [
    path("", provider_views.ProviderListView.as_view(), name="list"),
    path("<slug:slug>/", provider_views.ProviderDetailView.as_view(), name="detail"),
]
