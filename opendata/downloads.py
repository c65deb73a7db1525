"""The open-data files, built once per content generation and kept in the default file
storage (MEDIA_ROOT, which all app servers share), so that the download addresses always
serve the current content without building it per request.

A build lives in a folder of its own, ``open-data/<key>/``, named by the content generation
(content/generation.py) and the portal's address it was built for (the files carry
absolute links). Its ``manifest.json`` is written last and names the files as the storage
stored them; a folder without one is a build still running (or one that failed), and
nothing is served from it. Two servers building the same generation at once cannot spoil
each other's files: the storage never overwrites a file, it stores the second one under
another name, and each manifest names its own files.

A request never builds: the whole dataset takes seconds to minutes (8 s for 9,000 offers
on a quiet machine), near gunicorn's timeout at some 30,000. When the current content has
no build yet, the download serves the previous one while a thread of the process builds
the new one; with no build at all, it answers 503 until the first is there. One thread per
process at a time, and a lock in the shared cache keeps the other processes from starting
the same work meanwhile. ``manage.py export_open_data`` (nightly) builds in the foreground.
"""

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation

from content import generation

from . import export

logger = logging.getLogger(__name__)

FOLDER = "open-data"
MANIFEST = "manifest.json"
# Builds kept besides the newest: a download that started from one may still be running.
KEEP = 2
# Longer than a build of 200,000 offers takes; a crashed builder's lock ends by itself.
LOCK_SECONDS = 600
# A folder without a manifest older than this is a build that died: removed.
ABANDONED = timedelta(hours=1)
# What a download answers while the first build runs: try again in this many seconds.
RETRY_AFTER = 30

# This process's background build (a thread), while it runs; one at a time.
_builder = None
_starting = threading.Lock()


@dataclass
class Build:
    key: str
    base_url: str
    created: datetime
    files: dict  # file name → {"path", "size", "sha256", "content_type"}

    def open(self, file_name):
        return default_storage.open(self.files[file_name]["path"], "rb")


def build_key(base_url):
    return hashlib.sha256(f"{generation.current()}\n{base_url}".encode()).hexdigest()[:24]


def read(key):
    """The finished build ``key``, or None."""
    path = f"{FOLDER}/{key}/{MANIFEST}"
    try:
        with default_storage.open(path, "rb") as manifest:
            data = json.loads(manifest.read())
    except (FileNotFoundError, ValueError):
        # Not there, or being written at this very moment.
        return None
    return Build(key, data["base_url"], datetime.fromisoformat(data["created"]), data["files"])


def write(key, base_url, created, files):
    """Store ``files`` (export.build()'s) as build ``key``; the manifest last. Should the
    storage fail on the way (a full disk), the files stored so far are removed again."""
    stored = {}
    try:
        for file_name, content in files.items():
            path = default_storage.save(f"{FOLDER}/{key}/{file_name}", ContentFile(content))
            stored[file_name] = {
                "path": path,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
                "content_type": export.CONTENT_TYPES[file_name],
            }
        manifest = {"base_url": base_url, "created": created.isoformat(), "files": stored}
        default_storage.save(f"{FOLDER}/{key}/{MANIFEST}", ContentFile(json.dumps(manifest)))
    except BaseException:
        for entry in stored.values():
            default_storage.delete(entry["path"])
        raise
    return Build(key, base_url, created, stored)


def builds():
    """Every finished build, the newest first."""
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    found = [build for build in map(read, folders) if build is not None]
    return sorted(found, key=lambda build: build.created, reverse=True)


def latest(base_url):
    """The newest finished build for ``base_url``, of whatever generation (for the
    open-data page's sizes), or None."""
    return next((build for build in builds() if build.base_url == base_url), None)


def prune(keep, newest):
    """Delete the builds older than the ``keep`` newest, and abandoned folders. ``newest``
    is the key of the build just written, always kept: builds are stamped to the second,
    so several of one second sort in no particular order."""
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    others = [build.key for build in builds() if build.key != newest]
    finished = {newest, *others[: keep - 1]}
    for folder in folders:
        if folder in finished:
            continue
        _dirs, names = default_storage.listdir(f"{FOLDER}/{folder}")
        paths = [f"{FOLDER}/{folder}/{name}" for name in names]
        if read(folder) is None and any(
            timezone.now() - default_storage.get_modified_time(path) < ABANDONED for path in paths
        ):
            continue  # a build still being written
        for path in paths:
            default_storage.delete(path)
        default_storage.delete(f"{FOLDER}/{folder}")


def rebuild(base_url, key=None):
    """Build the files for the current content now and store them. ``base_url`` is the
    portal's address (https://portal.example/), for the links in the files."""
    key = key or build_key(base_url)

    def absolute(path):
        return base_url.rstrip("/") + path

    with translation.override(settings.LANGUAGE_CODE):
        homepage = absolute(reverse("open_data:page"))
    created, files = export.build(absolute, homepage)
    build = write(key, base_url, created, files)
    try:
        prune(KEEP + 1, newest=key)
    except OSError:
        logger.warning("Could not remove old open-data builds", exc_info=True)
    return build


def lock_name(key):
    return f"open-data:building:{key}"


def build_now(base_url, key):
    """Build ``key`` and let go of its lock: what the background thread runs. A failure is
    logged, and the next download starts another build; a failed build leaves no files
    (export.build() fails before anything is stored, write() removes what it stored)."""
    try:
        return rebuild(base_url, key)
    except Exception:
        logger.exception("The open-data build %s for %s failed", key, base_url)
        return None
    finally:
        cache.delete(lock_name(key))


def in_background(base_url, key):
    try:
        build_now(base_url, key)
    finally:
        # The thread's own database connections: no request's end closes them.
        connections.close_all()


def start_thread(base_url, key):
    """Start building ``key`` in a thread of its own, and return the thread (tests wait
    for it). A daemon: a worker that stops does not wait for it; the lock then ends by
    itself, and the half-written folder is removed by a later build's prune()."""
    thread = threading.Thread(
        target=in_background, args=(base_url, key), name="open-data-build", daemon=True
    )
    thread.start()
    return thread


def start_build(base_url, key):
    """Start building ``key`` in the background, unless this process builds already (the
    current content's build then starts with the next download after it) or another
    process holds the lock. Returns this process's building thread, or None."""
    global _builder
    with _starting:
        if _builder is not None and _builder.is_alive():
            return _builder
        # Not taken, and there: another process builds. Not taken and not there: the cache
        # is unreachable (operations/cache.py), and each process builds for itself.
        if not cache.add(lock_name(key), 1, LOCK_SECONDS) and building(base_url, key):
            return None
        try:
            _builder = start_thread(base_url, key)
        except BaseException:
            cache.delete(lock_name(key))
            raise
        return _builder


def building(base_url, key=None):
    """Whether a build of the current content (or of ``key``) runs, in any process."""
    return cache.get(lock_name(key or build_key(base_url))) is not None


def current(base_url):
    """The build to serve: the current content's if there is one. Else a build of it is
    started in the background (start_build), and the newest older build is served
    meanwhile; None if there is none at all yet. Never builds in the caller's thread."""
    key = build_key(base_url)
    build = read(key)
    if build is not None:
        return build
    start_build(base_url, key)
    # The current content's first, should it be done meanwhile: builds are stamped to the
    # second, so latest() cannot tell it from an older build of the same second.
    return read(key) or latest(base_url)
