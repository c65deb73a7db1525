"""The addresses of discovery: at the site's root (robots.txt and the sitemap are looked
for there), and the manifest under each language (i18n_urlpatterns)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .cache import kept_per_generation
from .sitemaps import SITEMAPS

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon_ico, name="favicon-ico"),
    path(
        "sitemap.xml",
        kept_per_generation(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        kept_per_generation(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

i18n_urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
