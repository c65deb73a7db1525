"""The content generation: one number that changes whenever any public content changes.

Whatever is computed from content and kept for a while — a cached page, a cached search
result, an in-memory search index — is kept *for a generation*: its key or its stamp holds
``current()``, so that after a change nobody finds the old copy any more (it simply expires
from the cache). Nothing has to know which pages an offer appears on.

Public API:

* ``current()``: the generation now, an opaque string; equal strings mean "nothing changed
  in between". Reading it is one cache get.
* ``bump()``: a new generation, now and once more after the surrounding transaction commits
  (see bump() for why both).
* ``ignore(model)``: a portal model whose entries the public never sees (suggestions from
  the public), so that saving one does not empty the page cache.
* ``KeptPerGeneration(build)``: a value this process computes from the content and keeps
  until the generation changes (the search's facet index, the place centres, the footer).

Every change keeps it right without anyone remembering to call bump():

* saving and deleting an entry of any model of the portal's own apps, and changing a
  many-to-many set of one: the receivers connected in connect() (ContentConfig.ready()),
  for *every* such model, including raw saves. That covers the admin, the workflow actions
  (content.publication saves entries one by one), the spreadsheet import, the translation
  import, restore and recovery from the version history (raw saves plus normal ones, see
  content.derived) and loaddata.
* QuerySet.update(), bulk_create() and bulk_update() send no signals. Code that changes
  content that way calls bump() itself (generate_offers), and so does every caller of
  content.derived.refresh()/refresh_all(), which bulk loaders already must call.

The counter lives in the default cache (Redis when REDIS_URL is set, shared by every
process; see operations/cache.py). cache.incr() is atomic there. A missing key (first start,
Redis restarted or evicted the key) starts from the time in microseconds, so a new
generation never repeats one that pages may still be cached under.

Without Redis the default cache is local memory, one per process: a bump in one gunicorn
worker would not reach the others. So then (``PORTAL_GENERATION_FILE`` set) the generation
also carries the modification time of a file that bump() touches; a stat() per request is
cheap, and every process sees it.
"""

import logging
import os
import threading
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

KEY = "portal:content-generation"
_ignored = set()


def _start_value():
    return time.time_ns() // 1000


def _stamp_file():
    path = getattr(settings, "PORTAL_GENERATION_FILE", None)
    return Path(path) if path else None


def _file_stamp(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def current():
    """The generation now (an opaque string)."""
    value = cache.get(KEY)
    if value is None:
        # add() does nothing when another process set it meanwhile; read what won.
        cache.add(KEY, _start_value(), timeout=None)
        value = cache.get(KEY)
    if value is None:
        # The cache is unreachable (operations/cache.py answers misses then): nothing can be
        # cached either, so any value will do, and a fresh one never matches a stored page.
        value = f"none-{_start_value()}"
    path = _stamp_file()
    if path is not None:
        return f"{value}.{_file_stamp(path)}"
    return str(value)


def _bump_now(touch=True):
    try:
        cache.incr(KEY)
    except ValueError:  # the key is missing: start a generation no page is cached under
        cache.set(KEY, _start_value(), timeout=None)
    path = _stamp_file()
    if path is not None and touch:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            os.utime(path)  # touch() keeps the time of an existing file on some systems
        except OSError:
            logger.warning("Could not touch the content generation file %s", path, exc_info=True)


def _bump_after_commit():
    _bump_now()


def bump(using=None):
    """Start a new generation.

    Now, so that this very request (and a test inside a transaction) sees the change; and,
    inside a transaction, once more when it commits: between the first bump and the commit
    another request may render the old content and cache it under the new generation, and
    the second bump makes that copy unreachable. One after-commit bump per transaction is
    enough, however many entries it saves.
    """
    connection = transaction.get_connection(using)
    # Other processes cannot see uncommitted rows: the file that tells them (without Redis)
    # is touched after the commit only, not once per entry of a large transaction.
    _bump_now(touch=not connection.in_atomic_block)
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if not any(entry[1] is _bump_after_commit for entry in pending):
            transaction.on_commit(_bump_after_commit, using=using)


class KeptPerGeneration:
    """A value computed from the content, kept by this process until the content changes.

    ``get()`` returns ``build(key)`` for the current key — the generation, or
    ``(generation, also())`` where something else makes the value change too (the facet
    index: the day, for offers' validity dates) — and builds it again when the key has
    changed. A second thread arriving during a build waits for it instead of building it
    twice (gunicorn's sync workers have one thread, the development server several);
    requests holding the old value keep using it until they finish. The value is shared
    by all requests: read it, never change it.

    Why not Django's cache: these values are Python objects (bitsets, dicts of entries)
    that are used on every request, and unpickling them from Redis would cost what keeping
    them saves."""

    def __init__(self, build, also=None):
        self._build = build
        self._also = also
        self._kept = None  # (key, value)
        self._lock = threading.Lock()

    def key(self):
        return current() if self._also is None else (current(), self._also())

    def get(self):
        key = self.key()
        kept = self._kept
        if kept is not None and kept[0] == key:
            return kept[1]
        with self._lock:
            kept = self._kept
            if kept is None or kept[0] != key:
                kept = self._kept = (key, self._build(key))
        return kept[1]

    def clear(self):
        """Forget the value (tests that change data without a new generation)."""
        self._kept = None


def ignore(model):
    """Saving or deleting entries of ``model`` starts no new generation (for portal models
    the public never sees, such as suggestions sent from the public)."""
    _ignored.add(model)


# --- Receivers -------------------------------------------------------------------------------


def portal_models():
    """The models of the portal's own apps (the apps in the project's folder, not Django's
    or a library's: sessions, the admin log, reversion's versions and users change no
    public page)."""
    root = Path(settings.BASE_DIR).resolve()
    for app_config in apps.get_app_configs():
        if Path(app_config.path).resolve().parent != root:
            continue
        yield from app_config.get_models(include_auto_created=True)


def _is_content(model):
    if model in _ignored:
        return False
    # An auto-created many-to-many table belongs to the model that declares the field.
    owner = model._meta.auto_created
    return not (owner and owner in _ignored)


def _changed(sender, using=None, **kwargs):
    if _is_content(sender):
        bump(using)


def _set_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_") and _is_content(sender):
        bump(using)


def connect():
    """Connect the receivers (ContentConfig.ready()) for every model of the portal's apps,
    so that a new model needs nothing to keep the caches right.

    Per model rather than for all senders: a receiver without a sender would count as a
    listener for every model, and Django would then load each row before deleting it (no
    fast delete) also for sessions and old versions."""
    for model in portal_models():
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"content-generation:{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content-generation:{label}")
        # Only auto-created through tables and explicit ones are senders of m2m_changed.
        m2m_changed.connect(_set_changed, sender=model, dispatch_uid=f"content-generation:{label}")
