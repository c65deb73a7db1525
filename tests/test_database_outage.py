"""A real PostgreSQL outage: gunicorn (deploy/gunicorn.conf.py) talks to the test database
through a TCP proxy (tests/tcp_proxy.py) that the test cuts and restores.

PostgreSQL only: on SQLite the database is a file of the app server's own, and there is no
connection to lose.
"""

import time
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from offers.models import Offer
from tests.browser.conftest import _demo_database_copy, live_demo_data  # noqa: F401
from tests.servers import Gunicorn, get
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.usefixtures("postgresql_only", "live_demo_data")

OFFER = "/de/offers/badminton-castrop-rauxel/"


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "a database outage needs a database server to lose; SQLite is a local file "
            "(set DATABASE_URL=postgres://… to run this test)"
        )


@pytest.fixture
def portal_behind_proxy(postgresql_only, live_demo_data, tmp_path):  # noqa: F811
    database = connection.settings_dict
    proxy = TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)).start()
    user = urllib.parse.quote(database["USER"] or "postgres")
    password = f":{urllib.parse.quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    server = Gunicorn(
        {
            "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{database['NAME']}",
            "PORTAL_VAR_DIR": str(tmp_path),
            "DATABASE_CONNECT_TIMEOUT": "2",
            # Every request must reach the database: a page one of the workers happens to
            # have cached would still answer 200 during the outage (which is fine for the
            # visitor, but would make this test depend on which worker answers).
            "PORTAL_CACHE": "off",
        },
        tmp_path / "gunicorn.log",
    ).start()
    yield server, proxy
    server.stop()
    proxy.stop()


def first_answer_within(seconds, request, expected_status):
    """Repeat the request until it gets the expected status; the seconds that took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        answer = request()
        if answer.status == expected_status:
            return answer, time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"no {expected_status} within {seconds} s; last: {answer.status}")


def test_a_database_outage_gives_503_fast_and_the_portal_recovers_by_itself(
    portal_behind_proxy, capsys
):
    server, proxy = portal_behind_proxy
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    staff = get_user_model().objects.get(username="ki-redaktion")
    login = Client()
    login.force_login(staff)
    cookies = {"sessionid": login.cookies["sessionid"].value, "csrftoken": "c" * 32}
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    for address in ("/de/", OFFER, "/readyz"):
        assert get(server.url + address).status == 200, address

    proxy.cut()
    cut = time.monotonic()
    home, _ = first_answer_within(5, lambda: get(server.url + "/fr/"), 503)
    first_503 = time.monotonic() - cut
    assert home.headers["Retry-After"] == "30"
    assert "Le portail est momentanément indisponible" in home.text
    page = get(server.url + OFFER)
    assert page.status == 503 and page.seconds < 5
    assert get(server.url + "/readyz").status == 503
    assert get(server.url + "/healthz").status == 200
    change = f"/admin/offers/offer/{offer.pk}/change/"
    save = get(
        server.url + change,
        data=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": cookies["csrftoken"], "name_de": "Badminton im Dunkeln"}
        ).encode(),
        headers={"Cookie": cookie_header, "Accept-Language": "de", "Referer": server.url},
    )
    assert save.status == 503 and save.seconds < 5
    assert "Ihre Änderungen wurden nicht gespeichert" in save.text

    proxy.restore()
    restored = time.monotonic()
    first_answer_within(5, lambda: get(server.url + OFFER), 200)
    recovery = time.monotonic() - restored
    assert get(server.url + "/readyz").status == 200
    offer.refresh_from_db()
    assert offer.name_de != "Badminton im Dunkeln"
    with capsys.disabled():
        print(
            f"\noutage: first 503 after {first_503:.2f} s, "
            f"200 again {recovery:.2f} s after the return"
        )


def test_a_dropped_database_connection_costs_no_request(portal_behind_proxy):
    server, proxy = portal_behind_proxy
    # Warm every worker's persistent connection, then drop them all under the workers' feet.
    for _ in range(6):
        assert get(server.url + OFFER).status == 200
    proxy.drop_connections()
    answers = [get(server.url + OFFER).status for _ in range(6)]
    assert answers == [200] * 6
