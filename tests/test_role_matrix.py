"""Every admin address and every public preview, for every role: who gets what
(issue 13, "a role by URL matrix").

MATRIX below lists each named URL pattern of the admin (every registered ModelAdmin's
views: list, add, change, delete, history, compare, restore, recover, import/export and
our own views; the site's views; the second factor's pages), each autocomplete endpoint and
each draft's public page, with the status each role gets on a GET, in the order of ROLES.
A new admin view, model or autocomplete field without a row fails
test_every_admin_address_is_in_the_matrix, so nobody adds a view without deciding who may
open it.

Codes: a status number, or "login" for a redirect to the admin login. The objects are the
demo data's (demo/accounts.py: stadt-unna edits Unna, anbieter-vhs the VHS Bergkamen); the
offer and event opened are unpublished entries in Unna, outside the provider account's area.
"""

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from content.publication import PublicationStatus
from events.models import Event
from offers.models import Offer, Suggestion
from pages.models import Page
from providers.models import Provider
from tests.test_previews import unpublished

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "anbieter-vhs", "stadt-unna", "ki-redaktion", "superuser")

# fmt: off
# What each role gets on a GET, in the order of ROLES:
#        (anonymous, anbieter-vhs, stadt-unna, ki-redaktion, superuser)
# 403: the role lacks the permission, or the entry is outside its editing area; 404: no
# such entry for this role (previews, view on site) or the view needs parameters (compare,
# recover of an entry that is not deleted); 405: the view only answers POST.
MATRIX = {
    'admin:app_list': ('login', 200, 200, 200, 200),
    'admin:auth_group_add': ('login', 403, 403, 403, 200),
    'admin:auth_group_change': ('login', 403, 403, 403, 200),
    'admin:auth_group_changelist': ('login', 403, 403, 403, 200),
    'admin:auth_group_delete': ('login', 403, 403, 403, 200),
    'admin:auth_group_history': ('login', 403, 403, 403, 200),
    'admin:auth_user_add': ('login', 403, 403, 403, 200),
    'admin:auth_user_change': ('login', 403, 403, 403, 200),
    'admin:auth_user_changelist': ('login', 403, 403, 403, 200),
    'admin:auth_user_delete': ('login', 403, 403, 403, 200),
    'admin:auth_user_history': ('login', 403, 403, 403, 200),
    'admin:auth_user_password_change': ('login', 403, 403, 403, 200),
    'admin:autocomplete': ('login', 403, 403, 403, 403),
    'admin:axes_accessattempt_add': ('login', 403, 403, 403, 403),
    'admin:axes_accessattempt_change': ('login', 403, 403, 403, 200),
    'admin:axes_accessattempt_changelist': ('login', 403, 403, 403, 200),
    'admin:axes_accessattempt_delete': ('login', 403, 403, 403, 200),
    'admin:axes_accessattempt_history': ('login', 403, 403, 403, 200),
    'admin:axes_accessfailurelog_add': ('login', 403, 403, 403, 403),
    'admin:axes_accessfailurelog_change': ('login', 403, 403, 403, 200),
    'admin:axes_accessfailurelog_changelist': ('login', 403, 403, 403, 200),
    'admin:axes_accessfailurelog_delete': ('login', 403, 403, 403, 200),
    'admin:axes_accessfailurelog_history': ('login', 403, 403, 403, 200),
    'admin:axes_accesslog_add': ('login', 403, 403, 403, 403),
    'admin:axes_accesslog_change': ('login', 403, 403, 403, 200),
    'admin:axes_accesslog_changelist': ('login', 403, 403, 403, 200),
    'admin:axes_accesslog_delete': ('login', 403, 403, 403, 200),
    'admin:axes_accesslog_history': ('login', 403, 403, 403, 200),
    'admin:events_event_add': ('login', 200, 200, 200, 200),
    'admin:events_event_change': ('login', 403, 200, 200, 200),
    'admin:events_event_changelist': ('login', 200, 200, 200, 200),
    'admin:events_event_compare': ('login', 403, 404, 404, 404),
    'admin:events_event_delete': ('login', 403, 200, 200, 200),
    'admin:events_event_history': ('login', 403, 200, 200, 200),
    'admin:events_event_recover': ('login', 403, 403, 404, 404),
    'admin:events_event_recoverlist': ('login', 403, 403, 200, 200),
    'admin:events_event_revision': ('login', 403, 200, 200, 200),
    'admin:events_event_still_current': ('login', 405, 405, 405, 405),
    'admin:index': ('login', 200, 200, 200, 200),
    'admin:jsi18n': ('login', 200, 200, 200, 200),
    # Logged-in staff who open the login are sent to the start page.
    'admin:login': (200, 302, 302, 302, 302),
    'admin:logout': (302, 405, 405, 405, 405),
    'admin:offers_offer_add': ('login', 200, 200, 200, 200),
    'admin:offers_offer_change': ('login', 403, 200, 200, 200),
    'admin:offers_offer_changelist': ('login', 200, 200, 200, 200),
    'admin:offers_offer_compare': ('login', 403, 404, 404, 404),
    'admin:offers_offer_delete': ('login', 403, 200, 200, 200),
    'admin:offers_offer_export': ('login', 200, 200, 200, 200),
    'admin:offers_offer_history': ('login', 403, 200, 200, 200),
    'admin:offers_offer_import': ('login', 403, 403, 200, 200),
    'admin:offers_offer_process_import': ('login', 405, 405, 405, 405),
    'admin:offers_offer_recover': ('login', 403, 403, 404, 404),
    'admin:offers_offer_recoverlist': ('login', 403, 403, 200, 200),
    'admin:offers_offer_revision': ('login', 403, 200, 200, 200),
    'admin:offers_offer_still_current': ('login', 405, 405, 405, 405),
    'admin:offers_suggestion_accept': ('login', 405, 405, 405, 405),
    'admin:offers_suggestion_add': ('login', 403, 403, 403, 403),
    'admin:offers_suggestion_change': ('login', 403, 200, 200, 200),
    'admin:offers_suggestion_changelist': ('login', 200, 200, 200, 200),
    'admin:offers_suggestion_delete': ('login', 403, 403, 200, 200),
    'admin:offers_suggestion_history': ('login', 403, 200, 200, 200),
    'admin:offers_suggestion_reject': ('login', 405, 405, 405, 405),
    'admin:otp_static_staticdevice_add': ('login', 403, 403, 403, 200),
    'admin:otp_static_staticdevice_change': ('login', 403, 403, 403, 200),
    'admin:otp_static_staticdevice_changelist': ('login', 403, 403, 403, 200),
    'admin:otp_static_staticdevice_delete': ('login', 403, 403, 403, 200),
    'admin:otp_static_staticdevice_history': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_add': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_change': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_changelist': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_config': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_delete': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_history': ('login', 403, 403, 403, 200),
    'admin:otp_totp_totpdevice_qrcode': ('login', 403, 403, 403, 200),
    'admin:pages_page_add': ('login', 403, 403, 200, 200),
    'admin:pages_page_change': ('login', 403, 403, 200, 200),
    'admin:pages_page_changelist': ('login', 403, 403, 200, 200),
    'admin:pages_page_compare': ('login', 403, 403, 404, 404),
    'admin:pages_page_delete': ('login', 403, 403, 200, 200),
    'admin:pages_page_history': ('login', 403, 403, 200, 200),
    'admin:pages_page_recover': ('login', 403, 403, 404, 404),
    'admin:pages_page_recoverlist': ('login', 403, 403, 200, 200),
    'admin:pages_page_revision': ('login', 403, 403, 200, 200),
    'admin:password_change': ('login', 200, 200, 200, 200),
    'admin:password_change_done': ('login', 200, 200, 200, 200),
    'admin:places_city_add': ('login', 403, 403, 200, 200),
    'admin:places_city_change': ('login', 200, 200, 200, 200),
    'admin:places_city_changelist': ('login', 200, 200, 200, 200),
    'admin:places_city_compare': ('login', 404, 404, 404, 404),
    'admin:places_city_delete': ('login', 403, 403, 200, 200),
    'admin:places_city_history': ('login', 200, 200, 200, 200),
    'admin:places_city_recover': ('login', 403, 403, 404, 404),
    'admin:places_city_recoverlist': ('login', 403, 403, 200, 200),
    'admin:places_city_revision': ('login', 200, 200, 200, 200),
    'admin:places_district_add': ('login', 403, 403, 200, 200),
    'admin:places_district_change': ('login', 200, 200, 200, 200),
    'admin:places_district_changelist': ('login', 200, 200, 200, 200),
    'admin:places_district_compare': ('login', 404, 404, 404, 404),
    'admin:places_district_delete': ('login', 403, 403, 200, 200),
    'admin:places_district_history': ('login', 200, 200, 200, 200),
    'admin:places_district_recover': ('login', 403, 403, 404, 404),
    'admin:places_district_recoverlist': ('login', 403, 403, 200, 200),
    'admin:places_district_revision': ('login', 200, 200, 200, 200),
    'admin:places_venue_add': ('login', 403, 200, 200, 200),
    'admin:places_venue_change': ('login', 200, 200, 200, 200),
    'admin:places_venue_changelist': ('login', 200, 200, 200, 200),
    'admin:places_venue_compare': ('login', 404, 404, 404, 404),
    'admin:places_venue_delete': ('login', 403, 403, 200, 200),
    'admin:places_venue_geocode': ('login', 403, 503, 503, 503),
    'admin:places_venue_history': ('login', 200, 200, 200, 200),
    'admin:places_venue_recover': ('login', 403, 403, 404, 404),
    'admin:places_venue_recoverlist': ('login', 403, 403, 200, 200),
    'admin:places_venue_revision': ('login', 200, 200, 200, 200),
    'admin:providers_provider_add': ('login', 403, 200, 200, 200),
    'admin:providers_provider_change': ('login', 200, 200, 200, 200),
    'admin:providers_provider_changelist': ('login', 200, 200, 200, 200),
    'admin:providers_provider_compare': ('login', 404, 404, 404, 404),
    'admin:providers_provider_delete': ('login', 403, 403, 200, 200),
    'admin:providers_provider_export': ('login', 200, 200, 200, 200),
    'admin:providers_provider_history': ('login', 200, 200, 200, 200),
    'admin:providers_provider_import': ('login', 403, 403, 200, 200),
    'admin:providers_provider_process_import': ('login', 405, 405, 405, 405),
    'admin:providers_provider_recover': ('login', 403, 403, 404, 404),
    'admin:providers_provider_recoverlist': ('login', 403, 403, 200, 200),
    'admin:providers_provider_revision': ('login', 200, 200, 200, 200),
    'admin:translations_export': ('login', 403, 403, 400, 400),
    'admin:translations_import': ('login', 403, 403, 200, 200),
    'admin:translations_textchange_changelist': ('login', 403, 403, 200, 200),
    'admin:view_on_site events.event': ('login', 404, 302, 302, 302),
    'admin:view_on_site offers.offer': ('login', 404, 302, 302, 302),
    'admin:view_on_site pages.page': ('login', 404, 404, 302, 302),
    'admin:vocabularies_agegroup_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_agegroup_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_agegroup_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_agegroup_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_agegroup_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_agegroup_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_agegroup_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_agegroup_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_agegroup_revision': ('login', 200, 200, 200, 200),
    'admin:vocabularies_category_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_category_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_category_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_category_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_category_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_category_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_category_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_category_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_category_revision': ('login', 200, 200, 200, 200),
    'admin:vocabularies_gender_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_gender_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_gender_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_gender_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_gender_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_gender_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_gender_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_gender_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_gender_revision': ('login', 200, 200, 200, 200),
    'admin:vocabularies_migrationbackground_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_migrationbackground_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_migrationbackground_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_migrationbackground_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_migrationbackground_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_migrationbackground_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_migrationbackground_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_migrationbackground_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_migrationbackground_revision': ('login', 200, 200, 200, 200),
    'admin:vocabularies_offerlanguage_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_offerlanguage_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_offerlanguage_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_offerlanguage_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_offerlanguage_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_offerlanguage_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_offerlanguage_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_offerlanguage_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_offerlanguage_revision': ('login', 200, 200, 200, 200),
    'admin:vocabularies_targetgroup_add': ('login', 403, 403, 200, 200),
    'admin:vocabularies_targetgroup_change': ('login', 200, 200, 200, 200),
    'admin:vocabularies_targetgroup_changelist': ('login', 200, 200, 200, 200),
    'admin:vocabularies_targetgroup_compare': ('login', 404, 404, 404, 404),
    'admin:vocabularies_targetgroup_delete': ('login', 403, 403, 200, 200),
    'admin:vocabularies_targetgroup_history': ('login', 200, 200, 200, 200),
    'admin:vocabularies_targetgroup_recover': ('login', 403, 403, 404, 404),
    'admin:vocabularies_targetgroup_recoverlist': ('login', 403, 403, 200, 200),
    'admin:vocabularies_targetgroup_revision': ('login', 200, 200, 200, 200),
    'autocomplete events.event.city': ('login', 200, 200, 200, 200),
    'autocomplete events.event.district': ('login', 200, 200, 200, 200),
    'autocomplete events.event.organizer': ('login', 200, 200, 200, 200),
    'autocomplete events.event.rescheduled_to': ('login', 200, 200, 200, 200),
    'autocomplete events.event.venue': ('login', 200, 200, 200, 200),
    'autocomplete offers.offer.city': ('login', 200, 200, 200, 200),
    'autocomplete offers.offer.provider': ('login', 200, 200, 200, 200),
    'autocomplete offers.offer.venue': ('login', 200, 200, 200, 200),
    'autocomplete pages.page.parent': ('login', 403, 403, 200, 200),
    'autocomplete places.city.district': ('login', 200, 200, 200, 200),
    'autocomplete places.venue.city': ('login', 200, 200, 200, 200),
    'autocomplete providers.provider.city': ('login', 200, 200, 200, 200),
    'preview event calendar': (404, 404, 200, 200, 200),
    'preview events.event': (404, 404, 200, 200, 200),
    'preview offers.offer': (404, 404, 200, 200, 200),
    'preview pages.page': (404, 404, 404, 200, 200),
    'two_factor:backup_tokens': ('login', 'login', 'login', 'login', 'login'),
    'two_factor:disable': (302, 302, 302, 302, 302),
    'two_factor:login': (200, 200, 200, 200, 200),
    'two_factor:profile': ('login', 200, 200, 200, 200),
    'two_factor:qr': ('login', 404, 404, 404, 404),
    'two_factor:setup': ('login', 200, 200, 200, 200),
    'two_factor:setup_complete': ('login', 'login', 'login', 'login', 'login'),
}
# fmt: on


