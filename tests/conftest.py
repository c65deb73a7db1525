import pytest
from django.core.management import call_command


@pytest.fixture
def demo_data(db):
    """The demo data set that `make run` loads."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client
