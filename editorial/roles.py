"""The three roles of the portal's staff, as Django groups with their permissions.

``manage.py setup_roles`` creates the groups and sets exactly these permissions (run it
after every update: new features may bring new permissions). What an account of a role
may see is further limited by its editing area (EditorScope): a city editor works on the
offers and events of their cities, a provider account on those of their provider.
Accounts themselves are managed by administrators (superusers); see the README.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

KI_EDITORS = "KI-Redaktion"
CITY_EDITORS = "Stadtredaktion"
PROVIDER_ACCOUNTS = "Anbieterkonto"

ALL = ("view", "add", "change", "delete")
EDIT = ("view", "add", "change")

# Inline models edited together with an event.
EVENT_PARTS = ("eventdate", "cancelleddate", "eventattachment")
VOCABULARIES = ("category", "offerlanguage", "gender", "migrationbackground", "agegroup")

ROLES = {
    # The integration centre's staff: everything about the content, in every city, incl.
    # publishing, importing, vocabularies, pages and recovering deleted entries.
    KI_EDITORS: {
        "apps": ["offers", "events", "providers", "pages", "places", "vocabularies"],
        "extra": [
            "editorial.edit_all_entries",
            "translations.view_textchange",
        ],
    },
    # A city's integration officer: offers and events of their cities; may submit them for
    # review but not publish; providers and venues of their cities.
    CITY_EDITORS: {
        "models": {
            "offers.offer": ALL,
            "offers.suggestion": ("view", "change"),
            "events.event": ALL,
            **{f"events.{part}": ALL for part in EVENT_PARTS},
            "providers.provider": EDIT,
            "providers.contactperson": ALL,
            "places.venue": EDIT,
            "places.city": ("view",),
            "places.district": ("view",),
            **{f"vocabularies.{name}": ("view",) for name in (*VOCABULARIES, "targetgroup")},
        },
    },
    # A provider keeping its own offers and events up to date; no deleting.
    PROVIDER_ACCOUNTS: {
        "models": {
            "offers.offer": EDIT,
            "offers.suggestion": ("view", "change"),
            "events.event": EDIT,
            **{f"events.{part}": ALL for part in EVENT_PARTS},
            "providers.provider": ("view", "change"),
            "providers.contactperson": ALL,
            # Venues are shared by many providers: provider accounts choose among them.
            "places.venue": ("view",),
            "places.city": ("view",),
            "places.district": ("view",),
            **{f"vocabularies.{name}": ("view",) for name in (*VOCABULARIES, "targetgroup")},
        },
    },
}


def permissions_of(role):
    """The Permission objects of a role; raises LookupError when one does not exist (a
    renamed model or a missing migration), so a wrong role never passes silently."""
    spec = ROLES[role]
    wanted = Q(pk__in=[])
    if spec.get("apps"):
        wanted |= Q(content_type__app_label__in=spec["apps"])
    names = list(spec.get("extra", []))
    for label, actions in spec.get("models", {}).items():
        app_label, model_name = label.split(".")
        names.extend(f"{app_label}.{action}_{model_name}" for action in actions)
    for name in names:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted).select_related("content_type"))
    found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    missing = sorted(set(names) - found)
    if missing:
        raise LookupError(f"Role {role!r}: unknown permissions {', '.join(missing)}")
    return permissions


@transaction.atomic
def setup_roles():
    """Create or update the role groups; returns {group name: number of permissions}."""
    result = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        permissions = permissions_of(role)
        group.permissions.set(permissions)
        result[role] = len(permissions)
    return result
