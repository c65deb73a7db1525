"""The admin login's defences (issue 13, findings 5 and 6): a lockout after repeated wrong
passwords, per account and per address, for a limited time; and the second factor
(an authenticator app with backup codes), required of the accounts PORTAL_2FA_REQUIRED
names."""

import logging
from base64 import b32decode
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from editorial.roles import CITY_EDITORS, KI_EDITORS
from tests.pages import html_of

pytestmark = pytest.mark.django_db

PASSWORD = "richtig-und-lang-genug"


def log_in(client, username, password, address="192.0.2.10", next_url="/admin/"):
    """The password step of the admin login, from ``address``."""
    return client.post(
        reverse("admin:login") + f"?next={next_url}",
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="de",
    )


def enter_token(client, token, step="token", address="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"login_view-current_step": step, f"{step}-otp_token": token},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="de",
    )


def logged_in(client):
    return client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").status_code == 200


@pytest.fixture
def staff(db):
    call_command("setup_roles", verbosity=0)

    def make(username, role=CITY_EDITORS, **extra):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


# --- Lockout -------------------------------------------------------------------------------


def test_the_right_password_is_refused_after_five_wrong_ones(client, staff, caplog):
    staff("stadt-kamen")
    for _attempt in range(4):
        response = log_in(client, "stadt-kamen", "falsch")
        assert response.status_code == 200  # the form again, with its error
    assert log_in(client, "stadt-kamen", "falsch").status_code == 429  # the fifth locks
    with caplog.at_level(logging.WARNING):
        response = log_in(client, "stadt-kamen", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert "15 Minuten" in page
    assert not logged_in(client)
    assert any("locked out" in record.getMessage() for record in caplog.records)


def test_the_lock_is_per_account_from_any_address(client, staff):
    staff("stadt-kamen")
    for number in range(5):
        log_in(client, "stadt-kamen", "falsch", address=f"192.0.2.{number + 1}")
    assert log_in(client, "stadt-kamen", PASSWORD, address="198.51.100.7").status_code == 429


def test_the_lock_is_per_address_for_any_account(client, staff):
    staff("stadt-kamen")
    for number in range(5):
        log_in(client, f"geraten-{number}", "falsch", address="203.0.113.5")
    assert log_in(client, "stadt-kamen", PASSWORD, address="203.0.113.5").status_code == 429


def test_another_account_from_another_address_is_unaffected(client, staff):
    staff("stadt-kamen")
    staff("stadt-unna")
    for _attempt in range(5):
        log_in(client, "stadt-kamen", "falsch", address="203.0.113.5")
    response = log_in(client, "stadt-unna", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, staff):
    staff("stadt-kamen")
    for _attempt in range(6):  # a further try during the lock does not extend it
        log_in(client, "stadt-kamen", "falsch")
    assert log_in(client, "stadt-kamen", PASSWORD).status_code == 429
    # Sixteen minutes later, as far as the stored attempts tell.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert log_in(client, "stadt-kamen", PASSWORD).status_code == 302
    assert logged_in(client)


def test_behind_a_proxy_the_forwarded_address_counts(client, staff, settings):
    settings.PORTAL_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    staff("stadt-kamen")
    for number in range(5):
        client.post(
            reverse("admin:login"),
            {
                "login_view-current_step": "auth",
                "auth-username": f"geraten-{number}",
                "auth-password": "falsch",
            },
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


# --- Second factor -------------------------------------------------------------------------


def token_for(device, offset=0):
    """The code the authenticator app shows now (or ``offset`` steps later)."""
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(token + offset) % 10**device.digits:0{device.digits}d}"


def test_staff_enrol_an_authenticator_app_and_get_backup_codes(client, staff):
    user = staff("stadt-kamen")
    client.force_login(user)
    setup = reverse("two_factor:setup")
    welcome = client.get(setup, HTTP_ACCEPT_LANGUAGE="de")
    assert welcome.status_code == 200
    assert "Zwei-Faktor" in html_of(welcome)
    generator = client.post(setup, {"setup_view-current_step": "welcome"})
    page = html_of(generator)
    qr_url = reverse("two_factor:qr")
    assert qr_url in page
    assert "//cdnjs" not in page  # everything the page needs comes from the portal itself
    qr_code = client.get(qr_url)
    assert qr_code["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in qr_code.content

    # What the phone computes from the scanned code (which holds the key in base32).
    key = b32decode(client.session["django_two_factor-qr_secret_key"])
    token = f"{totp(key):06d}"
    done = client.post(setup, {"setup_view-current_step": "generator", "generator-token": token})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    tokens_page = client.post(reverse("two_factor:backup_tokens"), follow=True)
    device = StaticDevice.objects.get(user=user)
    codes = [token.token for token in device.token_set.all()]
    assert len(codes) == 10
    assert all(code in html_of(tokens_page) for code in codes)


@pytest.fixture
def ki_with_app(staff, settings):
    settings.PORTAL_2FA_REQUIRED = "ki-redaktion"
    user = staff("ki-leitung", role=KI_EDITORS)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup")
    backup.token_set.create(token="abcd1234")
    return user, device


def test_the_login_asks_for_the_code_and_lets_in_with_it(client, ki_with_app):
    _user, device = ki_with_app
    response = log_in(client, "ki-leitung", PASSWORD)
    assert response.status_code == 200
    assert 'name="token-otp_token"' in html_of(response)
    assert not logged_in(client)
    assert enter_token(client, token_for(device)).status_code == 302
    assert logged_in(client)


def test_a_wrong_code_is_refused(client, ki_with_app):
    _user, device = ki_with_app
    log_in(client, "ki-leitung", PASSWORD)
    response = enter_token(client, token_for(device, offset=1))
    assert response.status_code == 200
    assert not logged_in(client)


def test_a_backup_code_lets_in_once(client, ki_with_app):
    log_in(client, "ki-leitung", PASSWORD)
    assert enter_token(client, "abcd1234", step="backup").status_code == 302
    assert logged_in(client)

    client.logout()
    log_in(client, "ki-leitung", PASSWORD)
    assert enter_token(client, "abcd1234", step="backup").status_code == 200
    assert not logged_in(client)


@pytest.mark.parametrize(
    "rule, role, must",
    [
        ("ki-redaktion", KI_EDITORS, True),
        ("ki-redaktion", CITY_EDITORS, False),
        ("superusers", KI_EDITORS, False),
        ("all-staff", CITY_EDITORS, True),
        ("off", KI_EDITORS, False),
    ],
)
def test_a_required_account_without_a_device_is_sent_to_the_setup(
    client, staff, settings, rule, role, must
):
    settings.PORTAL_2FA_REQUIRED = rule
    staff("konto", role=role)
    response = log_in(client, "konto", PASSWORD)
    assert response.status_code == 302
    for address in ["/admin/", reverse("admin:offers_offer_changelist")]:
        response = client.get(address)
        if must:
            assert response.status_code == 302
            assert response["Location"] == reverse("two_factor:setup")
        else:
            assert response.status_code == 200


def test_a_superuser_must_always_when_required(client, settings, db):
    settings.PORTAL_2FA_REQUIRED = "superusers"
    User.objects.create_superuser("admin", password=PASSWORD)
    log_in(client, "admin", PASSWORD)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:setup")
    # The setup itself and logging out stay open.
    assert client.get(reverse("two_factor:setup")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code == 200


def test_a_session_without_the_code_must_log_in_again(client, ki_with_app):
    user, _device = ki_with_app
    client.force_login(user)  # a session that never gave the code
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_editor_who_opens_the_login_goes_to_the_start_page(client, staff):
    staff("stadt")
    log_in(client, "stadt", PASSWORD)
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_session_still_owing_the_code_sees_the_login_again(client, ki_with_app):
    user, _device = ki_with_app
    client.force_login(user)  # a session that never gave the code
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert 'name="auth-username"' in html_of(response)
