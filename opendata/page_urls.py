from django.urls import path

from . import page_views

app_name = "open_data"
urlpatterns = [
    path("", page_views.OpenDataView.as_view(), name="page"),
]
