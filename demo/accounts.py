"""One staff account per role for trying the admin with the demo data.

Part of the demo data only (load_demo), never of a real installation: the password is the
same for all three and printed by `make run`, so anyone who can reach a demo portal can
log in with it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from editorial.models import EditorScope
from editorial.roles import CITY_EDITORS, KI_EDITORS, PROVIDER_ACCOUNTS
from places.models import City
from providers.models import Provider

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    what: str  # for the console, in English like the other output of the commands
    cities: tuple = ()
    providers: tuple = ()


DEMO_ACCOUNTS = [
    DemoAccount("ki-redaktion", KI_EDITORS, "all offers and events, publishing"),
    DemoAccount("stadt-unna", CITY_EDITORS, "the offers and events of Unna", cities=("unna",)),
    DemoAccount(
        "anbieter-vhs",
        PROVIDER_ACCOUNTS,
        "the offers and events of the VHS Bergkamen",
        providers=("vhs-bergkamen",),
    ),
]


def create_demo_accounts():
    """The accounts of DEMO_ACCOUNTS, with their roles (setup_roles) and editing areas."""
    call_command("setup_roles", verbosity=0)
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@example.org", "is_staff": True},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        if account.cities or account.providers:
            scope, _created = EditorScope.objects.get_or_create(user=user)
            scope.cities.set(City.objects.filter(slug__in=account.cities))
            scope.providers.set(Provider.objects.filter(slug__in=account.providers))


def existing_demo_accounts():
    names = set(
        get_user_model()
        .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
        .values_list("username", flat=True)
    )
    return [account for account in DEMO_ACCOUNTS if account.username in names]
