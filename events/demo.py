"""Upcoming demo events, dated relative to the day the demo data is loaded.

The fixtures hold the real Ennepe-Ruhr events of 2019 and 2020, which are long past. So
that a fresh demo shows a full upcoming list, load_demo calls create_upcoming_events(),
which writes these events with dates counted from today: a monthly series with one
cancelled evening, a fortnightly series, an event on three separate days, a festival week,
an exhibition running now, and one event of each status. Running it again updates them in
place (matched by slug), with dates counted from the new day.

All persons are fictional; all addresses are at example.org.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from places.models import City, District, Venue
from providers.models import Provider
from vocabularies.models import Category, TargetGroup

from .models import CancelledDate, Event, EventAttachment, EventDate, EventStatus
from .recurrence import BERLIN, Repeat


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


def second_tuesday_after(day):
    """The first 2nd Tuesday of a month later than ``day``."""
    month = day.replace(day=1)
    while True:
        first_tuesday = month + dt.timedelta(days=(1 - month.weekday()) % 7)
        second = first_tuesday + dt.timedelta(days=7)
        if second > day:
            return second
        month = (month + dt.timedelta(days=32)).replace(day=1)


def next_weekday(day, weekday):
    """The first ``weekday`` (0 = Monday) after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def plan(today):
    """The demo events as dictionaries: fields, then dates, cancelled days, vocabularies
    and attachments by natural keys."""
    cafe_start = second_tuesday_after(today)
    reading_start = next_weekday(today, 5)  # a Saturday
    # The information evening is moved to a later date: two events, alike but for the
    # date and the status.
    infoabend = {
        "district": "kreis-unna",
        "city": "schwerte",
        "venue": ("Volkshochschule Schwerte", "schwerte"),
        "organizer": "vhs-schwerte",
        "description_de": (
            "Betriebe, Berufsschule und Jobcenter stellen Ausbildungswege vor und "
            "beantworten Fragen von jungen Geflüchteten und ihren Familien."
        ),
        "description_en": (
            "Companies, the vocational school and the job centre present ways into "
            "vocational training and answer questions from young refugees and their "
            "families."
        ),
        "contact_name": "Nele Schmitz",
        "contact_phone": "0123 4567-107",
        "contact_email": "beruf@example.org",
        "categories": ["arbeitsmarkt-fortbildung"],
        "target_groups": ["refugees"],
    }
    return [
        {
            "slug": "sprachcafe-unna",
            "district": "kreis-unna",
            "city": "unna",
            "venue": ("Zentrum für Information und Bildung (zib)", "unna"),
            "organizer": "vhs-unna-froendenberg-holzwickede",
            "status": EventStatus.CONFIRMED,
            "title_de": "Sprachcafé im zib",
            "title_en": "Language café at the zib",
            "description_de": (
                "Deutsch sprechen üben bei Kaffee und Tee: Ehrenamtliche und Neuzugewanderte "
                "treffen sich jeden zweiten Dienstag im Monat zum Gespräch in kleinen Runden. "
                "Alle Sprachniveaus sind willkommen, Vorkenntnisse sind nicht nötig."
            ),
            "description_en": (
                "Practise speaking German over coffee and tea: volunteers and newcomers meet "
                "on the second Tuesday of every month to talk in small groups. All levels "
                "are welcome; no previous knowledge is needed."
            ),
            "venue_note_de": "Raum 2.04, zweites Obergeschoss",
            "venue_note_en": "Room 2.04, second floor",
            "contact_name": "Lea Hoffmann",
            "contact_phone": "0123 4567-101",
            "contact_email": "sprachcafe@example.org",
            "categories": ["begegnung", "sprachkurs-sprachfoerderung"],
            "target_groups": ["everyone"],
            "dates": [
                {
                    "start": at(cafe_start, 18),
                    "end": at(cafe_start, 20),
                    "repeat": Repeat.MONTHLY_WEEKDAY,
                    "repeat_until": cafe_start + dt.timedelta(weeks=26),
                }
            ],
            # The third evening falls into the holidays.
            "cancelled": [second_tuesday_after(second_tuesday_after(cafe_start))],
        },
        {
            "slug": "vorlesestunde-luenen",
            "district": "kreis-unna",
            "city": "luenen",
            "venue": ("Stadtbibliothek Lünen", "luenen"),
            "organizer": "stadtbibliothek-luenen",
            "status": EventStatus.SCHEDULED,
            "title_de": "Vorlesestunde in vielen Sprachen",
            "title_en": "Story time in many languages",
            "description_de": (
                "Alle zwei Wochen lesen Ehrenamtliche Bilderbücher auf Deutsch und in einer "
                "zweiten Sprache vor, etwa Arabisch, Türkisch oder Ukrainisch. Für Kinder von "
                "drei bis acht Jahren mit ihren Eltern."
            ),
            "description_en": (
                "Every other week, volunteers read picture books aloud in German and in a "
                "second language such as Arabic, Turkish or Ukrainian. For children from three "
                "to eight with their parents."
            ),
            "contact_name": "Murat Demir",
            "contact_phone": "0123 4567-102",
            "contact_email": "vorlesen@example.org",
            "categories": ["familie-kinder", "freizeit-kultur"],
            "target_groups": ["parents"],
            "dates": [
                {
                    "start": at(reading_start, 11),
                    "end": at(reading_start, 12),
                    "repeat": Repeat.WEEKLY,
                    "interval": 2,
                    "repeat_until": reading_start + dt.timedelta(weeks=14),
                }
            ],
        },
        {
            "slug": "grundlagenschulung-sprachmittlung-kamen",
            "district": "kreis-unna",
            "city": "kamen",
            "venue": ("VHS Kamen-Bönen", "kamen"),
            "organizer": "ki-kreis-unna",
            "status": EventStatus.SCHEDULED,
            "title_de": "Laien-Sprachmittlerpool: Grundlagenschulung in Kamen",
            "title_en": "Community interpreters: basic training in Kamen",
            "description_de": (
                "Wer mehrere Sprachen spricht, kann bei Elterngesprächen, Arztbesuchen oder "
                "Behördengängen helfen. Die Schulung an drei Nachmittagen bereitet auf das "
                "Dolmetschen im Ehrenamt vor: Rolle, Schweigepflicht und Gesprächstechnik."
            ),
            "description_en": (
                "If you speak several languages, you can help at parent meetings, doctor's "
                "appointments or visits to public offices. The training on three afternoons "
                "prepares you for volunteer interpreting: your role, confidentiality and "
                "conversation skills."
            ),
            "target_group_note_de": "Eine Teilnahme an allen drei Terminen ist erforderlich.",
            "target_group_note_en": "Please attend all three dates.",
            "registration_required": True,
            "registration_how_de": "Bitte melden Sie sich per E-Mail mit Ihren Sprachen an.",
            "registration_how_en": "Please register by e-mail and name your languages.",
            "registration_email": "sprachmittlung@example.org",
            "registration_deadline": today + dt.timedelta(days=14),
            "contact_name": "Sofia Kowalski",
            "contact_phone": "0123 4567-103",
            "contact_email": "s.kowalski@example.org",
            "categories": ["ehrenamt", "sprachkurs-sprachfoerderung"],
            "target_groups": ["people-with-language-skills"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=days), 15),
                    "end": at(today + dt.timedelta(days=days), 19),
                }
                for days in (21, 23, 28)
            ],
        },
        {
            "slug": "interkulturelle-woche-kreis-unna",
            "district": "kreis-unna",
            "city": None,
            "venue": None,
            "organizer": "ki-kreis-unna",
            "status": EventStatus.CONFIRMED,
            "title_de": "Interkulturelle Woche im Kreis Unna",
            "title_en": "Intercultural Week in Kreis Unna",
            "description_de": (
                "Eine Woche lang laden Vereine, Schulen, Bibliotheken und Initiativen in allen "
                "zehn Städten und Gemeinden zu Festen, Lesungen, Musik und Gesprächen ein. Das "
                "Programmheft nennt alle Orte und Zeiten."
            ),
            "description_en": (
                "For a week, clubs, schools, libraries and initiatives in all ten towns invite "
                "you to festivals, readings, music and conversations. The programme lists all "
                "places and times."
            ),
            "venue_note_de": "kreisweit, in allen zehn Städten und Gemeinden",
            "venue_note_en": "across the district, in all ten towns",
            "contact_name": "Tobias Brandt",
            "contact_phone": "0123 4567-104",
            "contact_email": "ik-woche@example.org",
            "categories": ["begegnung", "freizeit-kultur"],
            "target_groups": ["everyone"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=40), 0),
                    "end": at(today + dt.timedelta(days=47), 23, 59),
                    "date_only": True,
                }
            ],
            "attachments": [
                {
                    "kind": "programme",
                    "title_de": "Programmheft Interkulturelle Woche",
                    "title_en": "Programme, Intercultural Week",
                    "url": "https://www.example.org/ki-kreis-unna/interkulturelle-woche/programm.pdf",
                }
            ],
        },
        {
            "slug": "ausstellung-angekommen-selm",
            "district": "kreis-unna",
            "city": "selm",
            "venue": ("Stadtbücherei Selm", "selm"),
            "organizer": "stadtbuecherei-selm",
            "status": EventStatus.CONFIRMED,
            "title_de": "Ausstellung „Angekommen“: Geschichten aus Selm",
            "title_en": "Exhibition “Arrived”: stories from Selm",
            "description_de": (
                "Fotos und kurze Texte von Menschen, die in den letzten Jahren nach Selm "
                "gekommen sind. Zu sehen während der Öffnungszeiten der Stadtbücherei."
            ),
            "description_en": (
                "Photos and short texts by people who have come to Selm in recent years. Open "
                "during the library's opening hours."
            ),
            "contact_name": "Amina Yilmaz",
            "contact_phone": "0123 4567-105",
            "contact_email": "stadtbuecherei@example.org",
            "categories": ["freizeit-kultur"],
            "target_groups": ["everyone"],
            "dates": [
                {
                    "start": at(today - dt.timedelta(days=3), 0),
                    "end": at(today + dt.timedelta(days=11), 23, 59),
                    "date_only": True,
                }
            ],
        },
        {
            "slug": "elternabend-mehrsprachigkeit-bergkamen",
            "district": "kreis-unna",
            "city": "bergkamen",
            "venue": ("Familienzentrum Sonnenblume", "bergkamen"),
            "organizer": "fz-sonnenblume-bergkamen",
            "status": EventStatus.POSTPONED,
            "status_note_de": "wird verschoben, neuer Termin folgt",
            "status_note_en": "postponed, new date to follow",
            "title_de": "Elternabend: Mehrsprachig aufwachsen",
            "title_en": "Parents' evening: growing up with several languages",
            "description_de": (
                "Wie lernen Kinder zwei oder mehr Sprachen gut? Eine Sprachförderkraft "
                "beantwortet Fragen von Eltern; Dolmetschende für Arabisch und Türkisch sind "
                "dabei."
            ),
            "description_en": (
                "How do children learn two or more languages well? A language support teacher "
                "answers parents' questions; interpreters for Arabic and Turkish are there."
            ),
            "contact_name": "Jonas Weber",
            "contact_phone": "0123 4567-106",
            "contact_email": "fz-sonnenblume@example.org",
            "categories": ["familie-kinder", "bildung-schule"],
            "target_groups": ["parents"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=9), 18),
                    "end": at(today + dt.timedelta(days=9), 19, 30),
                }
            ],
        },
        {
            **infoabend,
            "slug": "infoabend-ausbildung-schwerte-neuer-termin",
            "status": EventStatus.SCHEDULED,
            "title_de": "Infoabend Ausbildung und Beruf (neuer Termin)",
            "title_en": "Information evening on training and work (new date)",
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=34), 18),
                    "end": at(today + dt.timedelta(days=34), 20),
                }
            ],
        },
        {
            **infoabend,
            "slug": "infoabend-ausbildung-schwerte",
            "status": EventStatus.RESCHEDULED,
            "rescheduled_to": "infoabend-ausbildung-schwerte-neuer-termin",
            "status_note_de": "verschoben, weil der Saal renoviert wird",
            "status_note_en": "postponed because the hall is being renovated",
            "title_de": "Infoabend Ausbildung und Beruf",
            "title_en": "Information evening on training and work",
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=6), 18),
                    "end": at(today + dt.timedelta(days=6), 20),
                }
            ],
        },
        {
            "slug": "stadtteilfest-gahmen",
            "district": "kreis-unna",
            "city": "luenen",
            "venue": ("Begegnungszentrum Gahmen", "luenen"),
            "organizer": "afrika-bruecke-luenen",
            "status": EventStatus.CANCELLED,
            "status_note_de": "abgesagt wegen Bauarbeiten auf dem Festplatz",
            "status_note_en": "cancelled because of building work on the festival ground",
            "title_de": "Stadtteilfest Gahmen",
            "title_en": "Gahmen neighbourhood festival",
            "description_de": (
                "Musik, Essen aus vielen Ländern und Spiele für Kinder: Nachbarinnen und "
                "Nachbarn feiern gemeinsam."
            ),
            "description_en": (
                "Music, food from many countries and games for children: neighbours celebrate "
                "together."
            ),
            "contact_name": "Grace Mensah",
            "contact_phone": "0123 4567-108",
            "contact_email": "fest@example.org",
            "categories": ["begegnung", "freizeit-kultur"],
            "target_groups": ["everyone"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=16), 14),
                    "end": at(today + dt.timedelta(days=16), 18),
                }
            ],
        },
        {
            "slug": "workshop-interkulturelle-kompetenz-werne",
            "district": "kreis-unna",
            "city": "werne",
            "venue": ("Volkshochschule Werne", "werne"),
            "organizer": "stadt-werne-integrationsbuero",
            "status": EventStatus.FULLY_BOOKED,
            "status_note_de": "Plätze auf der Warteliste gibt es per E-Mail",
            "status_note_en": "waiting list places by e-mail",
            "title_de": "Workshop: Interkulturelle Kompetenz im Ehrenamt",
            "title_en": "Workshop: intercultural skills for volunteers",
            "description_de": (
                "Ein Tag für Ehrenamtliche in der Flüchtlingshilfe: Missverständnisse "
                "erkennen, Erwartungen klären, Grenzen setzen, mit vielen Übungen."
            ),
            "description_en": (
                "A day for volunteers who support refugees: recognising misunderstandings, "
                "clarifying expectations, setting limits, with many exercises."
            ),
            "registration_required": True,
            "registration_how_de": "Anmeldung über das Formular; danach Warteliste per E-Mail.",
            "registration_how_en": "Register with the form; after that, waiting list by e-mail.",
            "registration_url": "https://www.example.org/werne/anmeldung-workshop",
            "registration_email": "integration-werne@example.org",
            "registration_deadline": today + dt.timedelta(days=5),
            "contact_name": "Paul Richter",
            "contact_phone": "0123 4567-109",
            "contact_email": "integration-werne@example.org",
            "categories": ["ehrenamt"],
            "target_groups": ["volunteers"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=12), 9, 30),
                    "end": at(today + dt.timedelta(days=12), 15, 30),
                }
            ],
        },
        {
            "slug": "badminton-schnuppertag-castrop-rauxel",
            "district": "kreis-recklinghausen",
            "city": "castrop-rauxel",
            "venue": ("Turnhalle Fridtjof-Nansen-Realschule", "castrop-rauxel"),
            "organizer": "turnerbund-rauxel",
            "status": EventStatus.SCHEDULED,
            "title_de": "Badminton-Schnuppertag für Familien",
            "title_en": "Badminton taster day for families",
            "description_de": (
                "Schläger und Bälle sind da: Familien probieren Badminton aus, Trainerinnen "
                "und Trainer erklären die Regeln auf Deutsch und Englisch."
            ),
            "description_en": (
                "Rackets and shuttlecocks are provided: families try out badminton, and "
                "coaches explain the rules in German and English."
            ),
            "contact_name": "Eva Lindner",
            "contact_phone": "0123 4567-110",
            "contact_email": "badminton@example.org",
            "categories": ["sport"],
            "target_groups": ["parents", "everyone"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=19), 10),
                    "end": at(today + dt.timedelta(days=19), 13),
                }
            ],
        },
        {
            "slug": "lass-mal-reden-sprache-zugehoerigkeit-witten",
            "district": "ennepe-ruhr-kreis",
            "city": "witten",
            "venue": ("Volkshochschule Witten", "witten"),
            "organizer": None,
            "status": EventStatus.SCHEDULED,
            "title_de": "Lass mal reden … über Sprache und Zugehörigkeit",
            "title_en": "Let's talk … about language and belonging",
            "description_de": (
                "Die Gesprächsreihe des Kommunalen Integrationszentrums geht weiter: Wie "
                "prägt Sprache, ob wir uns zugehörig fühlen? Eine Autorin liest und "
                "diskutiert mit dem Publikum."
            ),
            "description_en": (
                "The integration centre's talk series continues: how does language shape "
                "whether we feel we belong? An author reads and discusses with the audience."
            ),
            "registration_required": True,
            "registration_how_de": "Bitte melden Sie sich per E-Mail an.",
            "registration_how_en": "Please register by e-mail.",
            "registration_email": "ki-anmeldung@example.org",
            "contact_name": "Miriam Sander",
            "contact_phone": "0123 4567-311",
            "contact_email": "m.sander@example.org",
            "categories": ["begegnung", "freizeit-kultur"],
            "target_groups": ["everyone"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=26), 18),
                    "end": at(today + dt.timedelta(days=26), 20, 30),
                }
            ],
        },
        {
            "slug": "neujahrsempfang-ehrenamt-kreis-unna",
            "district": "kreis-unna",
            "city": "unna",
            "venue": ("Kreishaus Unna", "unna"),
            "organizer": "ki-kreis-unna",
            "status": EventStatus.SCHEDULED,
            # A draft: staff can preview it, the public cannot see it yet.
            "publication_status": "draft",
            "title_de": "Neujahrsempfang für Ehrenamtliche",
            "title_en": "New Year reception for volunteers",
            "description_de": (
                "Ein Dankeschön an alle, die sich in der Integrationsarbeit engagieren."
            ),
            "description_en": "A thank-you to everybody who volunteers in integration work.",
            "categories": ["ehrenamt"],
            "target_groups": ["volunteers"],
            "dates": [
                {
                    "start": at(today + dt.timedelta(days=60), 17),
                    "end": at(today + dt.timedelta(days=60), 19),
                }
            ],
        },
    ]


