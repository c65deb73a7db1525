from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile the .po catalogs in locale/ to .mo files with polib, so that no GNU gettext "
        "is needed (Django's compilemessages calls msgfmt)."
    )

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as error:  # polib is a development dependency
            raise CommandError("polib is missing: run 'make test' once to install it.") from error
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                catalog = polib.pofile(str(po_path))
                catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(
                    f"{po_path}: {len(catalog.translated_entries())} translated, "
                    f"{len(catalog.untranslated_entries())} untranslated, "
                    f"{len(catalog.fuzzy_entries())} fuzzy"
                )
