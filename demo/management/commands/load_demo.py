from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

from content import derived
from demo.accounts import DEMO_PASSWORD, create_demo_accounts, existing_demo_accounts
from demo.machine_translations import mark_demo_machine_translations
from events.demo import create_upcoming_events
from places.models import District

DEMO_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


def demo_fixture_files():
    return sorted(str(path) for path in DEMO_FIXTURES_DIR.glob("*.json"))


class Command(BaseCommand):
    help = (
        "Load the demo data (districts, cities, providers, offers, events, pages), with "
        "upcoming events dated from today, and one staff account per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has data (used by 'make run', "
            "so that changes made in the admin survive a restart).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and District.objects.exists():
            self.stdout.write("The database already has data; demo data not loaded.")
            self.print_logins()
            return
        # One loaddata call: all files in one transaction, so references between them
        # resolve whatever the order.
        call_command("loaddata", *demo_fixture_files(), verbosity=options["verbosity"])
        # loaddata saves raw rows, bypassing the receivers that keep derived data (search
        # text, event occurrences) current.
        derived.refresh_all()
        # The fixtures hold the real (past) Ennepe-Ruhr events; upcoming ones can only be
        # dated relative to today, so they are written here.
        create_upcoming_events()
        mark_demo_machine_translations([code for code, _name in settings.LANGUAGES])
        create_demo_accounts()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_logins()

    def print_logins(self):
        accounts = existing_demo_accounts()
        if not accounts:
            return
        self.stdout.write(f"Demo accounts for /admin/ (password for each: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:14} {account.role}: {account.what}")
