from django.urls import path

from . import health

# Outside the language prefixes: machines ask these, not residents.
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
