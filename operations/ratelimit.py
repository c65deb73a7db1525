"""Limits per client and time window, kept in the database that all app servers share.

``take(scope, client_key, limit)`` takes one of ``limit`` slots of the current window and
says whether there was one. The count goes up in one conditional UPDATE (``count < limit``),
which the database runs atomically: on PostgreSQL the row is locked and the condition
checked again after a concurrent update commits; SQLite writes one at a time. The first
attempt of a window inserts the row; of two concurrent first attempts one insert fails on
the unique constraint and that request counts up the other's row instead. So 20 concurrent
requests against a limit of 5 get exactly 5 slots, whatever happens to what they stored
afterwards (a moderated suggestion frees nothing).

Windows are fixed (each starts at a multiple of its length since the epoch), so a client
may send ``limit`` at the end of one window and ``limit`` more at the start of the next.
``forget_before`` deletes the rows of windows that are over.

``take_in_cache`` is the same for limits that must cost next to nothing per request (the
open-data API: a database write per request would cost more than the answer, which comes
from the cache): the count is one atomic cache.incr() in the shared cache (Redis), exact
there; without Redis each process counts for itself, and while the cache is unreachable
nobody is limited.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def window_start(now, window):
    return EPOCH + ((now - EPOCH) // window) * window


def retry_after(window, now=None):
    """Seconds until the current window is over (for the Retry-After header)."""
    now = now or timezone.now()
    return max(1, int((window_start(now, window) + window - now).total_seconds()))


def take(scope, client_key, limit, window, now=None):
    """Whether ``client_key`` still had a slot for ``scope`` in this window; takes it."""
    if limit <= 0:
        return False
    start = window_start(now or timezone.now(), window)
    row = RateCounter.objects.filter(scope=scope, client_key=client_key, window_start=start)
    with transaction.atomic():
        if row.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        if row.exists():
            return False  # the window's slots are all taken
        try:
            with transaction.atomic():
                RateCounter.objects.create(
                    scope=scope, client_key=client_key, window_start=start, count=1
                )
            return True
        except IntegrityError:
            # A concurrent request inserted the row first (and committed): count up that.
            return bool(row.filter(count__lt=limit).update(count=F("count") + 1))


def forget_before(scope, window, now=None):
    """Delete the counters of ``scope``'s windows that are over; returns how many."""
    start = window_start(now or timezone.now(), window)
    deleted, _by_model = RateCounter.objects.filter(scope=scope, window_start__lt=start).delete()
    return deleted


def client_address(request):
    """The client's address: the connection's, or behind a proxy the one the proxy names in
    PORTAL_CLIENT_ADDRESS_HEADER (its last entry: earlier ones the client may have forged)."""
    header = settings.PORTAL_CLIENT_ADDRESS_HEADER
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = [part.strip() for part in request.META.get(key, "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def client_hash(request):
    """A keyed hash of the client's address: enough to count its requests, useless for
    finding out the address (without SECRET_KEY one cannot try all addresses)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()


def take_in_cache(scope, client_key, limit, window, now=None):
    """Whether ``client_key`` still had one of ``limit`` slots for ``scope`` in this window
    of ``window`` (a timedelta); takes it. Counted in the cache (see the module's notes)."""
    if limit <= 0:
        return False
    start = window_start(now or timezone.now(), window)
    key = f"rate:{scope}:{client_key}:{int(start.timestamp())}"
    seconds = int(window.total_seconds()) + 1
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired or evicted between add() and incr()
        cache.add(key, 1, seconds)
        count = 1
    if count is None:  # the cache is unreachable (operations/cache.py)
        return True
    return count <= limit
