"""Generate a large synthetic set of offers for benchmarks and load tests.

    python manage.py generate_offers --count 100000 [--seed 42] [--providers N]
                                     [--delete-generated]

The command uses the cities and vocabularies already in the database (load the demo data
first: ``python manage.py load_demo``) and writes synthetic providers, venues and offers
with bulk inserts in a single transaction. Generated rows are recognisable by their
prefix, so they can be removed again with ``--delete-generated``:

* offers: slug ``gen-`` plus a number, e.g. ``gen-0000042``;
* providers: slug ``gen-provider-`` plus a number;
* venues: name ``[gen-`` plus a number and ``]``, e.g. ``[gen-00007] Familienzentrum``.

``--count 0 --delete-generated`` only deletes. Running the command again without
``--delete-generated`` adds more rows; the numbers continue after the highest one present.

The same ``--seed`` on the same cities and vocabularies gives the same names, texts and
assignments (dates are relative to today); without ``--seed`` a random one is used and
printed, so a run can be repeated.
"""

import random
import re
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import IntegerField, Max
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Cast, Substr
from django.utils import timezone, translation

from content import derived
from content.publication import PublicationStatus
from offers.models import Offer, WheelchairAccess
from places.models import City, Venue
from providers.models import Provider
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

OFFER_SLUG_PREFIX = "gen-"
OFFER_SLUG_REGEX = r"^gen-[0-9]+$"
PROVIDER_SLUG_PREFIX = "gen-provider-"
PROVIDER_SLUG_REGEX = r"^gen-provider-[0-9]+$"
VENUE_NAME_REGEX = r"^\[gen-[0-9]+\] "
VENUE_NUMBER = re.compile(r"^\[gen-([0-9]+)\] ")

# Offers are built and inserted in chunks so that memory stays flat for any --count.
CHUNK_SIZE = 5000
OFFER_BATCH_SIZE = 1000  # Django lowers it further where the backend needs (SQLite)
LINK_BATCH_SIZE = 5000

LOAD_DEMO_HINT = "Load the demo data first: python manage.py load_demo"

