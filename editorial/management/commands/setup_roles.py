from django.core.management.base import BaseCommand

from editorial.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create the staff roles (KI-Redaktion, Stadtredaktion, Anbieterkonto) as groups and "
        "set their permissions. Safe to run again; run it after every update."
    )

    def handle(self, *args, **options):
        for role, count in setup_roles().items():
            if options["verbosity"] > 0:
                self.stdout.write(f"{role}: {count} permissions")
