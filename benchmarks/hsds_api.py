"""Latency of the open-data API (/api/hsds/) at many offers, cold and warm.

    DATABASE_URL=postgres://.../bench_db .venv/bin/python benchmarks/hsds_api.py [--requests 50]

Runs against the database DATABASE_URL names (it must be given: the benchmark changes no
data, but it should not run against a portal's own database by accident), which should hold
the demo data and generated offers (``manage.py load_demo``, ``manage.py generate_offers
--count 10000``). Sends each address ``--requests`` times through Django's test Client, in
process: with PORTAL_CACHE off (every answer computed) and on (answers kept per content
generation). Prints median and p95 in milliseconds (the number of queries per page is fixed and
tested: tests/test_hsds_api.py).
"""

import argparse
import os
import sys
from pathlib import Path

from timing import measure

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the benchmark's database.")
    os.environ.update(DEBUG="false", DJANGO_SETTINGS_MODULE="integration_portal.settings")
    # One client sends hundreds of requests a minute here: without this, the API's rate
    # limit would answer most of them with 429.
    os.environ["OPEN_DATA_REQUESTS_PER_MINUTE"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from offers.models import Offer
    from providers.models import Provider
    from vocabularies.models import Category

    setup_test_environment()
    client = Client()
    category = Category.objects.order_by("pk").first()
    provider = Provider.objects.filter(offers__isnull=False).order_by("pk").first()
    offer = Offer.objects.published().order_by("pk").first()
    urls = [
        "/api/hsds/services",
        "/api/hsds/services?per_page=100",
        "/api/hsds/services?page=100",
        f"/api/hsds/services?taxonomy_term_id={category.uuid}",
        f"/api/hsds/services?organization_id={provider.uuid}",
        "/api/hsds/services?search=deutsch",
        f"/api/hsds/services/{offer.uuid}",
        "/api/hsds/service_at_locations",
        "/api/hsds/organizations",
        "/api/hsds/taxonomy_terms",
    ]
    published = Offer.objects.published().count()
    print(
        f"{args.requests} requests per address, {published} published offers, {connection.vendor}"
    )
    print(f"{'address':52} {'cold p50':>9} {'p95':>7} {'warm p50':>9} {'p95':>7}")
    for url in urls:
        settings.PORTAL_CACHE = False
        cold = measure(client, url, args.requests)
        settings.PORTAL_CACHE = True
        warm = measure(client, url, args.requests)
        shown = url.replace("/api/hsds", "")[:52]
        timings = f"{cold[0]:9.1f} {cold[1]:7.1f} {warm[0]:9.1f} {warm[1]:7.1f}"
        print(f"{shown:52} {timings}")


if __name__ == "__main__":
    main()