LINKS = {
    "dates",
    "cancelled",
    "categories",
    "target_groups",
    "attachments",
    "venue",
    "organizer",
    "district",
    "city",
    "rescheduled_to",
}


# The events' texts in further languages, machine-translated (a data file, like the
# fixtures, since it is mostly text in other scripts).
TRANSLATIONS_FILE = Path(__file__).with_name("demo_translations.json")


def with_translations(entries):
    """The plan's entries with their texts in further languages (demo_translations.json)."""
    translations = json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))
    for entry in entries:
        texts = dict(translations.get(entry["slug"], {}))
        titles = texts.pop("attachments", None)
        if titles is not None:
            texts["attachments"] = [
                {**attachment, **more}
                for attachment, more in zip(entry["attachments"], titles, strict=True)
            ]
        yield {**entry, **texts}


@transaction.atomic
def create_upcoming_events(today=None):
    """Write the demo's upcoming events (again); returns them."""
    today = today or timezone.localdate()
    events = []
    for entry in with_translations(plan(today)):
        fields = {key: value for key, value in entry.items() if key not in LINKS}
        fields.setdefault("publication_status", "published")
        fields.update(
            district=District.objects.get(slug=entry["district"]),
            city=City.objects.get(slug=entry["city"]) if entry["city"] else None,
            venue=(
                Venue.objects.get(name=entry["venue"][0], city__slug=entry["venue"][1])
                if entry["venue"]
                else None
            ),
            organizer=(
                Provider.objects.get(slug=entry["organizer"]) if entry["organizer"] else None
            ),
            rescheduled_to=(
                Event.objects.get(slug=entry["rescheduled_to"])
                if entry.get("rescheduled_to")
                else None
            ),
        )
        slug = fields.pop("slug")
        event, _created = Event.objects.update_or_create(slug=slug, defaults=fields)
        event.categories.set(Category.objects.filter(slug__in=entry["categories"]))
        event.target_groups.set(TargetGroup.objects.filter(slug__in=entry["target_groups"]))
        event.dates.all().delete()
        event.cancelled_dates.all().delete()
        event.attachments.all().delete()
        for date in entry["dates"]:
            EventDate.objects.create(event=event, **date)
        for day in entry.get("cancelled", []):
            CancelledDate.objects.create(event=event, date=day)
        for attachment in entry.get("attachments", []):
            EventAttachment.objects.create(event=event, **attachment)
        events.append(event)
    return events
