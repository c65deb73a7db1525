"""Which texts of the demo data are machine translations.

The demo's German texts and their English versions were written by people; every other
language (the vocabularies, the information pages, the offers and upcoming events that
have them) was translated by machine and has not been reviewed. load_demo flags those
texts, so that the public pages say so (translations/machine.py) and a translator can
find them.
"""

from translations.machine import mark_machine_translated
from translations.status import translatable_models

HUMAN_LANGUAGES = ("de", "en")


def mark_demo_machine_translations(languages):
    """Flag every demo text in ``languages`` other than German and English."""
    machine_languages = [code for code in languages if code not in HUMAN_LANGUAGES]
    return sum(
        mark_machine_translated(model._default_manager.all(), machine_languages)
        for model in translatable_models()
    )
