from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.ProviderListView.as_view(), name="list"),
    path("<slug:slug>/", views.ProviderDetailView.as_view(), name="detail"),
]
