from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How many attempts one client (by a keyed hash, never its address) made at one kind of
    action within one time window. One row per client, action and window, counted up by
    operations.ratelimit in a single conditional UPDATE, so that concurrent requests on
    several app servers sharing the database cannot all slip under the limit."""

    scope = models.CharField(_("action"), max_length=40)
    client_key = models.CharField(_("client"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client_key", "window_start"], name="rate_counter_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self):
        start = f"{self.window_start:%Y-%m-%d %H:%M}"
        return f"{self.scope} {self.client_key[:8]} {start}: {self.count}"
