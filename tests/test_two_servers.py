"""Two app servers sharing one database and one Redis (README, "Caching"): a change made
through one shows at once on the other, and a session made on one is valid on the other.

Two real gunicorn processes, each on a port the system picked, with the test database (on
SQLite a file copy of it, which both share) and the Redis on 127.0.0.1:6379 under a key
prefix of this run.
"""

import http.client
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections

from offers.models import Offer
from tests.admin_forms import admin_url

pytestmark = pytest.mark.django_db(transaction=True)

OFFER_PAGE = "/de/offers/badminton-castrop-rauxel/"


def database_url(tmp_path):
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: the servers share a file copy.
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


class Server:
    def __init__(self, name, env, tmp_path):
        self.log = (tmp_path / f"{name}.log").open("w+")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "integration_portal.wsgi",
                "-b",
                "127.0.0.1:0",
                "-w",
                "1",
                "--timeout",
                "60",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.port = self.wait_for_port()
        except BaseException:
            self.stop()
            raise

    def wait_for_port(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.log.seek(0)
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log.read())
            if found:
                return int(found.group(1))
            assert self.process.poll() is None, self.output()
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.output()}")

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def request(self, method, path, body=None, cookies=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            body = urlencode(body, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read().decode()
        received = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            received.load(value)
        connection.close()
        return response, content, {key: morsel.value for key, morsel in received.items()}

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def servers(demo_data, tmp_path):
    user = User.objects.create_superuser("zwei-server", "zwei@example.org")
    # The servers run with the portal's own hashers, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode("geheim-und-lang-genug", hasher.salt(), iterations=1000)
    user.save()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "PORTAL_CACHE_KEY_PREFIX": f"test-two-servers-{uuid.uuid4().hex[:12]}",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "integration_portal.settings",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    started = []
    try:
        for name in ("a", "b"):
            started.append(Server(name, env, tmp_path))
        yield started
    finally:
        for server in started:
            server.stop()
        connections.close_all()


def test_a_change_through_one_server_shows_at_once_on_the_other(servers):
    a, b = servers
    # Anonymous visitors: B renders and caches the page, A serves B's copy (one Redis).
    response, _, _ = b.request("GET", OFFER_PAGE)
    assert response.status == 200 and response.headers["X-Cache"] == "miss"
    response, _, _ = a.request("GET", OFFER_PAGE)
    assert response.headers["X-Cache"] == "hit"

    # Staff log in through A ...
    response, login_page, cookies = a.request("GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    response, _, new_cookies = a.request(
        "POST",
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": token,
            # The first step of the login wizard (two_factor): name and password.
            "login_view-current_step": "auth",
            "auth-username": "zwei-server",
            "auth-password": "geheim-und-lang-genug",
            "next": "/admin/",
        },
        cookies=cookies,
        headers={"Referer": f"http://127.0.0.1:{a.port}/admin/login/"},
    )
    assert response.status == 302, a.output()
    cookies.update(new_cookies)
    assert "sessionid" in cookies
    # ... and their session is valid on B.
    response, _, _ = b.request("GET", "/admin/", cookies=cookies)
    assert response.status == 200

    # Through A's offer list, staff archive the offer (an admin action: an HTTP form).
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    url = admin_url(Offer, "changelist")
    response, list_page, _ = a.request("GET", url, cookies=cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', list_page).group(1)
    response, page, _ = a.request(
        "POST",
        url,
        {
            "csrfmiddlewaretoken": token,
            "action": "archive_selected",
            "index": "0",
            "_selected_action": str(offer.pk),
        },
        cookies=cookies,
        headers={"Referer": f"http://127.0.0.1:{a.port}{url}"},
    )
    assert response.status == 302, re.findall(r'<li class="(?:error|warning)">(.*?)</li>', page)

    # B, anonymous, shows the change at once: the archived offer is gone.
    response, _, _ = b.request("GET", OFFER_PAGE)
    assert response.status == 404
