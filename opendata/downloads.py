"""The open-data files, built once per content generation and kept in the default file
storage (MEDIA_ROOT, which all app servers share), so that the download addresses always
serve the current content without building it per request.

A build lives in a folder of its own, ``open-data/<key>/``, named by the content generation
(content/generation.py) and the portal's address it was built for (the files carry
absolute links). Its ``manifest.json`` is written last and names the files as the storage
stored them; a folder without one is a build still running (or one that failed), and
nothing is served from it. Two servers building the same generation at once cannot spoil
each other's files: the storage never overwrites a file, it stores the second one under
another name, and each manifest names its own files. A lock in the shared cache keeps the
others from starting the same work meanwhile: they serve the previous build until the new
one is there.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
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
    """Store ``files`` (export.build()'s) as build ``key``; the manifest last."""
    stored = {}
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


def current(base_url):
    """The build of the current content: the stored one, else a new one. While another
    process builds it, that one's predecessor (if there is one)."""
    key = build_key(base_url)
    build = read(key)
    if build is not None:
        return build
    lock = f"open-data:building:{key}"
    if not cache.add(lock, 1, LOCK_SECONDS):
        previous = latest(base_url)
        if previous is not None:
            return previous
    try:
        return rebuild(base_url, key)
    finally:
        cache.delete(lock)
