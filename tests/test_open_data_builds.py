"""The open-data download never builds inside a request (opendata/downloads.py): without a
build of the current content it serves the previous build while a background thread makes
the new one, and answers 503 with Retry-After while the very first is made.

These tests run real threads. The shared demo data (tests/conftest.py) lives in a
transaction that is never committed, which another thread's database connection cannot
see; so they commit theirs (``transaction=True``), and wait for the build thread through
the seam downloads.start_thread(), which returns it. (tests/test_open_data_download.py
runs the thread's work in the request instead, for the shared data.)
"""

import io
import logging
import threading
import zipfile

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from offers.models import Offer
from opendata import downloads, export

pytestmark = pytest.mark.django_db(transaction=True)

DOWNLOAD = "/api/hsds/download"
BASE_URL = "http://testserver/"
WAIT = 300  # seconds; a build of the demo data takes well under one


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def threads(monkeypatch):
    """The build threads the downloads start, in order; each is waited for at the end."""
    started = []
    real = downloads.start_thread

    def recording(base_url, key):
        thread = real(base_url, key)
        started.append(thread)
        return thread

    monkeypatch.setattr(downloads, "start_thread", recording)
    yield started
    for thread in started:
        thread.join(WAIT)


@pytest.fixture
def held_build(monkeypatch):
    """export.build() waits until the test sets the returned event."""
    release = threading.Event()
    real = export.build

    def waiting(*args, **kwargs):
        assert release.wait(WAIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "build", waiting)
    yield release
    release.set()


def download(client, name="open-data.zip", **extra):
    response = client.get(f"{DOWNLOAD}/{name}", **extra)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def finish(thread):
    thread.join(WAIT)
    assert not thread.is_alive()


def services_in_zip(body):
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("services.csv").decode("utf-8")


def test_without_any_build_a_download_answers_503_until_the_background_build_is_done(
    client, demo_data, threads, held_build
):
    response = download(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == str(downloads.RETRY_AFTER)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-cache"
    assert response.json()["message"] == "The files are being made. Please try again in a minute."
    assert response["Content-Language"] == "en"
    # In the client's language, and no second build while the first runs.
    german = download(client, "services.csv", HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 503
    with translation.override("de"):
        in_german = gettext("The files are being made. Please try again in a minute.")
    assert german.json()["message"] == in_german != response.json()["message"]
    assert len(threads) == 1
    held_build.set()
    finish(threads[0])
    response = download(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    services = services_in_zip(response.body)
    assert all(str(offer.uuid) in services for offer in Offer.objects.published())
    assert download(client, "open-data.json").status_code == 200
    assert len(threads) == 1


def test_another_processs_build_is_not_started_again(client, demo_data, threads):
    # Another process holds the lock for the current content's build.
    cache.add(downloads.lock_name(downloads.build_key(BASE_URL)), 1, 60)
    assert download(client).status_code == 503
    assert threads == []


def test_an_older_build_is_served_at_once_while_the_new_one_is_made(
    client, demo_data, threads, held_build
):
    held_build.set()
    old = downloads.rebuild(BASE_URL)  # as the nightly export_open_data does
    offer = Offer.objects.published().first()
    offer.name_de = "Ganz neuer Name"
    offer.save()  # a new content generation
    held_build.clear()

    response = download(client)
    assert response.status_code == 200
    assert response["ETag"] == f'"{old.files[export.ZIP_FILE]["sha256"]}"'
    assert "Ganz neuer Name" not in services_in_zip(response.body)
    assert len(threads) == 1
    page = client.get("/en/open-data/").content.decode()
    assert "The files here are from" in page
    assert "being made right now" in page

    held_build.set()
    finish(threads[0])
    response = download(client)
    assert response.status_code == 200
    assert response["ETag"] != f'"{old.files[export.ZIP_FILE]["sha256"]}"'
    assert "Ganz neuer Name" in services_in_zip(response.body)
    page = client.get("/en/open-data/").content.decode()
    assert "The files here are from" not in page and "Last made on" in page
    assert len(threads) == 1


def test_a_failed_build_is_logged_leaves_nothing_and_is_tried_again(
    client, demo_data, threads, monkeypatch, media_root, caplog
):
    real = export.build
    calls = []

    def failing_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("the disk is on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "build", failing_once)
    with caplog.at_level(logging.ERROR, logger="opendata.downloads"):
        assert download(client).status_code == 503
        finish(threads[0])
    failures = [record for record in caplog.records if record.name == "opendata.downloads"]
    assert len(failures) == 1 and failures[0].exc_info[0] is RuntimeError
    assert downloads.builds() == []
    assert not list(media_root.rglob("*.*"))  # no file of a build
    assert not downloads.building(BASE_URL)

    # The next download tries again, and that build succeeds.
    assert download(client).status_code == 503
    assert len(threads) == 2
    finish(threads[1])
    assert download(client).status_code == 200
    assert len(calls) == 2
