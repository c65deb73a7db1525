"""Settings for the Integrationsportal.

Everything that differs between a laptop and a deployment is read from environment
variables (see README, "Configuration"). Two modes:

* development (the default): SQLite under ``var/``, a secret key generated once into
  ``var/secret_key``, DEBUG on. Nothing to set up.
* production (``PORTAL_ENV=production``): every required setting must be given
  explicitly; a missing one stops the start with a message that names it.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

PORTAL_ENV = os.environ.get("PORTAL_ENV", "development").strip().lower()
if PORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"PORTAL_ENV must be 'development' or 'production', not {PORTAL_ENV!r}."
    )
PRODUCTION = PORTAL_ENV == "production"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


def required_in_production(name):
    """Return the variable's value, or stop a production start that lacks it."""
    value = os.environ.get(name, "").strip()
    if PRODUCTION and not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when PORTAL_ENV=production "
            "(see README, 'Configuration')."
        )
    return value


def local_secret_key():
    """A key generated once per checkout, so sessions survive restarts in development."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = required_in_production("SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION:
    required_in_production("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        required_in_production("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that it patches the admin forms.
    "modeltranslation",
    # Our admin config skips leaflet.admin, which imports GeoDjango (and so GDAL).
    "integration_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "reversion",
    "reversion_compare",
    "import_export",
    # Only for its template tags and the bundled Leaflet assets; see PortalAdminConfig.
    "leaflet",
    "integration_portal.apps.PortalConfig",
    "content",
    "operations",
    "places",
    "vocabularies",
    "providers",
    "offers",
    "events",
    "pages",
    "translations",
    "editorial",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "integration_portal.urls"
WSGI_APPLICATION = "integration_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integration_portal.context_processors.portal",
                "pages.context_processors.footer_pages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------------------
# German is the source language of all content and the fallback for missing translations.
# The one list of portal languages: URLs, the switcher, the catalogs in locale/ and the
# translated model fields (one column per language, so adding one needs a migration) all
# follow it. The switcher names each language in itself (django.conf.locale.LANG_INFO).
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("fr", _("French")),
    ("sq", _("Albanian")),
]
# Languages written right to left; base.html sets dir="rtl" for them.
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates with the month in words in every language ("2 December 2026"): content/formats/.
FORMAT_MODULE_PATH = ["content.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
# The tabbed translation admin would otherwise load jQuery UI from a Google CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
# The history's compare page compares a link (provider, city, venue) by the linked entry's
# id; otherwise every link is listed as changed whenever any field changed.
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Outside production, WhiteNoise serves files straight from the apps' static folders, so
# neither `make run` nor the tests need collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Map ------------------------------------------------------------------------------------
# Tiles are the only thing the browser may fetch from elsewhere, and only when a page shows a
# map; point PORTAL_TILE_URL at your own tile server to avoid that too. Pages stay usable when
# tiles cannot load: every map shows the same data as a list next to it.
PORTAL_TILE_URL = os.environ.get(
    "PORTAL_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
PORTAL_TILE_ATTRIBUTION = os.environ.get(
    "PORTAL_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Where maps start when nothing is pinned yet: the Ruhr area between the demo districts.
PORTAL_MAP_CENTER = (51.55, 7.5)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": PORTAL_MAP_CENTER,
    "DEFAULT_ZOOM": 10,
    "TILES": [("OpenStreetMap", PORTAL_TILE_URL, {"attribution": PORTAL_TILE_ATTRIBUTION})],
    "RESET_VIEW": False,
}

# --- Portal ---------------------------------------------------------------------------------
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Integrationsportal")
# The area the portal covers, as its home page names it ("Kreis Unna", "Nordrhein-
# Westfalen"). Empty: the names of the districts in the database.
PORTAL_REGION_NAME = os.environ.get("PORTAL_REGION_NAME", "").strip()
# Offers and events not confirmed as current for this many months appear in the admin's
# "needs review" list: stale entries are what makes people stop trusting such portals.
PORTAL_REVIEW_AFTER_MONTHS = int(os.environ.get("PORTAL_REVIEW_AFTER_MONTHS", "12"))

# --- Suggestions from the public (see README) -----------------------------------------------
# How many suggestions and reports one client (by a keyed hash of its address) may send per
# hour; more answer 429.
PORTAL_SUGGESTIONS_PER_HOUR = int(os.environ.get("PORTAL_SUGGESTIONS_PER_HOUR", "5"))
# The sender's e-mail goes when a suggestion is handled, and after this many days at the latest.
PORTAL_SUGGESTION_EMAIL_DAYS = int(os.environ.get("PORTAL_SUGGESTION_EMAIL_DAYS", "30"))
# Handled suggestions are deleted this many days after handling.
PORTAL_SUGGESTIONS_KEEP_DAYS = int(os.environ.get("PORTAL_SUGGESTIONS_KEEP_DAYS", "365"))
# Behind a reverse proxy every request comes from the proxy's address. Name the header in
# which the proxy passes the client's address (e.g. X-Forwarded-For); the last address in it
# is used, the one your proxy added. Empty: the connection's address (REMOTE_ADDR).
PORTAL_CLIENT_ADDRESS_HEADER = os.environ.get("PORTAL_CLIENT_ADDRESS_HEADER", "").strip()

# --- Spreadsheet import and export (django-import-export) ----------------------------------
# See editorial/spreadsheets.py and docs/import-format.md. Imports run in a
# transaction: the preview is rolled back, and so is a confirmed import with any failing row.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Import needs offers.import_offer / providers.import_provider; export only view permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # the admin's related-object popups use frames of the same site
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@example.org")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
