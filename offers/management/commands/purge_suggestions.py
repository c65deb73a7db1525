"""Forget what the suggestion forms promise to forget. Run it daily (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from offers import suggestions
from offers.models import Suggestion


class Command(BaseCommand):
    help = (
        "Clear address hashes older than a day and senders' e-mail addresses older than "
        "PORTAL_SUGGESTION_EMAIL_DAYS; delete suggestions handled more than "
        "PORTAL_SUGGESTIONS_KEEP_DAYS ago, and the rate limit's counters of past hours."
    )

    def handle(self, *args, **options):
        hashes, emails, deleted = Suggestion.objects.purge()
        counters = suggestions.forget_old_counts()
        self.stdout.write(
            f"Cleared {hashes} address hashes and {emails} e-mail addresses; "
            f"deleted {deleted} handled suggestions and {counters} rate counters of past hours."
        )
