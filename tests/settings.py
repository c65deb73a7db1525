"""The settings the tests run with: the portal's own, plus what only makes tests faster.

pyproject.toml points pytest-django here (DJANGO_SETTINGS_MODULE); everything else,
including the database from DATABASE_URL, comes from integration_portal.settings.
"""

from integration_portal.settings import *  # noqa: F403

# Hashing a password with PBKDF2 takes a noticeable fraction of a second by design, and the
# tests create users (admin_user, editors) in hundreds of tests. MD5 is unsafe for real
# passwords and fine for test accounts; nothing in the tests depends on the hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The tests read static files from the apps' folders (WhiteNoise's finders), whatever DEBUG
# says: no test depends on collectstatic having run, except the ones that run it themselves.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# With REDIS_URL set (CI's Redis is shared), every run and every xdist worker keeps its keys
# under a prefix of its own, so runs never see each other's pages, and clear() stays inside.
if REDIS_URL:  # noqa: F405
    import uuid

    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"  # noqa: F405

# No test asks a real geocoder; the tests that need one start a fake on 127.0.0.1 and set
# this to its address.
PORTAL_GEOCODER_URL = ""

# Each test process (each xdist worker) its own content-generation stamp file. The file is
# how the worker processes of one server see each other's changes (content/generation.py);
# shared between test processes, one test's commit would start a new generation in the
# middle of another process's test, whose next request then rebuilds the search index.
if PORTAL_GENERATION_FILE is not None:  # noqa: F405
    import tempfile
    from pathlib import Path

    PORTAL_GENERATION_FILE = (
        Path(tempfile.mkdtemp(prefix="portal-test-generation-")) / "content-generation"
    )

# The API's rate limit counts per client address, and every test client is 127.0.0.1: the
# suite sends more than a minute's share. tests/test_open_data_download.py sets it itself.
OPEN_DATA_REQUESTS_PER_MINUTE = 0
