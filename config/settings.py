"""The one settings module. Everything comes from the environment (see docs/operations.md).

Defaults give the embedded mode: SQLite, media on local disk, the DB-backed task queue,
a local-memory cache. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS
and, for scale-out, TASKS_BACKEND=rq and S3 media.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REISGEZEL_VAR_DIR", str(BASE_DIR / "var")))
SHARED_DATA_DIR = Path(env_str("REISGEZEL_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("REISGEZEL_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "reisgezel.core",
    "reisgezel.search",
    "reisgezel.places",
    "reisgezel.accounts",
    "reisgezel.agenda",
    "reisgezel.heritage",
    "reisgezel.interop",
    "reisgezel.learning",
    "reisgezel.spaces",
    "reisgezel.stories",
    "reisgezel.neighbourhoods",
    "reisgezel.initiatives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "reisgezel.core.middleware.RefuseNulCharacters",
    "reisgezel.core.middleware.JsonApiMethodNotAllowed",
    "reisgezel.core.middleware.GuardAdminDateHierarchy",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "reisgezel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reisgezel.core.context_processors.site",
            ],
            "builtins": ["reisgezel.core.templatetags.i18n_content"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reisgezel.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the site read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades in write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "reisgezel"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Embedded mode: a file cache under var/ is shared by the web process and the task
    # worker, so a change made by the worker (a feed import) is seen by the site at once
    # and the worker can prepare popular agenda views. Tests keep a per-process cache.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Tasks -----------------------------------------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if TESTING else "database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    # django-tasks-rq behind Django's own task types: see reisgezel/core/rq_backend.py.
    "rq": {"BACKEND": "reisgezel.core.rq_backend.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    # django-tasks-rq only runs jobs through its own Job class (it turns the stored
    # Task back into a call); making it the default lets `manage.py rqworker default`
    # work without `--job-class django_tasks_rq.Job`.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# --- Auth ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "partners:dashboard"
LOGOUT_REDIRECT_URL = "agenda:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("de", _("German")), ("fr", _("French"))]
# Languages whose interface is complete everywhere; de/fr cover visitor-facing pages.
FULL_LANGUAGES = ["nl", "en"]
LOCALE_PATHS = [BASE_DIR / "reisgezel" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "reisgezel" / "static", BASE_DIR / "frontend" / "dist"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Files no visitor may fetch (import uploads: hidden records, exact find sites): beside
# the media, never under MEDIA_URL. On S3 a private prefix with signed URLs only.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
if S3_BUCKET:
    _private_storage = {
        "BACKEND": _media_storage["BACKEND"],
        "OPTIONS": {
            **_media_storage["OPTIONS"],  # type: ignore[dict-item]
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "custom_domain": None,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _media_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail (Django 6.1 mailers) -----------------------------------------------------
EMAIL_SMTP_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options: dict[str, object] = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": EMAIL_SMTP_HOST,
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Reisgezel <noreply@localhost>")

# --- Security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies in front of the site that append the client's address to
# X-Forwarded-For (0: clients connect directly). Rate limits count per client address
# (core.rate_limits.client_ip); behind a proxy without this, every visitor would share
# the proxy's address and one limit.
FORWARDED_FOR_PROXIES = env_int("FORWARDED_FOR_PROXIES", 0)
# Map tiles of the stories and neighbourhood maps, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png (mind the tile server's usage policy).
# Empty: the maps show their markers on a blank background; every map has a list beside
# it, so nothing depends on tiles. The tile host is added to the CSP's img-src.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
STORIES_TILE_URL = MAP_TILE_URL  # the name the stories app reads


def _tile_origin(url: str) -> list[str]:
    if not url:
        return []
    from urllib.parse import urlsplit

    # Leaflet's {s} subdomain placeholder becomes a CSP wildcard.
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"]


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_tile_origin(MAP_TILE_URL), *env_list("CSP_IMG_SRC")],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    # Tests speak plain HTTP (test client, live server), so under REISGEZEL_TESTING
    # these two default to off; tests/production checks the real defaults.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The preload directive only allows submitting the domain to the browsers' list;
    # includeSubDomains and a year are the defaults already (check --deploy W021).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # libvips reports every step of a tiling at INFO.
        "pyvips": {"level": "WARNING"},
    },
}

# --- Reisgezel -------------------------------------------------------------------------
REISGEZEL: dict[str, Any] = {
    "CITY": env_str("REISGEZEL_CITY", "Maastricht"),
    # How far ahead open-ended recurrences and permanent events are materialised.
    "OCCURRENCE_HORIZON_DAYS": env_int("OCCURRENCE_HORIZON_DAYS", 400),
    # Partner feeds: refuse to download more than this (bytes) or take longer (seconds).
    "FEED_MAX_BYTES": env_int("FEED_MAX_BYTES", 10 * 1024 * 1024),
    "FEED_TIMEOUT": env_int("FEED_TIMEOUT", 20),
    # After a change, a task computes the counts and facets of the most visited agenda
    # views (the list and its date presets) before visitors ask for them.
    "AGENDA_PREPARE_VIEWS": env_bool("AGENDA_PREPARE_VIEWS", not TESTING),
}

# --- Heritage and open data (issue 3) -------------------------------------------------
# Static IIIF level-0 tiles and info.json, written at ingest and served as plain files
# (by the web server or a bucket in production; by Django only in DEBUG and tests).
IIIF_ROOT = Path(env_str("IIIF_ROOT", str(MEDIA_ROOT / "iiif" / "image")))
IIIF_URL = env_str("IIIF_URL", "/iiif/image/")
# Let Django serve the tiles itself (a deployment without a web server or bucket in
# front; always in development and tests).
IIIF_SERVE = env_bool("IIIF_SERVE", DEBUG or TESTING)
HERITAGE: dict[str, Any] = {
    # Media uploads: refuse files larger than this or images with more pixels
    # (decompression bombs).
    "MEDIA_MAX_BYTES": env_int("HERITAGE_MEDIA_MAX_BYTES", 50 * 1024 * 1024),
    "IMAGE_MAX_PIXELS": env_int("HERITAGE_IMAGE_MAX_PIXELS", 100_000_000),
    "TILE_SIZE": 512,
    "PUBLISHER": env_str(
        "HERITAGE_PUBLISHER", "Centre Céramique, Kumulus, Natuurhistorisch Museum Maastricht"
    ),
    "CONTACT_EMAIL": env_str("HERITAGE_CONTACT_EMAIL"),
    # The licence of the metadata as a whole (dataset descriptions, DwC-A eml.xml).
    "DATA_LICENSE": env_str(
        "HERITAGE_DATA_LICENSE", "http://creativecommons.org/publicdomain/zero/1.0/"
    ),
    # The collection search counts from facet rows held in memory (per process, about
    # 80 MB per million objects) once this many objects are public; below, in SQL.
    # Rebuilt in the background at most every REFRESH seconds after a change; a stale
    # copy counts for at most MAX_AGE seconds (heritage/collection_memory.py).
    "FACET_MEMORY": env_bool("HERITAGE_FACET_MEMORY", True),
    "FACET_MEMORY_FROM": env_int("HERITAGE_FACET_MEMORY_FROM", 50_000),
    "FACET_MEMORY_REFRESH": env_int("HERITAGE_FACET_MEMORY_REFRESH", 30),
    "FACET_MEMORY_MAX_AGE": env_int("HERITAGE_FACET_MEMORY_MAX_AGE", 120),
    # Tests build it in the request's own transaction (no thread could see their data).
    "FACET_MEMORY_INLINE": TESTING,
    # A web process builds it as it starts (config/wsgi.py); a search that finds none
    # fit for use waits this many seconds for the build under way before counting in SQL.
    "FACET_MEMORY_WARM_UP": env_bool("HERITAGE_FACET_MEMORY_WARM_UP", not TESTING),
    "FACET_MEMORY_WAIT": env_int("HERITAGE_FACET_MEMORY_WAIT", 5),
    # Where export files (the specimens' Darwin Core Archive) are built and kept.
    "EXPORT_DIR": Path(env_str("HERITAGE_EXPORT_DIR", str(VAR_DIR / "exports"))),
}
# Posting lists of frequent words (reisgezel/search/postings.py; switched
# off with SEARCH_POSTINGS=0, as the benchmark does for its baseline): words in
# at least FREQUENT_FROM documents keep theirs; a search reads at most RARE_MAX
# documents of rare words in SQL, and matches in SQL when more than CHANGED_MAX were
# indexed since the last build (`manage.py search_postings`, nightly).
SEARCH_POSTINGS: dict[str, int] = {
    "ENABLED": int(env_bool("SEARCH_POSTINGS", True)),
    "FREQUENT_FROM": env_int("SEARCH_POSTINGS_FREQUENT_FROM", 5_000),
    "RARE_MAX": env_int("SEARCH_POSTINGS_RARE_MAX", 50_000),
    "CHANGED_MAX": env_int("SEARCH_POSTINGS_CHANGED_MAX", 20_000),
}
# Bulk imports (reisgezel/interop/importers). LIDO_XSD / XML_CATALOG: where the LIDO
# schema and the catalog of its imports (xml.xsd, GML) lie, for validating files
# offline; by default the copies shipped in reisgezel/interop/schemas/.
HERITAGE_IMPORT: dict[str, Any] = {
    "BATCH_SIZE": env_int("HERITAGE_IMPORT_BATCH_SIZE", 500),
    # From this many records on, PostgreSQL imports index in a process of their own.
    "INDEX_PROCESS_FROM": env_int("HERITAGE_IMPORT_INDEX_PROCESS_FROM", 3000),
    # From this many new objects on (then each time they double), PostgreSQL imports
    # ANALYZE the tables they fill, so that the planner keeps using the indexes.
    "ANALYZE_FROM": env_int("HERITAGE_IMPORT_ANALYZE_FROM", 2000),
    "WARNINGS_PER_KIND": 20,
    # What a Darwin Core Archive may unpack to (a zip bomb is refused before it fills the disk).
    "UNPACKED_MAX_BYTES": env_int("HERITAGE_IMPORT_UNPACKED_MAX_BYTES", 20 * 2**30),
    **({"LIDO_XSD": Path(env_str("HERITAGE_LIDO_XSD"))} if env_str("HERITAGE_LIDO_XSD") else {}),
    **(
        {"XML_CATALOG": Path(env_str("HERITAGE_XML_CATALOG"))}
        if env_str("HERITAGE_XML_CATALOG")
        else {}
    ),
}
OAI_PMH: dict[str, Any] = {
    "REPOSITORY_NAME": env_str("OAI_REPOSITORY_NAME", "Reisgezel Maastricht: heritage collections"),
    # Identify's adminEmail (the schema wants user@domain.tld); noreply@<host> if empty.
    "ADMIN_EMAILS": env_list("OAI_ADMIN_EMAILS"),
    # Records per response; 0 keeps the endpoint's default (250).
    "PAGE_SIZE": env_int("OAI_PAGE_SIZE", 0),
    # Build a list's next page while the harvester reads this one (interop/oai/
    # read_ahead.py). Off in tests: a thread cannot see a test's transaction.
    "READ_AHEAD": env_bool("OAI_READ_AHEAD", not TESTING),
}

if TESTING:
    # Tests create many users; the slow password hash is pointless there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
