"""Build the open-data download (README, "Open-data download").

    python manage.py export_open_data [--base-url https://portal.example/] [--output DIR]

Without --output: builds the files for the current content into the file storage, where
the download addresses (/api/hsds/download/...) serve them from; they would otherwise be
built by the first download after a change. Run it nightly (deploy/systemd/
portal-open-data.timer) so that the first visitor never waits. With --output: also writes
the files to DIR (e.g. for a data portal's upload).

The files carry absolute links (a provider's page, its logo), so they are built for one
address of the portal: --base-url, else https:// and the first of ALLOWED_HOSTS.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata import downloads


def default_base_url():
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "testserver")]
    if not hosts:
        return "http://localhost:8000/"
    host = hosts[0].lstrip(".")
    return f"https://{host}/"


class Command(BaseCommand):
    help = "Build the open-data download (HSDS tabular CSVs, datapackage.json, ZIP, JSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="the portal's address the links in the files start with "
            "(default: https:// and the first of ALLOWED_HOSTS)",
        )
        parser.add_argument("--output", type=Path, help="also write the files to this folder")

    def handle(self, *args, base_url=None, output=None, **options):
        base_url = base_url or default_base_url()
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must start with http:// or https://: {base_url!r}")
        base_url = base_url.rstrip("/") + "/"
        started = time.perf_counter()
        build = downloads.rebuild(base_url)
        seconds = time.perf_counter() - started
        if output is not None:
            output.mkdir(parents=True, exist_ok=True)
            for name in build.files:
                with build.open(name) as stored:
                    (output / name).write_bytes(stored.read())
        if options["verbosity"]:
            total = sum(entry["size"] for entry in build.files.values())
            where = f" and to {output}" if output is not None else ""
            self.stdout.write(
                f"Built {len(build.files)} files ({total / 1e6:.1f} MB) for {base_url} in "
                f"{seconds:.1f} s, into the file storage{where}."
            )
