"""The README's backup and restore commands, run as written: a dump of the database and
the uploaded files, restored into a fresh database and folder, keeps the offers with their
translations, the version history and the event attachments (row and file)."""

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.db.utils import load_backend
from reversion.models import Version

from editorial.history import record_change
from events.models import Event, EventAttachment
from offers.models import Offer
from tests.factories import make_city, make_provider, make_vocabulary
from vocabularies.models import AgeGroup, Category, MigrationBackground

pytestmark = pytest.mark.django_db(transaction=True)

README = Path(settings.BASE_DIR) / "README.md"
PDF = b"%PDF-1.4\n% the programme of the festival week\n"


def readme_block(title):
    """The shell block of the README that begins with the comment ``# <title>``."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    [block] = [block for block in blocks if block.startswith(f"# {title}\n")]
    return block


def run(title, **environment):
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", readme_block(title)],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", **environment},
        check=True,
        capture_output=True,
    )


def make_content(media_root):
    city = make_city("Unna")
    offer = Offer(
        name_de="Sprachcafé",
        name_ar="مقهى اللغة",
        name_uk="Мовне кафе",
        slug="sprachcafe",
        description_de="Deutsch sprechen bei Kaffee und Tee.",
        description_tr="Çay ve kahve eşliğinde Almanca konuşma.",
        provider=make_provider("Sprachbrücke"),
        city=city,
        migration_background=make_vocabulary(MigrationBackground, "Offen für alle"),
    )
    with record_change(None, "Angelegt"):
        offer.save()
        offer.categories.add(make_vocabulary(Category, "Begegnung"))
        offer.age_groups.add(make_vocabulary(AgeGroup, "Erwachsene"))
    with record_change(None, "Arabisch korrigiert"):
        offer.name_ar = "مقهى اللغات"
        offer.save()
    event = Event.objects.create(
        title_de="Festwoche", slug="festwoche", district=city.district, city=city
    )
    attachment = EventAttachment(event=event, title="Programm")
    attachment.file.save("programm.pdf", ContentFile(PDF))
    assert (media_root / attachment.file.name).read_bytes() == PDF
    return offer, attachment


def state(alias):
    """What a backup must keep, as the ORM reads it from a database."""
    offer = Offer.objects.using(alias).get(slug="sprachcafe")
    versions = Version.objects.using(alias).get_for_object(offer).order_by("pk")
    attachment = EventAttachment.objects.using(alias).get()
    return {
        "offers": Offer.objects.using(alias).count(),
        "texts": (offer.name_de, offer.name_ar, offer.name_uk, offer.description_tr),
        "categories": sorted(c.slug for c in offer.categories.all()),
        "search_text": offer.search_text,
        "versions": [
            (v.revision.comment, v.field_dict["name_ar"], v.field_dict["name_uk"]) for v in versions
        ],
        "attachment": (attachment.event.slug, attachment.title, attachment.file.name),
    }


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def restored_alias():
    """A database alias for the restored copy; open_restored() connects it."""
    yield "restored"
    try:
        restored = connections["restored"]
    except Exception:  # never opened
        return
    restored.close()
    del connections["restored"]


def open_restored(alias, **settings_dict):
    """A connection to the restored database under ``alias``, made by hand rather than
    declared in DATABASES: the test database must not know of it (it would create and
    flush it as a test database)."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = wrapper


def test_a_backup_restores_offers_history_and_attachments(tmp_path, media_root, restored_alias):
    """The README's procedure for the database the tests run on."""
    _offer, attachment = make_content(media_root)
    before = state("default")
    assert len(before["versions"]) == 2
    restored_media = tmp_path / "restored-media"
    if connection.vendor == "postgresql":
        restore_postgresql(tmp_path, media_root, restored_media, restored_alias, before)
    else:
        restore_sqlite(tmp_path, media_root, restored_media, restored_alias, before)
    assert (restored_media / attachment.file.name).read_bytes() == PDF


def restore_postgresql(tmp_path, media_root, restored_media, alias, before):
    db = connection.settings_dict
    base = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"
    fresh = f"{db['NAME']}_restored"
    backup = tmp_path / "backup"
    password = {"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {}
    run(
        "backup: PostgreSQL",
        DATABASE_URL=f"{base}/{db['NAME']}",
        MEDIA_ROOT=str(media_root),
        BACKUP_DIR=str(backup),
        **password,
    )
    with connection.cursor() as cursor:
        # Creating a database waits for others being created (the suite's other process):
        # no web request's statement timeout for this (settings, DATABASE_STATEMENT_TIMEOUT).
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
        cursor.execute("RESET statement_timeout")
    try:
        run(
            "restore: PostgreSQL",
            DATABASE_URL=f"{base}/{fresh}",
            MEDIA_ROOT=str(restored_media),
            BACKUP_DIR=str(backup),
            **password,
        )
        open_restored(alias, **{**db, "NAME": fresh})
        assert state(alias) == before
        connections[alias].close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            cursor.execute("RESET statement_timeout")


def restore_sqlite(tmp_path, media_root, restored_media, alias, before):
    # The test database lives in memory; the portal's is a file: copy it into one.
    live = tmp_path / "db.sqlite3"
    target = sqlite3.connect(live)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    backup = tmp_path / "backup"
    run("backup: SQLite", SQLITE_DB=str(live), MEDIA_ROOT=str(media_root), BACKUP_DIR=str(backup))
    fresh = tmp_path / "restored.sqlite3"
    run(
        "restore: SQLite",
        SQLITE_DB=str(fresh),
        MEDIA_ROOT=str(restored_media),
        BACKUP_DIR=str(backup),
    )
    open_restored(alias, **{**connection.settings_dict, "NAME": str(fresh)})
    assert state(alias) == before
    connections[alias].close()
