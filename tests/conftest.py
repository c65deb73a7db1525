import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture
def demo_data(db):
    """The demo data set that `make run` loads."""
    call_command("load_demo", verbosity=0)


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
