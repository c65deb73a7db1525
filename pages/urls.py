from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("info/", views.PageListView.as_view(), name="list"),
    path("info/<slug:slug>/", views.PageDetailView.as_view(), name="detail"),
]