# --- Word lists ------------------------------------------------------------------------------
# Each theme: keywords that recognise a category by its slug or German label (the first theme
# with a matching keyword wins, so order matters: "Fortbildung" is work, not school), its
# weight (how common offers of that theme are), offer names and short descriptions.
THEMES = [
    {
        "keys": ("sprach", "deutsch", "language", "german", "alphabet", "integrationskurs"),
        "weight": 10,
        "names": (
            "Deutschkurs",
            "Deutschkurs A1",
            "Deutschkurs B1",
            "Sprachcafé",
            "Alphabetisierungskurs",
            "Konversationskurs Deutsch",
            "Integrationskurs",
            "Deutsch für den Beruf",
            "Deutsch lernen mit Kinderbetreuung",
            "Sprachpatenschaft",
        ),
        "shorts": (
            "Deutsch lernen in kleinen Gruppen, auch ohne Vorkenntnisse.",
            "Gemeinsam Deutsch sprechen und üben, in entspannter Runde.",
            "Lesen und Schreiben lernen für Erwachsene.",
            "Sprachkurs mit Kinderbetreuung während des Unterrichts.",
            "Deutsch für Alltag, Behörden und Beruf.",
        ),
    },
    {
        "keys": ("berat", "counsel", "advice", "sprechstunde", "lotsen"),
        "weight": 8,
        "names": (
            "Migrationsberatung",
            "Sozialberatung",
            "Asylverfahrensberatung",
            "Schuldnerberatung",
            "Erziehungsberatung",
            "Beratung für Geflüchtete",
            "Jugendmigrationsdienst",
            "Offene Sprechstunde",
            "Anerkennungsberatung",
            "Behördenlotsen",
        ),
        "shorts": (
            "Vertrauliche und kostenlose Beratung zu Aufenthalt, Arbeit und Familie.",
            "Hilfe bei Anträgen, Briefen von Behörden und Formularen.",
            "Beratung in mehreren Sprachen, auf Wunsch mit Dolmetscherin.",
            "Unterstützung bei Fragen zu Schule, Ausbildung und Beruf.",
        ),
    },
    {
        "keys": ("treff", "begegn", "meeting", "café", "cafe", "nachbarschaft"),
        "weight": 7,
        "names": (
            "Teestube",
            "Internationales Café",
            "Begegnungscafé",
            "Nachbarschaftstreff",
            "Elterncafé",
            "Spielenachmittag",
            "Interkultureller Treffpunkt",
            "Internationales Frühstück",
            "Spieleabend",
            "Kochtreff",
        ),
        "shorts": (
            "Ein offener Treffpunkt zum Kennenlernen, Reden und Austauschen.",
            "Bei Kaffee und Tee neue Leute aus der Nachbarschaft kennenlernen.",
            "Gemeinsam kochen, essen und ins Gespräch kommen.",
            "Austausch und Unterhaltung in gemütlicher Runde.",
        ),
    },
    {
        "keys": ("arbeit", "beruf", "work", "job", "ausbildung", "employment", "fortbildung"),
        "weight": 4,
        "names": (
            "Bewerbungstraining",
            "Jobcafé",
            "Berufsorientierung",
            "Bewerbungswerkstatt",
            "Ausbildungslotsen",
            "Jobcoaching",
        ),
        "shorts": (
            "Unterstützung bei Lebenslauf, Anschreiben und Vorstellungsgespräch.",
            "Wege in Ausbildung und Arbeit kennenlernen.",
            "Informationen zur Anerkennung ausländischer Abschlüsse.",
        ),
    },
    {
        "keys": ("bildung", "schul", "education", "hausaufgab", "lern", "nachhilfe"),
        "weight": 5,
        "names": (
            "Hausaufgabenhilfe",
            "Nachhilfe",
            "Lernwerkstatt",
            "Lesepatenschaft",
            "Schulstarthilfe",
            "Computerkurs",
            "Lerntreff",
        ),
        "shorts": (
            "Hilfe bei Hausaufgaben und beim Lernen für die Schule.",
            "Ehrenamtliche unterstützen beim Lesen, Schreiben und Rechnen.",
            "Den Umgang mit Computer und Smartphone Schritt für Schritt lernen.",
        ),
    },
    {
        "keys": ("kind", "famil", "eltern", "child", "family", "jugend", "youth"),
        "weight": 4,
        "audience": False,  # the names already say whom the offers are for
        "names": (
            "Krabbelgruppe",
            "Eltern-Kind-Gruppe",
            "Spielgruppe",
            "Familienfrühstück",
            "Ferienprogramm",
            "Jugendtreff",
            "Babytreff",
        ),
        "shorts": (
            "Spielen, singen und basteln für Kinder und ihre Eltern.",
            "Ein Treffpunkt für Familien mit kleinen Kindern.",
            "Abwechslungsreiches Programm in den Schulferien.",
        ),
    },
    {
        "keys": ("sport", "beweg", "fitness"),
        "weight": 4,
        "names": (
            "Schwimmkurs",
            "Fußballgruppe",
            "Radfahrkurs",
            "Gymnastikgruppe",
            "Tanzgruppe",
            "Laufgruppe",
            "Selbstverteidigungskurs",
        ),
        "shorts": (
            "Gemeinsam Sport treiben, ohne Vereinsmitgliedschaft.",
            "Bewegung und Spaß in der Gruppe für Anfängerinnen und Anfänger.",
            "Bewegung in der Halle und an der frischen Luft, mit erfahrenen Übungsleitern.",
        ),
    },
    {
        "keys": ("kultur", "kunst", "musik", "culture", "music", "freizeit", "leisure"),
        "weight": 3,
        "names": (
            "Theatergruppe",
            "Chor der Kulturen",
            "Nähwerkstatt",
            "Malgruppe",
            "Interkultureller Kochkurs",
            "Erzählcafé",
        ),
        "shorts": (
            "Gemeinsam kreativ werden und Neues ausprobieren.",
            "Musik, Theater und Geschichten aus vielen Ländern.",
        ),
    },
    {
        "keys": ("gesund", "health", "medizin", "pflege"),
        "weight": 3,
        "names": (
            "Gesundheitslotsen",
            "Erste-Hilfe-Kurs",
            "Gesundheitssprechstunde",
            "Yoga",
            "Pflegeberatung",
        ),
        "shorts": (
            "Informationen rund um Gesundheit, Vorsorge und Arztbesuche.",
            "Fragen zur Gesundheit in der eigenen Sprache stellen.",
        ),
    },
    {
        "keys": ("ehrenamt", "volunt", "engagement", "patenschaft", "mitmachen"),
        "weight": 2,
        "names": (
            "Ehrenamtliche Patenschaften",
            "Ehrenamtsbörse",
            "Engagement-Treff",
            "Mentoring-Programm",
        ),
        "shorts": (
            "Ehrenamtliche begleiten Neuzugewanderte im Alltag.",
            "Mitmachen und sich für die Nachbarschaft engagieren.",
        ),
    },
    {
        "keys": ("recht", "law", "legal", "aufenthalt", "asyl"),
        "weight": 2,
        "names": ("Rechtsberatung", "Informationsabend Aufenthaltsrecht", "Asylsprechstunde"),
        "shorts": ("Erste Orientierung zu Aufenthalt, Asyl und Familiennachzug.",),
    },
    {
        "keys": ("wohn", "housing", "miet"),
        "weight": 0.5,
        "names": ("Wohnungssuche-Sprechstunde", "Mieterberatung", "Wohnführerschein"),
        "shorts": ("Hilfe bei der Wohnungssuche und bei Fragen zum Mietvertrag.",),
    },
]
# For a category no theme recognises: named after its label.
DEFAULT_THEME_WEIGHT = 2

