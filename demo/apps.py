from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set that `make run` loads (fixtures/demo/ and the upcoming events
    dated from today). It stands above every domain app and is imported by none."""

    name = "demo"
    verbose_name = _("Demo data")
