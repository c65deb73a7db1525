from django.urls import path

from . import views

app_name = "opendata"

# HSDS names its paths without a trailing slash (/services/{id}); the root has one.
urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.service_list, name="services"),
    path("services/<str:id>", views.service_detail, name="service"),
    path("organizations", views.organization_list, name="organizations"),
    path("organizations/<str:id>", views.organization_detail, name="organization"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term_detail, name="taxonomy_term"),
    # The whole dataset as files (README, "Open-data download"): open-data.zip (the CSVs
    # and datapackage.json), open-data.json, and each of those on its own.
    path("download/<str:file_name>", views.download, name="download"),
    # Any other address under the API: a 404 a client can parse, not the HTML page.
    path("<path:rest>", views.not_found),
]