EXTRA_SENTENCES = (
    "Neue Teilnehmende sind jederzeit willkommen.",
    "Dolmetscherinnen und Dolmetscher können bei Bedarf dazukommen.",
    "Kinderbetreuung ist während des Angebots möglich.",
    "Die Räume sind gut mit Bus und Bahn erreichbar.",
    "Das Angebot richtet sich an alle, die in {city} leben.",
    "Bringen Sie gern Freundinnen, Freunde und Nachbarn mit.",
)
REGISTRATION_SENTENCES = (
    "Bitte melden Sie sich vorher telefonisch oder per E-Mail an.",
    "Die Plätze sind begrenzt, eine Anmeldung ist erforderlich.",
)
NO_REGISTRATION_SENTENCES = (
    "Eine Anmeldung ist nicht nötig, kommen Sie einfach vorbei.",
    "Sie können ohne Anmeldung teilnehmen.",
)
EXTRA_AUDIENCES = ("für Einsteiger", "am Abend", "am Wochenende", "für Eltern", "kompakt", "online")
QUARTERS = (
    "Mitte",
    "Nord",
    "Süd",
    "Ost",
    "West",
    "Altstadt",
    "Innenstadt",
    "Neustadt",
    "Bahnhofsviertel",
    "Am Markt",
    "Heide",
    "Feldmark",
    "Oberdorf",
    "Kirchviertel",
)
VENUE_KINDS = (
    "Begegnungszentrum",
    "Stadtteilzentrum",
    "Familienzentrum",
    "Volkshochschule",
    "Gemeindehaus",
    "Bürgerhaus",
    "Jugendzentrum",
    "Stadtbibliothek",
    "Grundschule",
    "Gesamtschule",
    "Sporthalle",
    "Rathaus",
    "Interkulturelles Zentrum",
    "Mehrgenerationenhaus",
)
STREETS = (
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Kirchplatz",
    "Marktplatz",
    "Gartenstraße",
    "Lindenweg",
    "Am Stadtpark",
    "Goethestraße",
    "Schillerstraße",
    "Friedrich-Ebert-Straße",
    "Kampstraße",
    "Mühlenweg",
    "Bergstraße",
    "Lange Straße",
)
PROVIDER_KINDS = (
    "Caritasverband",
    "Diakonisches Werk",
    "AWO Ortsverein",
    "DRK Kreisverband",
    "Volkshochschule",
    "Flüchtlingshilfe",
    "Integrationsverein",
    "Kulturverein",
    "Familienbildungsstätte",
    "Bildungswerk",
    "Sportverein",
    "Frauenverein",
    "Jugendmigrationsdienst",
    "Moscheegemeinde",
    "Evangelische Kirchengemeinde",
    "Katholische Pfarrei",
)
PROVIDER_DESCRIPTIONS = (
    "Wir begleiten Zugewanderte und ihre Familien im Alltag.",
    "Beratung, Bildung und Begegnung unter einem Dach.",
    "Ein gemeinnütziger Verein, getragen von vielen Ehrenamtlichen.",
    "Seit vielen Jahren aktiv in der Integrationsarbeit vor Ort.",
)
FIRST_NAMES = (
    "Anna",
    "Fatma",
    "Olena",
    "Maria",
    "Sabine",
    "Aylin",
    "Leyla",
    "Thomas",
    "Ahmad",
    "Mehmet",
    "Peter",
    "Stefan",
    "Yusuf",
    "Katrin",
    "Irina",
    "Daniel",
)
LAST_NAMES = (
    "Schmidt",
    "Yilmaz",
    "Kowalski",
    "Becker",
    "Hoffmann",
    "Kaya",
    "Schneider",
    "Petrenko",
    "Wagner",
    "Haddad",
    "Fischer",
    "Demir",
    "Weber",
    "Klein",
    "Rahimi",
)
WEEKDAYS = ("montags", "dienstags", "mittwochs", "donnerstags", "freitags", "samstags")
COSTS = ("2 € pro Termin", "5 € pro Monat", "Materialkosten 10 €", "20 € für den ganzen Kurs")

