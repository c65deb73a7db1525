from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# django-leaflet's admin module imports GeoDjango, which needs the GDAL system library.
# We store plain latitude/longitude and use only Leaflet's template tags and assets, so the
# admin must never import it.
SKIPPED_ADMIN_MODULES = {"leaflet"}


class PortalAdminConfig(SimpleAdminConfig):
    """The Django admin, discovering every app's ``admin`` module except leaflet's."""

    default_site = "editorial.sites.PortalAdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in SKIPPED_ADMIN_MODULES:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")


class PortalConfig(AppConfig):
    """The project itself, as an app: home of site-wide commands and template tags."""

    name = "integration_portal"
    verbose_name = _("Integration portal")