def admin_url_names():
    """Every named URL pattern under the admin's address, as namespace:name."""
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and (prefix + str(pattern.pattern)).startswith("admin/")
            ):
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def autocomplete_fields():
    """(app_label, model_name, field_name) of every autocomplete field of every admin and
    its inlines."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            for field in each.autocomplete_fields:
                found.add((each.model._meta.app_label, each.model._meta.model_name, field))
    return found


def autocomplete_key(app_label, model_name, field_name):
    return f"autocomplete {app_label}.{model_name}.{field_name}"


@pytest.fixture
def world(demo_data, admin_user):
    """The objects whose addresses are opened, by model label."""
    offer = unpublished(
        Offer.objects.filter(city__slug="unna").exclude(provider__slug="vhs-bergkamen"),
        PublicationStatus.DRAFT,
    )
    event = unpublished(
        Event.objects.filter(city__slug="unna").exclude(organizer__slug="vhs-bergkamen"),
        PublicationStatus.IN_REVIEW,
    )
    page = unpublished(Page.objects.all(), PublicationStatus.DRAFT)
    objects = {"offers.offer": offer, "events.event": event, "pages.page": page}
    objects["providers.provider"] = Provider.objects.get(slug="vhs-bergkamen")
    objects["auth.user"] = User.objects.get(username="ki-redaktion")
    objects["auth.group"] = Group.objects.first()
    objects["offers.suggestion"] = Suggestion.objects.filter(city__slug="unna").first()
    objects["otp_totp.totpdevice"] = TOTPDevice.objects.create(user=admin_user, name="app")
    objects["otp_static.staticdevice"] = StaticDevice.objects.create(user=admin_user)
    objects["axes.accessattempt"] = AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", failures_since_start=1
    )
    objects["axes.accesslog"] = AccessLog.objects.create(username="x", ip_address="192.0.2.1")
    objects["axes.accessfailurelog"] = AccessFailureLog.objects.create(
        username="x", ip_address="192.0.2.1"
    )
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in objects:
            objects[label] = model._default_manager.order_by("pk").first()
    versions = {}
    for label, entry in objects.items():
        if reversion.is_registered(type(entry)):
            with reversion.create_revision():
                entry.save()
            versions[label] = Version.objects.get_for_object(entry).first().pk
    return {"objects": objects, "versions": versions}


def address_of(name, world):
    """The address to open for a row of MATRIX."""
    objects, versions = world["objects"], world["versions"]
    if name.startswith("autocomplete "):
        app_label, model_name, field_name = name.split(" ", 1)[1].split(".")
        query = f"?app_label={app_label}&model_name={model_name}&field_name={field_name}"
        return reverse("admin:autocomplete") + query
    if name.startswith("preview "):
        kind = name.split(" ", 1)[1]
        if kind == "event calendar":
            return objects["events.event"].get_calendar_url()
        return objects[kind].get_absolute_url()
    if name.startswith("admin:view_on_site "):
        entry = objects[name.split(" ", 1)[1]]
        content_type = ContentType.objects.get_for_model(entry)
        return reverse("admin:view_on_site", args=[content_type.pk, entry.pk])
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "offers"})
    _namespace, _sep, view = name.partition(":")
    for label, entry in objects.items():
        prefix = label.replace(".", "_") + "_"
        if not view.startswith(prefix):
            continue
        action = view[len(prefix) :]
        if action in {
            "changelist",
            "add",
            "export",
            "import",
            "process_import",
            "recoverlist",
            "geocode",
        }:
            return reverse(name)
        if action in {"config", "qrcode"}:
            return reverse(name, kwargs={"pk": entry.pk})
        if action == "password_change":
            return reverse(name, args=[entry.pk])
        if action in {"revision"}:
            return reverse(name, args=[entry.pk, versions[label]])
        if action == "recover":
            return reverse(name, args=[versions[label]])
        return reverse(name, args=[entry.pk])
    return reverse(name)


def preview_rows():
    return [
        "preview offers.offer",
        "preview events.event",
        "preview event calendar",
        "preview pages.page",
        "admin:view_on_site offers.offer",
        "admin:view_on_site events.event",
        "admin:view_on_site pages.page",
    ]


def status_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return "login"
    return response.status_code


@pytest.fixture
def clients(world, admin_user):
    by_role = {}
    for role in ROLES:
        client = Client()
        if role == "superuser":
            client.force_login(admin_user)
        elif role != "anonymous":
            client.force_login(User.objects.get(username=role))
        by_role[role] = client
    return by_role


def all_rows():
    return sorted(
        (admin_url_names() - {"admin:view_on_site"})
        | {autocomplete_key(*field) for field in autocomplete_fields()}
        | set(preview_rows())
    )


def test_every_admin_address_is_in_the_matrix():
    assert set(all_rows()) == set(MATRIX)


def test_each_role_gets_what_the_matrix_says(world, clients):
    # One pass over all rows with one set of objects and sessions; the failure lists every
    # row that differs, with its address.
    differences = {}
    for name, expected in MATRIX.items():
        address = address_of(name, world)
        got = tuple(status_of(clients[role].get(address)) for role in ROLES)
        if got != expected:
            differences[f"{name} ({address})"] = {"expected": expected, "got": got}
    assert differences == {}
