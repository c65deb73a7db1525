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
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
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


def refuse_in_production(problem):
    """Stop a production start on an unsafe setting, in one line that says what to fix."""
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{problem} (PORTAL_ENV=production; see README, 'Configuration')."
        )


SECRET_KEY = required_in_production("SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

# --- Refusing unsafe production settings -----------------------------------------------------
# The same rules as Django's deployment check (security.W009, W018), but fatal: a portal with
# a guessable key lets anyone forge sessions, and DEBUG shows settings and tracebacks.
if DEBUG:
    refuse_in_production("DEBUG must be off in production: it shows tracebacks and settings")
if PRODUCTION and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    refuse_in_production(
        "SECRET_KEY is too weak: use at least 50 random characters (not 'django-insecure-…'),"
        " e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION:
    required_in_production("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Database ---------------------------------------------------------------------------------
# Persistent connections (CONN_MAX_AGE) are checked before each request reuses them
# (CONN_HEALTH_CHECKS): a connection the database or a proxy dropped is replaced instead of
# failing the request, and after an outage the workers reconnect by themselves.
DATABASES = {
    "default": dj_database_url.parse(
        required_in_production("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # While PostgreSQL is unreachable, a request must fail fast with the outage page
    # (operations/outage.py), not hang for the operating system's TCP timeout: connecting
    # gives up after DATABASE_CONNECT_TIMEOUT seconds. A statement that runs longer than
    # DATABASE_STATEMENT_TIMEOUT seconds is cancelled, so a stuck query cannot hold a
    # worker; manage.py lifts that limit for management commands (long imports, load_demo,
    # generate_offers), and 0 lifts it everywhere.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")
    )
    statement_timeout_ms = int(float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30")) * 1000)
    # No JIT compilation: the portal's queries are short, and at 100,000 offers PostgreSQL
    # spent 47-49 ms compiling the search's counting query to save less than that.
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={statement_timeout_ms} -c jit=off"
    )
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
    # Its templates (sitemap.xml, sitemap_index.xml); the sitemap itself: discovery/.
    "django.contrib.sitemaps",
    "reversion",
    "reversion_compare",
    "import_export",
    # Only for its template tags and the bundled Leaflet assets; see PortalAdminConfig.
    "leaflet",
    # Content-Security-Policy (see "Security headers").
    "csp",
    "integration_portal.apps.PortalConfig",
    "content",
    "operations",
    "places",
    "vocabularies",
    "providers",
    "offers",
    "events",
    "pages",
    "discovery",
    # The open-data API (HSDS 3.0); django_filters parses its query parameters.
    "opendata",
    "django_filters",
    "translations",
    "editorial",
    "demo",
    # --- Admin login defences (lockout, second factor; see the block "Admin login") ---
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "formtools",
    "two_factor",
    "axes",
    # --- end of admin login defences ---
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers (see "Security headers" below): outside WhiteNoise, so that static
    # files carry them too; the method check answers 405 before WhiteNoise or a view sees
    # a TRACE, and its answer still passes through CSP and SecurityMiddleware.
    "csp.middleware.CSPMiddleware",
    "operations.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, locale and CSRF: a hit skips them, a miss sees their headers and
    # cookies (operations/page_cache.py).
    "operations.page_cache.PageCacheMiddleware",
    # Inside the page cache: cached pages are stored compressed (operations/compression.py).
    "operations.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so that the 400 page speaks the page's language; before
    # anything that could look a value up in the database.
    "operations.nul_bytes.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Admin login defences: marks request.user as verified by a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database outage in a view becomes the 503 page (operations/outage.py).
    "operations.outage.DatabaseOutageMiddleware",
    # Admin login defences: turns a lockout into the lockout page. Keep it last.
    "axes.middleware.AxesMiddleware",
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

# --- Cache and sessions (README, "Caching") ------------------------------------------------
# With REDIS_URL, one Redis holds the cached pages, the content generation and the sessions'
# cache for every app server; ResilientRedisCache turns a Redis outage into misses instead of
# errors, and the short socket timeouts keep an unreachable Redis from stalling requests.
# Without it, each process caches in its own memory (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
PORTAL_CACHE = env_bool("PORTAL_CACHE", default=True)
# How long a cached page is kept: also how late a time-based change (an offer's "valid until"
# day passing, an event becoming past) may show. Content changes show at once regardless.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "300"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Several portals (or test runs) may share one Redis.
            "KEY_PREFIX": os.environ.get("PORTAL_CACHE_KEY_PREFIX", "portal"),
            "TIMEOUT": PORTAL_PAGE_CACHE_SECONDS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read from Redis and written to both; the database copy survives an
    # outage or a restart of Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    PORTAL_GENERATION_FILE = None
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": PORTAL_PAGE_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
    # Each process has its own memory: a session cached in one worker would outlive a
    # logout in another. So sessions stay in the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # ... and the content generation also carries this file's modification time, which
    # every worker sees (content/generation.py).
    PORTAL_GENERATION_FILE = VAR_DIR / "content-generation"

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
# Uploaded files (event attachments). MEDIA_URL may be a separate origin
# (https://media.portal.example/), so that nothing uploaded ever runs on the portal's own
# origin; operations/media.py serves them with defensive headers unless PORTAL_SERVE_MEDIA is
# off because the web server (nginx) serves MEDIA_ROOT itself (README, "Deployment").
MEDIA_URL = os.environ.get("MEDIA_URL", "").strip() or "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PORTAL_SERVE_MEDIA = env_bool("PORTAL_SERVE_MEDIA", default=True)
# The largest file staff may upload (content/uploads.py); 10 MB.
PORTAL_UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# With DEBUG off (production and `make run`), collectstatic writes every file with its
# content's hash in the name plus gzip and brotli copies, and WhiteNoise serves the hashed
# names with a year-long Cache-Control. With DEBUG on (`make dev`), WhiteNoise serves the
# files straight from the apps' static folders, so no collectstatic is needed; the tests
# use plain storage too (tests/settings.py).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "operations.staticfiles.CompressedHashedStaticFilesStorage"
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

# The geocoder that turns a venue's address into its pin in the admin: any Nominatim-
# compatible service (its /search?format=jsonv2&q=... is used). Empty switches it off; staff
# then place pins on the map by hand. Only the server asks it, with this User-Agent (which
# Nominatim's usage policy requires) and at most PORTAL_GEOCODER_TIMEOUT seconds per lookup.
PORTAL_GEOCODER_URL = os.environ.get("PORTAL_GEOCODER_URL", "").strip()
PORTAL_GEOCODER_USER_AGENT = os.environ.get(
    "PORTAL_GEOCODER_USER_AGENT", "Integrationsportal (Django admin venue lookup)"
).strip()
PORTAL_GEOCODER_TIMEOUT = float(os.environ.get("PORTAL_GEOCODER_TIMEOUT", "3"))

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

# --- Open data (the HSDS API and its download; see README, "Open-data API") -----------------
# The licence of the published data: an identifier, its title and the address of its text.
# Datenlizenz Deutschland – Namensnennung 2.0 by default; any other needs its title and URL.
KNOWN_OPEN_DATA_LICENCES = {
    "dl-de/by-2-0": (
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
    ),
    "dl-de/zero-2-0": (
        "Datenlizenz Deutschland – Zero – Version 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
    ),
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
}
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "").strip() or "dl-de/by-2-0"
_known_licence = KNOWN_OPEN_DATA_LICENCES.get(OPEN_DATA_LICENCE, ("", ""))
OPEN_DATA_LICENCE_TITLE = (
    os.environ.get("OPEN_DATA_LICENCE_TITLE", "").strip() or _known_licence[0] or OPEN_DATA_LICENCE
)
OPEN_DATA_LICENCE_URL = os.environ.get("OPEN_DATA_LICENCE_URL", "").strip() or _known_licence[1]
if not OPEN_DATA_LICENCE_URL:
    raise ImproperlyConfigured(
        f"OPEN_DATA_LICENCE {OPEN_DATA_LICENCE!r} is not one the portal knows: set "
        "OPEN_DATA_LICENCE_URL (and OPEN_DATA_LICENCE_TITLE) too."
    )
# What users of the data must name. Empty: "<PORTAL_NAME>, <year of the data>".
OPEN_DATA_ATTRIBUTION = os.environ.get("OPEN_DATA_ATTRIBUTION", "").strip()
# Requests per minute one client (by address) may send to /api/hsds/; more answer 429.
# The counters live in the cache (Redis: shared by all app servers). 0 switches it off.
OPEN_DATA_REQUESTS_PER_MINUTE = int(os.environ.get("OPEN_DATA_REQUESTS_PER_MINUTE", "120"))

# --- Spreadsheet import and export (django-import-export) ----------------------------------
# See editorial/spreadsheets.py and docs/import-format.md. Imports run in a
# transaction: the preview is rolled back, and so is a confirmed import with any failing row.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Import needs offers.import_offer / providers.import_provider; export only view permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The largest file a spreadsheet or translation import takes, in bytes and in rows; larger
# files get a message before any work (content/cells.py). 5,000 offers preview in well
# under a minute on PostgreSQL (benchmarks/results.md, "Import").
PORTAL_IMPORT_MAX_BYTES = int(os.environ.get("PORTAL_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
PORTAL_IMPORT_MAX_ROWS = int(os.environ.get("PORTAL_IMPORT_MAX_ROWS", "5000"))

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)

# --- Security headers (README, "Security") ------------------------------------------------
# What every response carries. django-csp writes the Content-Security-Policy, Django's
# SecurityMiddleware nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and HSTS, and
# operations.headers.SecurityHeadersMiddleware the Permissions-Policy and the 405 for
# methods the portal does not use (TRACE). A view meant to be framed by other sites (an
# embeddable widget) opts in with operations.headers.allow_framing.


def origin_of(url):
    """``https://tile.example.org`` of a tile URL template; a ``{s}`` subdomain placeholder
    becomes the wildcard ``*``."""
    parts = url.replace("{s}", "*").split("/")
    if len(parts) < 3 or not parts[0].endswith(":") or not parts[2]:
        raise ImproperlyConfigured(f"PORTAL_TILE_URL must be an absolute URL, not {url!r}.")
    return f"{parts[0]}//{parts[2]}"


# Hosts images may come from besides the portal itself: the map tiles, and whatever is
# listed in PORTAL_CSP_IMG_HOSTS (comma-separated origins, e.g. a second tile server).
PORTAL_CSP_IMG_HOSTS = [origin_of(PORTAL_TILE_URL), *env_list("PORTAL_CSP_IMG_HOSTS")]
# Sites that may show the embeddable widget (/<lang>/embed/...) in a frame: origins,
# comma-separated ("https://www.unna.de,https://www.kamen.de"); any site by default, since
# the widget shows only what every visitor sees. Every other page stays unframable.
PORTAL_EMBED_ORIGINS = env_list("PORTAL_EMBED_ORIGINS") or ["*"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Scripts are files of our own; no inline script and no event handler attribute
        # runs. A template that really needs an inline script gives it
        # nonce="{{ request.csp_nonce }}" (django-csp then adds the nonce here). JSON-LD
        # blocks (<script type="application/ld+json">) are data, never executed, and not
        # subject to script-src.
        "script-src": ["'self'", csp_constants.NONCE],
        # Style sheets of our own, and <style> blocks with the request's nonce (the
        # history's pages). Leaflet and jQuery UI position tiles, markers and tabs with
        # inline styles set from their scripts through the CSSOM, which CSP allows without
        # 'unsafe-inline'; style attributes in markup are not needed, so none are allowed.
        "style-src": ["'self'", csp_constants.NONCE],
        # data: for images built into the page: the small icons in Leaflet's and the
        # admin's style sheets, and the QR code of the two-factor enrolment where it is
        # inlined (django-two-factor-auth serves it from the portal's own address, which
        # 'self' covers); never fetched from a QR service elsewhere.
        "img-src": ["'self'", "data:", *PORTAL_CSP_IMG_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Framing: nobody but views that opt in (see above). The admin's related-object popups
# ("+" next to a select) open windows, not frames, so DENY does not affect them.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites learn the portal's origin, never the page (whose query may say what a
# resident searched for); OpenStreetMap's tile servers require a Referer to serve tiles.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Geolocation for the portal's own pages only (the "near me" search); every other
# powerful feature off, for us and for anything we might embed.
PORTAL_PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "display-capture": [],
}
# The methods the portal answers; everything else (TRACE, PUT, ...) gets 405.
PORTAL_ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
if PRODUCTION:
    # HSTS is only sent on HTTPS responses. Raise SECURE_HSTS_SECONDS step by step (e.g.
    # 300, then a week, then a year: 31536000) once HTTPS works for every host name;
    # include subdomains and preload only when every subdomain serves HTTPS too.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)


def proxy_ssl_header(value):
    """PORTAL_PROXY_SSL_HEADER "X-Forwarded-Proto: https" as Django's SECURE_PROXY_SSL_HEADER
    ("HTTP_X_FORWARDED_PROTO", "https"); empty: no proxy header is trusted."""
    if not value.strip():
        return None
    name, separator, expected = value.partition(":")
    if not separator or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            f"PORTAL_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {value!r}."
        )
    return ("HTTP_" + name.strip().upper().replace("-", "_"), expected.strip())


# --- Reverse proxy ---------------------------------------------------------------------------
# Which request header tells Django that the visitor's connection to the proxy was HTTPS.
# Only a proxy that sets (and overwrites) this header may stand in front of the portal.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(
    os.environ.get("PORTAL_PROXY_SSL_HEADER", "X-Forwarded-Proto: https" if PRODUCTION else "")
)

# --- Admin login: lockout and second factor (README, "Staff accounts") --------------------
# The lockout checker comes first: it refuses a locked-out login before any password is
# checked (editorial/login_security.py says why it is axes' standalone backend, wrapped).
AUTHENTICATION_BACKENDS = [
    "editorial.login_security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After PORTAL_LOGIN_FAILURE_LIMIT wrong passwords for one account (from anywhere) or from
# one address (for any account), logins are refused for PORTAL_LOGIN_LOCKOUT_MINUTES.
# The lock ends by itself and is not extended by further attempts during it, so an
# attacker can delay a colleague by those minutes at most, never lock them out for good.
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PORTAL_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login forgets that account's earlier typing errors.
AXES_RESET_ON_SUCCESS = True
# Attempts live in the database (axes' default handler), shared by all app servers.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client's address, read as the rest of the portal reads it (PORTAL_CLIENT_ADDRESS_HEADER).
AXES_CLIENT_IP_CALLABLE = "operations.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "editorial.login_security.lockout_response"
# Lockouts are logged as warnings; no banner on every start.
AXES_VERBOSE = False
# Staff log in with the admin's two-step login (two_factor's LoginView): password, then
# the code from the authenticator app when the account has one.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Who must use a second factor: "superusers", "ki-redaktion" (superusers and the
# KI-Redaktion), "all-staff" or "off". Production requires it of the administrators;
# development does not, so the demo accounts of `make run` log in with their password.
PORTAL_2FA_REQUIRED = os.environ.get(
    "PORTAL_2FA_REQUIRED", "ki-redaktion" if PRODUCTION else "off"
).strip()
if PORTAL_2FA_REQUIRED not in {"superusers", "ki-redaktion", "all-staff", "off"}:
    raise ImproperlyConfigured(
        "PORTAL_2FA_REQUIRED must be 'superusers', 'ki-redaktion', 'all-staff' or 'off', "
        f"not {PORTAL_2FA_REQUIRED!r}."
    )
# The name authenticator apps show for the portal's entry.
OTP_TOTP_ISSUER = PORTAL_NAME
TWO_FACTOR_QR_FACTORY = "qrcode.image.svg.SvgPathImage"
# --- end of admin login ------------------------------------------------------------------

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@example.org")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
