"""Fixtures for the whole suite, and the data sets shared by the tests that use them.

The demo data set (``demo_data``) takes a second or more to load, and most tests use it.
So it is loaded once per test database (once per xdist worker), in an outer transaction
that stays open; pytest-django's per-test transaction then becomes a savepoint inside it
and is rolled back after each test, so every test still starts from the freshly loaded
data. The same holds for ``demo_fixtures`` (the fixture files alone, as loaddata reads
them). The outer transaction is in one of these states:

* closed: the database is as the migrations left it (what a test without either sees),
* open with one data set loaded and not committed.

Before each database test, ``_django_db_helper`` (pytest-django's per-test database
fixture, extended below) puts it in the state the test needs: open with its data set for
tests that request one, closed (rolled back) for all others; switching data sets closes
and reopens. Tests that need real commits (``transactional_db``, ``live_server``,
``django_db(transaction=True)``: the browser tests) run with it closed and load their data
the old way, committed and flushed afterwards. ``pytest_collection_modifyitems`` orders
the tests so that each worker switches as seldom as possible.
"""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from content import generation
from demo.management.commands.load_demo import demo_fixture_files

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def load_demo_data():
    call_command("load_demo", verbosity=0)


def load_demo_fixtures():
    call_command("loaddata", *demo_fixture_files(), verbosity=0)


# The shared data sets, by the fixture that requests them, in the order tests run.
DATA_SETS = {"demo_fixtures": load_demo_fixtures, "demo_data": load_demo_data}


def needs_commits(item):
    """Whether the test runs in pytest-django's transactional mode (real commits)."""
    if TRANSACTIONAL_FIXTURES & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction_arg = marker.args[0] if marker.args else marker.kwargs.get("transaction", False)
    return bool(transaction_arg or marker.kwargs.get("reset_sequences", False))


def shared_data_set(item):
    """The name of the shared data set the test uses, or None."""
    if needs_commits(item):
        return None
    names = [name for name in DATA_SETS if name in item.fixturenames]
    if len(names) > 1:
        raise pytest.UsageError(f"{item.nodeid} requests both {' and '.join(names)}")
    return names[0] if names else None


def pytest_collection_modifyitems(config, items):
    """Tests without shared data first, then those of each data set, then those needing
    commits.

    A stable sort: within each group the files and tests keep their order. With xdist's
    default scheduling each worker runs its tests in this order, so it loads each data set
    about once. (Every worker sorts the same way, as xdist requires.)
    """
    order = {None: 0, **{name: number for number, name in enumerate(DATA_SETS, start=1)}}

    def group(item):
        if needs_commits(item):
            return len(order)
        return order[shared_data_set(item)]

    items.sort(key=group)


class SharedData:
    """The outer transaction on the default database, and which data set it holds."""

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None  # None: closed
        self.connection = None
        self.loaded = None

    def open(self, name):
        if self.loaded == name:
            return
        self.close()
        with self.blocker.unblock():
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            # Marked like Django's TestCase marks its own, so that code under test may
            # still open durable=True blocks.
            atomic._from_testcase = True
            atomic.__enter__()
            self.atomic = atomic
            self.connection = connections[DEFAULT_DB_ALIAS]
            try:
                DATA_SETS[name]()
            except BaseException:
                self.close()
                raise
        self.loaded = name

    def close(self):
        if self.atomic is None:
            return
        # Django's connections follow the execution context (asgiref's Local); once
        # Playwright's sync API runs its event loop here, they are other objects, and the
        # transaction could no longer be closed. tests/browser/conftest.py closes it first.
        assert connections[DEFAULT_DB_ALIAS] is self.connection, (
            "the shared data's transaction was opened on another connection object"
        )
        atomic, self.atomic, self.connection, self.loaded = self.atomic, None, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _shared_data(django_db_setup, django_db_blocker):
    shared = SharedData(django_db_blocker)
    yield shared
    # Before django_db_setup drops the test database.
    shared.close()


@pytest.fixture
def _shared_data_state(request, _shared_data):
    """Put the outer transaction in the state this test needs (see the module's doc)."""
    name = shared_data_set(request.node)
    if name is None:
        _shared_data.close()
    else:
        _shared_data.open(name)


@pytest.fixture
def _django_db_helper(_shared_data_state, _django_db_helper):
    """pytest-django's per-test database setup (which every database test goes through:
    db, transactional_db, live_server and the django_db mark), run after the outer
    transaction is in the right state, so that the test's own transaction nests in it."""
    yield


@pytest.fixture
def demo_data(request, db):
    """The demo data set that `make run` loads.

    Shared (see the module's doc) unless the test needs real commits; then it is loaded
    here, committed, and flushed with everything else after the test."""
    if needs_commits(request.node):
        load_demo_data()


@pytest.fixture
def demo_fixtures(request, db):
    """The demo fixture files as loaddata reads them: no derived data, no upcoming events.

    Shared like demo_data."""
    if needs_commits(request.node):
        load_demo_fixtures()


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request through the test client leaves its page's language active in the thread
    (LocaleMiddleware activates it and nothing deactivates it), so a test after one to an
    /en/ address would see English model texts. Every test starts in the default language."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with a new content generation, so no page cached by an earlier test
    is served. The rollback after a test (of the shared data's savepoint, or the flush after
    a transactional test) changes content without sending any signal; in production content
    is never rolled back after a commit. The page cache itself stays on: the tests that read
    a page, change content and read it again are its invalidation tests."""
    generation.bump()
    yield


@pytest.fixture
def page_cache_off(settings):
    """For tests that count the queries a page's rendering makes: a page served from the
    cache makes none (tests/test_page_cache.py checks that), which would tell nothing
    about the rendering."""
    settings.PORTAL_CACHE = False
