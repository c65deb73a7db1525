from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """How the portal runs as a service: health and readiness, what residents see while the
    database is away, the shared page cache and the HTTP headers every response carries. It
    stands on the ground floor and knows no domain app: it sees requests and responses, not
    offers or events."""

    name = "operations"
    verbose_name = _("Operations")