# Weights of the other offer languages, by slug or German label; unknown ones get 1.
LANGUAGE_WEIGHTS = {
    "en": 5,
    "englisch": 5,
    "english": 5,
    "ar": 4,
    "arabisch": 4,
    "arabic": 4,
    "tr": 4,
    "türkisch": 4,
    "turkish": 4,
    "uk": 4,
    "ukrainisch": 4,
    "ukrainian": 4,
    "ru": 3,
    "russisch": 3,
    "russian": 3,
    "fa": 2,
    "persisch": 2,
    "farsi": 2,
    "pl": 2,
    "polnisch": 2,
    "polish": 2,
    "persian": 2,
    "dari": 2,
    "romanian": 2,
    "bulgarian": 2,
    "french": 2,
    "kurdish": 2,
}
GERMAN = {"de", "deu", "ger", "deutsch", "german"}
NOT_FIXED = ("not-fixed", "not_fixed", "notfixed", "nicht-festgelegt", "nicht festgelegt")
FEMALE = {"female", "weiblich", "frau", "frauen", "women", "woman", "w", "f"}
MALE = {"male", "maennlich", "männlich", "mann", "maenner", "männer", "men", "man", "m"}
OPEN_TO_ALL = {"alle", "all", "offen", "open", "everyone", "everybody"}


def text_of(vocab):
    """Slug and German label of a vocabulary entry, lower case, for keyword matching."""
    return f"{vocab.slug} {vocab.label_de or vocab.label}".lower()


def tokens(vocab):
    return set(re.split(r"[^a-z0-9äöüß]+", text_of(vocab))) - {""}


def cumulative(weights):
    return list(accumulate(weights))


