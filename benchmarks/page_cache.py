"""Latency of cached and uncached public pages on the demo data (SQLite).

    .venv/bin/python benchmarks/page_cache.py [--requests 200]

Builds a fresh SQLite database with the demo data in a temporary PORTAL_VAR_DIR (settings
read from the environment, DEBUG off), then sends each page ``--requests`` times through
Django's test Client, in process (routing, middleware, view, database, templates; no web
server): once with PORTAL_CACHE off (every request rendered) and once with the page cache
on (the first request renders, the rest are hits). Prints median and p95 in milliseconds.
The temporary directory is removed at the end.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from timing import measure

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/de/", "/de/offers/?q=deutsch"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="portal-page-cache-")
    try:
        os.environ.update(
            PORTAL_VAR_DIR=var_dir,
            DEBUG="false",
            DJANGO_SETTINGS_MODULE="integration_portal.settings",
        )
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test Client's ALLOWED_HOSTS "testserver"
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        client = Client()
        print(f"{args.requests} requests per page, SQLite demo data, Django test client")
        print(f"{'page':28} {'uncached p50':>12} {'p95':>7} {'cached p50':>11} {'p95':>7}")
        for url in PAGES:
            settings.PORTAL_CACHE = False
            cold = measure(client, url, args.requests)
            settings.PORTAL_CACHE = True
            warm = measure(client, url, args.requests)
            assert warm[2]["X-Cache"] == "hit"
            print(f"{url:28} {cold[0]:12.2f} {cold[1]:7.2f} {warm[0]:11.2f} {warm[1]:7.2f}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
