"""Browser tests: headless Debian Chromium driven by pytest-playwright against live_server.

* The browser is /usr/bin/chromium from Debian's package; Playwright never downloads one.
  Without it the tests are skipped locally, and fail when CI=true, so CI cannot skip them.
* No request leaves the machine: requests to other hosts (map tiles) are aborted and
  recorded; pages must cope with that.
* Console errors and uncaught page errors are collected; call ``browser_log.assert_clean()``
  at the end of a test (it is checked again at teardown for tests that forget).
"""

import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an asyncio event loop in the test's thread, so Django believes
# it is in async code and refuses ORM calls with SynchronousOnlyOperation. The test thread
# does not actually run async code concurrently with the ORM, so this is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"Chromium not found at {CHROMIUM_PATH}; install Debian's chromium package to run browser tests"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
BROWSER_TESTS_DIR = Path(__file__).resolve().parent


def running_in_ci():
    return os.environ.get("CI", "").strip().lower() == "true"


def require_chromium():
    """Skip without Chromium, except in CI, where a missing browser is an error."""
    if CHROMIUM_PATH.exists():
        return
    if running_in_ci():
        pytest.fail(f"{CHROMIUM_MISSING} (CI=true: browser tests must not be skipped)")
    pytest.skip(CHROMIUM_MISSING)


def pytest_collection_modifyitems(config, items):
    # Hooks of this conftest see the whole session's items: only touch our own.
    skip = None
    if not CHROMIUM_PATH.exists() and not running_in_ci():
        skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if BROWSER_TESTS_DIR not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if skip is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    # Session-scoped and autouse, so it runs before the browser is launched; fails the
    # tests in CI (the collection hook above skips them elsewhere).
    require_chromium()


@pytest.fixture(scope="session", autouse=True)
def _shared_data_closed_before_the_browser_starts(_shared_data):
    """Close the outer transaction of the shared data sets (tests/conftest.py) before
    Playwright starts: its sync API runs an event loop in this thread, after which Django's
    connections here are other objects, and the transaction would stay open on the old one,
    holding its locks. (Autouse, so it runs before the session's browser fixtures; the tests
    here need real commits anyway, so the transaction is closed for them.)"""
    _shared_data.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM_PATH),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


class OneViewAtATimeServer(ThreadedWSGIServer):
    """Django's threaded test server, but the application handles one request at a time,
    and closes its database connections after each.

    With SQLite's in-memory test database, every server thread shares the test's single
    connection, and two requests at once (a page's parallel requests, select2 searching while
    it opens) fail with "database table is locked". Connections are still handled by threads,
    so a browser's idle keep-alive connection blocks nobody.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                try:
                    return application(environ, start_response)
                finally:
                    # Persistent connections (CONN_MAX_AGE) would outlive the test in the
                    # server's threads and keep PostgreSQL from dropping the test database.
                    # (SQLite's shared in-memory connection ignores close().)
                    connections.close_all()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live_server (same address options), serving one view at a time."""
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = OneViewAtATimeServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative addresses in page.goto() go to the live server.

    Also replaces pytest-playwright's fallback fixture of the same name, which pytest 9
    warns about (a session fixture defined as an instance method).
    """
    return live_server.url


@dataclass
class BrowserLog:
    """What went wrong in the browser during one test."""

    aborted_requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    checked: bool = False

    def on_console(self, message):
        if message.type != "error":
            return
        # Chromium logs "Failed to load resource" for every request we aborted on purpose.
        if message.location.get("url") in self.aborted_requests:
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(self, error):
        self.page_errors.append(str(error))

    def problems(self):
        return [f"console error: {text}" for text in self.console_errors] + [
            f"page error: {text}" for text in self.page_errors
        ]

    def assert_clean(self):
        self.checked = True
        problems = self.problems()
        assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def browser_log():
    return BrowserLog()


def is_external(url):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return False  # data:, blob:, about: never leave the machine
    return parts.hostname not in LOCAL_HOSTS


@pytest.fixture
def context(new_context, browser_log):
    """A browser context that can reach the live server only."""
    context = new_context()

    def abort(route):
        browser_log.aborted_requests.append(route.request.url)
        route.abort()

    context.route(is_external, abort)
    # Context-wide, so popup windows (the admin's "+" buttons) are covered as well.
    context.on("console", browser_log.on_console)
    context.on("weberror", lambda web_error: browser_log.on_page_error(web_error.error))
    return context


@pytest.fixture(autouse=True)
def _no_unchecked_browser_errors(request, browser_log):
    yield
    if "context" in request.fixturenames and not browser_log.checked:
        browser_log.assert_clean()


@pytest.fixture
def admin_page(page, live_server, admin_user):
    """A page logged in to the admin as a superuser (pytest-django's admin_user)."""
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_auth-username", admin_user.username)
    page.fill("#id_auth-password", "password")  # pytest-django's admin_user password
    page.click("form button.btn-primary")  # two_factor's login: "Weiter"
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture(scope="session")
def _demo_database_copy():
    """A copy of the database as load_demo left it (filled by live_demo_data): SQLite's
    whole in-memory database, or PostgreSQL's table contents."""
    copy = {}
    yield copy
    if "database" in copy:
        copy["database"].close()


def in_memory_sqlite(connection):
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def postgresql_tables(connection):
    return sorted(connection.introspection.django_table_names(only_existing=True))


def copy_postgresql_tables(connection):
    """{table: rows in PostgreSQL's binary COPY format} of every table of the portal."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.connection.cursor() as cursor:
        for table in postgresql_tables(connection):
            with cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
    return tables


def restore_postgresql_tables(connection, tables):
    """Write the copied rows back, in one transaction: the flush after the previous test
    left content types and permissions (post_migrate recreates them), so every table is
    emptied first. Django's foreign keys are deferred, so the order does not matter."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)}")
        for table, rows in tables.items():
            with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(rows)


@pytest.fixture
def live_demo_data(transactional_db, _demo_database_copy):
    """The demo data set, committed so that the live server's threads see it on every
    database (the transactional database is flushed after the test).

    load_demo runs for the first such test only: the database it leaves is copied, and
    later tests get that copy written back, the same committed rows in a fraction of the
    time. On SQLite's in-memory test database the copy is the whole database (SQLite's
    backup API); on PostgreSQL it is every table's rows (COPY). Either way the data is in
    place before the test writes anything (it is the first fixture of these tests,
    pytestmark's usefixtures)."""
    connection = connections[DEFAULT_DB_ALIAS]
    # The copy replaces the whole database: nothing may be in it yet (an admin_user made
    # before this fixture would silently disappear).
    assert not get_user_model().objects.exists(), "live_demo_data must come first"
    connection.ensure_connection()
    copy = _demo_database_copy.get("database")
    if connection.vendor == "postgresql":
        if "tables" not in _demo_database_copy:
            call_command("load_demo", verbosity=0)
            _demo_database_copy["tables"] = copy_postgresql_tables(connection)
        else:
            restore_postgresql_tables(connection, _demo_database_copy["tables"])
            ContentType.objects.clear_cache()
        return
    if not in_memory_sqlite(connection):
        call_command("load_demo", verbosity=0)
        return
    if copy is None:
        call_command("load_demo", verbosity=0)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _demo_database_copy["database"] = copy
    else:
        copy.backup(connection.connection)
        # The flush after the previous test recreated the content types with other ids.
        ContentType.objects.clear_cache()