class Command(BaseCommand):
    help = (
        "Generate synthetic offers, providers and venues for benchmarks, using the cities "
        "and vocabularies in the database (load the demo data first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=1000, help="Number of offers to create (default 1000)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Seed of the random generator, for reproducible output.",
        )
        parser.add_argument(
            "--providers",
            type=int,
            default=None,
            help="Number of synthetic providers (default: count/40, at least 5).",
        )
        parser.add_argument(
            "--delete-generated",
            action="store_true",
            help="First remove offers, providers and venues generated by earlier runs.",
        )

    def handle(self, *args, count, seed, providers, delete_generated, **options):
        if count < 0:
            raise CommandError("--count must not be negative.")
        if count == 0 and not delete_generated:
            raise CommandError("--count must be at least 1 (or use --delete-generated alone).")
        if providers is not None and providers < 1:
            raise CommandError("--providers must be at least 1.")
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        self.verbosity = options.get("verbosity", 1)
        self.rng = random.Random(seed)
        started = time.perf_counter()

        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic():
            if delete_generated:
                self.delete_generated()
            if count:
                self.load_vocabularies()
                provider_count = providers if providers is not None else max(5, count // 40)
                stats = self.generate(count, provider_count)

        elapsed = time.perf_counter() - started
        if count:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {count} offers ({stats['published']} published, "
                    f"{stats['expired']} expired), {stats['providers']} providers and "
                    f"{stats['venues']} venues in {elapsed:.1f} s "
                    f"(seed {seed}, {connection.vendor})."
                )
            )
            self.stdout.write(
                "Links: "
                + ", ".join(f"{stats['links'][name]} {name}" for name in stats["links"])
                + "."
            )
        else:
            self.stdout.write(f"Done in {elapsed:.1f} s.")

    # --- Deleting -----------------------------------------------------------------------------

    def delete_generated(self):
        offers = Offer.objects.filter(slug__regex=OFFER_SLUG_REGEX)
        venues = Venue.objects.filter(name__regex=VENUE_NAME_REGEX)
        providers = Provider.objects.filter(slug__regex=PROVIDER_SLUG_REGEX)
        counts = {}
        try:
            # The links first, each in one statement, so that deleting the offers need not
            # collect them row by row.
            for field_name in ("categories", "languages", "genders", "age_groups"):
                field = Offer._meta.get_field(field_name)
                through = field.remote_field.through
                through.objects.filter(
                    **{f"{field.m2m_field_name()}__in": offers.values("pk")}
                ).delete()
            # Only the keys: the deletion collects every offer, no need to load whole rows.
            counts["offers"] = offers.only("pk").delete()[1].get(Offer._meta.label, 0)
            counts["venues"] = venues.delete()[1].get(Venue._meta.label, 0)
            counts["providers"] = providers.delete()[1].get(Provider._meta.label, 0)
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(
                "Cannot delete the generated rows: other data still refers to them "
                f"({error.args[0]})"
            ) from error
        self.stdout.write(
            f"Deleted {counts['offers']} generated offers, {counts['venues']} venues and "
            f"{counts['providers']} providers."
        )

    # --- Reading what exists ------------------------------------------------------------------

    def load_vocabularies(self):
        self.cities = list(City.objects.select_related("district").order_by("pk"))
        if not self.cities:
            raise CommandError(f"There are no cities in the database. {LOAD_DEMO_HINT}")
        missing = [
            model._meta.verbose_name_plural
            for model in (Category, AgeGroup, MigrationBackground)
            if not model.objects.exists()
        ]
        if missing:
            raise CommandError(
                f"There are no {', '.join(str(name) for name in missing)} in the database. "
                f"{LOAD_DEMO_HINT}"
            )

        # Cities by population; those without one get a small weight.
        known = [city.population for city in self.cities if city.population]
        small = max(1, min(known) // 4) if known else 1000
        self.city_cum = cumulative(city.population or small for city in self.cities)

        # Categories: weighted by theme; a theme's weight is shared by its categories.
        self.categories = list(Category.objects.order_by("position", "pk"))
        themes = []
        for category in self.categories:
            text = text_of(category)
            theme = next(
                (t for t in THEMES if any(key in text for key in t["keys"])),
                None,
            )
            themes.append(theme)
        weights = []
        self.category_themes = []
        for category, theme in zip(self.categories, themes, strict=True):
            if theme is None:
                label = category.label_de or category.label
                theme = {
                    "names": (label, f"Treffpunkt {label}", f"Workshop {label}"),
                    "shorts": (f"Ein Angebot zum Thema {label}.",),
                    "weight": DEFAULT_THEME_WEIGHT,
                }
                weights.append(DEFAULT_THEME_WEIGHT)
            else:
                weights.append(theme["weight"] / sum(t is theme for t in themes))
            self.category_themes.append(theme)
        self.category_cum = cumulative(weights)

        # Languages: German, "not fixed" and the others.
        languages = list(OfferLanguage.objects.order_by("position", "pk"))
        self.german = next(
            (lang for lang in languages if lang.slug in GERMAN or tokens(lang) & GERMAN), None
        )
        self.not_fixed = next(
            (lang for lang in languages if any(key in text_of(lang) for key in NOT_FIXED)), None
        )
        self.other_languages = [
            lang for lang in languages if lang not in (self.german, self.not_fixed)
        ]
        self.other_language_cum = cumulative(
            next(
                (
                    LANGUAGE_WEIGHTS[key]
                    for key in (lang.slug, *sorted(tokens(lang)))
                    if key in LANGUAGE_WEIGHTS
                ),
                1,
            )
            for lang in self.other_languages
        )

        # Genders: an offer without any is open to all.
        genders = list(Gender.objects.order_by("position", "pk"))
        self.female = next((g for g in genders if tokens(g) & FEMALE), None)
        self.male = next((g for g in genders if g != self.female and tokens(g) & MALE), None)
        self.other_genders = [g for g in genders if g not in (self.female, self.male)]

        # Migration backgrounds: "open to all" is by far the most common.
        backgrounds = list(MigrationBackground.objects.order_by("position", "pk"))
        self.open_background = next(
            (mb for mb in backgrounds if tokens(mb) & OPEN_TO_ALL), backgrounds[0]
        )
        self.special_backgrounds = [mb for mb in backgrounds if mb != self.open_background]

        # Age groups: "all ages" (no limits, open to all) alone, or 1-3 neighbouring ones.
        age_groups = list(AgeGroup.objects.order_by("position", "min_age", "pk"))
        self.all_ages = next(
            (
                group
                for group in age_groups
                if group.min_age is None and group.max_age is None and tokens(group) & OPEN_TO_ALL
            ),
            None,
        )
        self.age_groups = [group for group in age_groups if group != self.all_ages]
        # Most offers are for adults: a window starts three times as often at an adult group.
        self.age_start_cum = cumulative(
            3 if (group.min_age or 0) >= 18 else 1 for group in self.age_groups
        )

    # --- Generating ---------------------------------------------------------------------------

    def next_number(self, queryset, field, prefix):
        """One more than the highest number generated so far behind ``prefix``."""
        number = Cast(Substr(field, len(prefix) + 1), IntegerField())
        highest = queryset.aggregate(highest=Max(number))["highest"]
        return (highest or 0) + 1

    def generate(self, count, provider_count):
        rng = self.rng
        today = timezone.localdate()
        venues_by_city = self.create_venues(count)
        providers, providers_by_city = self.create_providers(provider_count)
        venue_count = sum(len(venues) for venues in venues_by_city.values())

        first_number = self.next_number(
            Offer.objects.filter(slug__regex=OFFER_SLUG_REGEX), "slug", OFFER_SLUG_PREFIX
        )
        width = max(7, len(str(first_number + count)))
        stats = {
            "published": 0,
            "expired": 0,
            "providers": len(providers),
            "venues": venue_count,
            "links": {"categories": 0, "languages": 0, "genders": 0, "age groups": 0},
        }
        # Every column's default once; each offer overrides most of them (see below).
        offer_attnames = [field.attname for field in Offer._meta.concrete_fields]
        defaults = {field.attname: field.get_default() for field in Offer._meta.concrete_fields}
        m2m = {
            name: Offer._meta.get_field(name)
            for name in ("categories", "languages", "genders", "age_groups")
        }

        cities = self.cities
        city_cum = self.city_cum
        categories = self.categories
        category_cum = self.category_cum
        n_age = len(self.age_groups)
        age_indices = range(n_age)
        age_start_cum = self.age_start_cum
        statuses = (
            PublicationStatus.PUBLISHED,
            PublicationStatus.DRAFT,
            PublicationStatus.ARCHIVED,
        )
        status_cum = (90, 97, 100)
        wheelchair = (
            WheelchairAccess.UNKNOWN,
            WheelchairAccess.YES,
            WheelchairAccess.PARTLY,
            WheelchairAccess.NO,
        )
        wheelchair_cum = (40, 75, 90, 100)
        category_themes = self.category_themes
        category_indices = range(len(categories))

        done = 0
        progress_step = max(CHUNK_SIZE, (count // 10) // CHUNK_SIZE * CHUNK_SIZE)
        while done < count:
            size = min(CHUNK_SIZE, count - done)
            offers = []
            links = {name: [] for name in m2m}
            for i in range(done, done + size):
                number = first_number + i
                city = rng.choices(cities, cum_weights=city_cum)[0]

                # Categories: 1-3, the first one decides the name.
                first_index = rng.choices(category_indices, cum_weights=category_cum)[0]
                theme = category_themes[first_index]
                chosen = [categories[first_index]]
                extra = rng.choices((0, 1, 2), cum_weights=(55, 88, 100))[0]
                for _attempt in range(extra * 3):
                    if len(chosen) > extra or len(chosen) == len(categories):
                        break
                    category = rng.choices(categories, cum_weights=category_cum)[0]
                    if category not in chosen:
                        chosen.append(category)

                # Languages: mostly German, plus up to two others; sometimes "not fixed".
                languages = []
                if self.not_fixed is not None and rng.random() < 0.05:
                    languages.append(self.not_fixed)
                else:
                    if self.german is not None and rng.random() < 0.88:
                        languages.append(self.german)
                    if self.other_languages:
                        others = rng.choices((0, 1, 2), cum_weights=(55, 85, 100))[0]
                        if not languages:
                            others = max(1, others)
                        for lang in rng.choices(
                            self.other_languages, cum_weights=self.other_language_cum, k=others
                        ):
                            if lang not in languages:
                                languages.append(lang)

                # Genders: open to all for most offers.
                genders = []
                roll = rng.random()
                if roll < 0.10 and self.female is not None:
                    genders = [self.female]
                elif 0.10 <= roll < 0.14 and self.male is not None:
                    genders = [self.male]
                elif 0.14 <= roll < 0.15 and self.other_genders:
                    genders = [rng.choice(self.other_genders)]

                # Migration background: mostly open to all.
                if self.special_backgrounds and rng.random() < 0.25:
                    background = rng.choice(self.special_backgrounds)
                else:
                    background = self.open_background

                # Age groups: 1-3 neighbouring ones.
                if self.all_ages is not None and (not n_age or rng.random() < 0.2):
                    ages = [self.all_ages]
                else:
                    start = rng.choices(age_indices, cum_weights=age_start_cum)[0]
                    span = rng.choices((1, 2, 3), cum_weights=(45, 80, 100))[0]
                    ages = self.age_groups[start : start + span]

                # Where and by whom.
                city_venues = venues_by_city.get(city.pk)
                venue = rng.choice(city_venues) if city_venues and rng.random() < 0.85 else None
                local_providers = providers_by_city.get(city.pk)
                if local_providers and rng.random() < 0.7:
                    provider = rng.choice(local_providers)
                else:
                    provider = rng.choice(providers)

                # Name and texts.
                if theme.get("audience", True):
                    audience = self.audience(genders, ages, background)
                else:
                    audience = ""
                if venue is not None:
                    quarter = venue.quarter
                elif rng.random() < 0.5:
                    quarter = rng.choice(QUARTERS)
                else:
                    quarter = ""
                place = f"{city.name}-{quarter}" if quarter else city.name
                base = rng.choice(theme["names"])
                name = " ".join(part for part in (base, audience, place, str(i + 1)) if part)
                short = rng.choice(theme["shorts"])
                registration = rng.random() < 0.35
                sentences = [
                    short,
                    rng.choice(
                        REGISTRATION_SENTENCES if registration else NO_REGISTRATION_SENTENCES
                    ),
                ]
                if rng.random() < 0.5:
                    sentences.append(rng.choice(EXTRA_SENTENCES).format(city=city.name))
                description = " ".join(sentences)
                start_hour = rng.randrange(8, 19)
                schedule = (
                    f"{rng.choice(WEEKDAYS)} {start_hour}:00 bis "
                    f"{start_hour + rng.choice((1, 2, 3))}:00 Uhr"
                )
                is_free = rng.random() < 0.8
                costs = "" if is_free else rng.choice(COSTS)

                # Publication and validity.
                status = rng.choices(statuses, cum_weights=status_cum)[0]
                valid_from = (
                    today - timedelta(days=rng.randrange(0, 900)) if rng.random() < 0.6 else None
                )
                roll = rng.random()
                if roll < 0.04:  # expired
                    valid_until = today - timedelta(days=rng.randrange(1, 200))
                    if valid_from is not None and valid_from > valid_until:
                        valid_from = valid_until - timedelta(days=rng.randrange(30, 400))
                    stats["expired"] += 1
                elif roll < 0.16:
                    valid_until = today + timedelta(days=rng.randrange(30, 500))
                else:
                    valid_until = None
                if status == PublicationStatus.PUBLISHED:
                    stats["published"] += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                phone = f"0{rng.randrange(2000, 2999)} {rng.randrange(10000, 999999)}"
                slug = f"{OFFER_SLUG_PREFIX}{number:0{width}d}"

                values = defaults.copy()
                values.update(
                    publication_status=status,
                    name=name,
                    name_de=name,
                    slug=slug,
                    # Its own public identifier (the column default is one value for all).
                    uuid=uuid.uuid4(),
                    short_description=short,
                    short_description_de=short,
                    description=description,
                    description_de=description,
                    provider_id=provider.pk,
                    city_id=city.pk,
                    venue_id=venue.pk if venue is not None else None,
                    migration_background_id=background.pk,
                    contact_name=f"{first} {last}",
                    contact_phone=phone,
                    contact_email=f"{first}.{last}@example.org".lower(),
                    homepage=f"https://example.org/angebote/{slug}" if rng.random() < 0.3 else "",
                    schedule=schedule,
                    schedule_de=schedule,
                    is_free=is_free,
                    costs=costs,
                    costs_de=costs,
                    registration_required=registration,
                    wheelchair_access=rng.choices(wheelchair, cum_weights=wheelchair_cum)[0],
                    valid_from=valid_from,
                    valid_until=valid_until,
                    last_reviewed=today - timedelta(days=rng.randrange(0, 730))
                    if rng.random() < 0.7
                    else None,
                )
                if len(values) != len(defaults):
                    unknown = ", ".join(sorted(values.keys() - defaults.keys()))
                    raise CommandError(f"Offer has no fields {unknown}.")
                # Positional arguments skip the keyword handling of Model.__init__ (and of
                # modeltranslation's patch of it), about ten times faster.
                offers.append(Offer(*[values[attname] for attname in offer_attnames]))
                position = i - done
                links["categories"].extend((position, c.pk) for c in chosen)
                links["languages"].extend((position, lang.pk) for lang in languages)
                links["genders"].extend((position, g.pk) for g in genders)
                links["age_groups"].extend((position, a.pk) for a in ages)

            Offer.objects.bulk_create(offers, batch_size=OFFER_BATCH_SIZE)
            offer_ids = self.ids_of(offers)
            for field_name, field in m2m.items():
                through = field.remote_field.through
                source = f"{field.m2m_field_name()}_id"
                target = f"{field.m2m_reverse_field_name()}_id"
                attnames = [f.attname for f in through._meta.concrete_fields]
                if attnames == ["id", source, target]:  # Django's auto-created through table
                    rows = [
                        through(None, offer_ids[position], target_id)
                        for position, target_id in links[field_name]
                    ]
                else:
                    rows = [
                        through(**{source: offer_ids[position], target: target_id})
                        for position, target_id in links[field_name]
                    ]
                through.objects.bulk_create(rows, batch_size=LINK_BATCH_SIZE)
                stats["links"][field_name.replace("_", " ")] += len(rows)
            # Bulk inserts bypass the receivers that keep derived data current.
            derived.refresh({Offer: offer_ids})
            done += size
            if self.verbosity >= 2 or (
                self.verbosity >= 1 and count > CHUNK_SIZE and done % progress_step == 0
            ):
                self.stdout.write(f"  {done} of {count} offers")
        return stats

    def ids_of(self, offers):
        """The primary keys of freshly bulk-created offers, in order."""
        if all(offer.pk is not None for offer in offers):
            return [offer.pk for offer in offers]
        # Backends that cannot return ids from a bulk insert: one query per chunk.
        ids = dict(
            Offer.objects.filter(slug__in=[offer.slug for offer in offers]).values_list(
                "slug", "pk"
            )
        )
        return [ids[offer.slug] for offer in offers]

    def audience(self, genders, ages, background):
        rng = self.rng
        low = min((group.min_age or 0) for group in ages)
        high = max((group.max_age if group.max_age is not None else 200) for group in ages)
        young = high <= 18
        if genders and genders[0] == self.female:
            return "für Mädchen" if young else "für Frauen"
        if genders and genders[0] == self.male:
            return "für Jungen" if young else "für Männer"
        if rng.random() < 0.5:
            return ""
        if high <= 12:
            return "für Kinder"
        if low >= 12 and high <= 27:
            return "für Jugendliche"
        if low >= 60:
            return "für Seniorinnen und Senioren"
        if background != self.open_background and rng.random() < 0.5:
            return "für Neuzugewanderte"
        return rng.choice(EXTRA_AUDIENCES)

    def create_venues(self, count):
        """A few hundred venues in all, at least one per city, more in bigger cities."""
        rng = self.rng
        total = max(len(self.cities), min(300, max(20, count // 300)))
        per_city = dict.fromkeys((city.pk for city in self.cities), 1)
        for city in rng.choices(self.cities, cum_weights=self.city_cum, k=total - len(per_city)):
            per_city[city.pk] += 1

        existing = Venue.objects.filter(name__regex=VENUE_NAME_REGEX).values_list("name", flat=True)
        number = 1 + max((int(VENUE_NUMBER.match(name).group(1)) for name in existing), default=0)
        default_lat, default_lon = settings.PORTAL_MAP_CENTER
        venues = []
        for city in self.cities:
            for _ in range(per_city[city.pk]):
                lat = float(city.latitude) if city.latitude is not None else default_lat
                lon = float(city.longitude) if city.longitude is not None else default_lon
                quarter = rng.choice(QUARTERS)
                venues.append(
                    Venue(
                        name=f"[gen-{number:05d}] {rng.choice(VENUE_KINDS)} {quarter}",
                        street=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
                        postcode=f"{rng.randrange(44000, 60000):05d}",
                        city_id=city.pk,
                        quarter=quarter,
                        latitude=Decimal(f"{lat + rng.uniform(-0.025, 0.025):.6f}"),
                        longitude=Decimal(f"{lon + rng.uniform(-0.04, 0.04):.6f}"),
                    )
                )
                number += 1
        Venue.objects.bulk_create(venues)
        if any(venue.pk is None for venue in venues):
            ids = dict(
                Venue.objects.filter(name__in=[v.name for v in venues]).values_list("name", "pk")
            )
            for venue in venues:
                venue.pk = ids[venue.name]
        by_city = {}
        for venue in venues:
            by_city.setdefault(venue.city_id, []).append(venue)
        return by_city

    def create_providers(self, provider_count):
        """Providers in the cities (by population) and some working district-wide."""
        rng = self.rng
        number = self.next_number(
            Provider.objects.filter(slug__regex=PROVIDER_SLUG_REGEX), "slug", PROVIDER_SLUG_PREFIX
        )
        providers = []
        for _ in range(provider_count):
            kind = rng.choice(PROVIDER_KINDS)
            if rng.random() < 0.15:
                city = None
                name = f"{kind} {rng.choice(self.cities).district.name}"
            else:
                city = rng.choices(self.cities, cum_weights=self.city_cum)[0]
                name = f"{kind} {city.name}"
            if rng.random() < 0.3:
                name += " e. V."
            slug = f"{PROVIDER_SLUG_PREFIX}{number:05d}"
            description = rng.choice(PROVIDER_DESCRIPTIONS)
            providers.append(
                Provider(
                    name=name,
                    slug=slug,
                    description=description,
                    description_de=description,
                    street=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
                    postcode=f"{rng.randrange(44000, 60000):05d}",
                    city_id=city.pk if city else None,
                    phone=f"0{rng.randrange(2000, 2999)} {rng.randrange(10000, 999999)}",
                    email=f"info@{slug}.example.org",
                    website=f"https://{slug}.example.org",
                )
            )
            number += 1
        Provider.objects.bulk_create(providers, batch_size=OFFER_BATCH_SIZE)
        if any(provider.pk is None for provider in providers):
            ids = dict(
                Provider.objects.filter(slug__in=[p.slug for p in providers]).values_list(
                    "slug", "pk"
                )
            )
            for provider in providers:
                provider.pk = ids[provider.slug]
        by_city = {}
        for provider in providers:
            if provider.city_id is not None:
                by_city.setdefault(provider.city_id, []).append(provider)
        return providers, by_city
