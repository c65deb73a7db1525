"""How long the admin's spreadsheet import takes for a district-sized file.

    .venv/bin/python benchmarks/import_speed.py [--rows 550] [--database-url URL]
        [--profile {preview,confirm}]

Builds a scratch database (SQLite in a temporary directory by default; with
``--database-url`` a PostgreSQL database that is emptied and reused), migrates it, loads
the demo data and imports the example providers. Then it uploads an offers CSV of
``--rows`` rows (the example file's rows repeated under new slugs) through the admin, as a
KI editor does: the preview, the confirmed import, and a second preview of the same file
(which must report every row unchanged). Requests go through Django's test client in
process; the figures include URL routing, the import-export views and the database.
With ``--profile preview`` (or ``confirm``) that step runs under cProfile and the functions
that take the most time (including what they call) are printed, with the number of database
queries.
"""

import argparse
import cProfile
import csv
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_database_if_missing(url):
    """The scratch database need not exist yet: create it through the server's
    ``postgres`` database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=550)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
    parser.add_argument(
        "--profile", choices=["preview", "confirm"], help="profile the preview or the import"
    )
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="portal-import-bench-")
    os.environ["PORTAL_VAR_DIR"] = scratch
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        create_database_if_missing(args.database_url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_portal.settings")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from offers.models import Offer

    setup_test_environment()
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    # DEBUG off, as in production: the admin's pages need the hashed static files' manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("setup_roles", verbosity=0)
    call_command("load_demo", verbosity=0)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", SERVER_NAME="localhost")
    client.force_login(User.objects.create_superuser("bench", "bench@example.org", "x"))

    def upload(model, content, name, profile=None):
        app = {"offer": "offers", "provider": "providers"}[model]
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        preview = client.post(
            f"/admin/{app}/{model}/import/",
            {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, content)},
        )
        if profile:
            profile.disable()
        preview_seconds = (time.perf_counter() - started, time.process_time() - cpu)
        result = preview.context["result"]
        form = preview.context["confirm_form"]
        return preview_seconds, result, form, app

    def confirm(app, model, form, profile=None):
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        response = client.post(f"/admin/{app}/{model}/process_import/", {**form.initial})
        if profile:
            profile.disable()
        assert response.status_code in (200, 302), response.status_code
        return (time.perf_counter() - started, time.process_time() - cpu)

    def report(step, profile, queries):
        print(f"{step} of {args.rows} rows: {len(queries)} database queries")
        profile.dump_stats(f"/tmp/import-{step.split()[0].lower()}.prof")
        pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            40
        )

    providers = (ROOT / "fixtures/import/providers-example.csv").read_bytes()
    _seconds, _result, form, app = upload("provider", providers, "providers.csv")
    confirm(app, "provider", form)

    with (ROOT / "fixtures/import/offers-example.csv").open(encoding="utf-8") as file:
        example = list(csv.DictReader(file))
    rows = []
    for number in range(args.rows):
        row = dict(example[number % len(example)])
        row["slug"] = f"{row['slug']}-{number}"
        row["name_de"] = f"{row['name_de']} {number}"
        rows.append(row)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    content = output.getvalue().encode("utf-8")

    before = Offer.objects.count()
    profile = cProfile.Profile() if args.profile else None
    with CaptureQueriesContext(connection) as queries:
        preview_profile = profile if args.profile == "preview" else None
        preview_seconds, result, form, app = upload("offer", content, "offers.csv", preview_profile)
    if args.profile == "preview":
        report("Preview", profile, queries)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Offer.objects.count() == before, "the preview wrote something"
    with CaptureQueriesContext(connection) as queries:
        confirm_profile = profile if args.profile == "confirm" else None
        confirm_seconds = confirm(app, "offer", form, confirm_profile)
    if args.profile == "confirm":
        report("Confirmed import", profile, queries)
    assert Offer.objects.count() == before + args.rows
    again_seconds, again, _form, _app = upload("offer", content, "offers.csv")
    unchanged = sum(1 for row in again.rows if row.import_type == "skip")

    backend = "PostgreSQL" if args.database_url else "SQLite"
    # The CPU time of this process (the app's work without the database's) is less
    # sensitive than the wall-clock time to other work on a shared machine.
    print(f"{backend}, {args.rows} offer rows (wall clock / CPU time of this process):")
    print("  preview            {:6.1f} s / {:6.1f} s".format(*preview_seconds))
    print("  confirmed import   {:6.1f} s / {:6.1f} s".format(*confirm_seconds))
    print(
        "  preview, 2nd time  {:6.1f} s / {:6.1f} s".format(*again_seconds)
        + f"  ({unchanged} of {args.rows} unchanged)"
    )


if __name__ == "__main__":
    main()
