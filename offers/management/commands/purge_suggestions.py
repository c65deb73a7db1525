"""Forget what the suggestion forms promise to forget. Run it daily (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from offers.models import Suggestion


class Command(BaseCommand):
    help = (
        "Clear address hashes older than a day and senders' e-mail addresses older than "
        "PORTAL_SUGGESTION_EMAIL_DAYS; delete suggestions handled more than "
        "PORTAL_SUGGESTIONS_KEEP_DAYS ago."
    )

    def handle(self, *args, **options):
        hashes, emails, deleted = Suggestion.objects.purge()
        self.stdout.write(
            f"Cleared {hashes} address hashes and {emails} e-mail addresses; "
            f"deleted {deleted} handled suggestions."
        )
