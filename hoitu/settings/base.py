"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (see README, "Environment variables"). With nothing set, the
project runs on embedded defaults: SQLite, files under ``var/``, a file-system
Celery broker and a file-based cache, so `make run` needs no server.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

# The checkout: templates/, locale/ and var/ sit beside the packages.
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "csp",
    "newsroom",
    "assets",
    "publishing",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: its ready() connects Wagtail's moderation e-mails,
    # sent inside the request, which workflows' ready() then disconnects
    # (ours go out from a worker, see workflows/notifications.py).
    "workflows",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

# The security headers come first so that every response carries them: static
# files (WhiteNoise), cached pages, the API, errors and /healthz.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hoitu.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.cache.AnonymousPageCacheMiddleware",
    "workflows.middleware.TakedownMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.middleware.UnitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hoitu.urls"
WSGI_APPLICATION = "hoitu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "newsroom.context_processors.unit",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hoitu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite creates the file but not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "newsroom.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Redis, when given, is the cache and the Celery broker.
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hoitu"),
            # A Redis outage degrades to "no cache", never to an error page.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
else:
    # File-based so the web server and the worker share one cache
    # (page-cache invalidation and the worker heartbeat need that).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
CACHES["renditions"] = {
    **CACHES["default"],
    "KEY_PREFIX": CACHES["default"].get("KEY_PREFIX", "hoitu") + "-renditions",
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Celery: Redis when REDIS_URL is set, otherwise kombu's file-system transport
# under var/, so tasks still run in a separate worker process with no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Exchange bindings; kombu would otherwise write ./control/.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        # kombu polls the folder; 1 s (its default) would hold a worker to
        # about one task a second. Safe since messages are written
        # atomically (hoitu/broker.py).
        "polling_interval": 0.1,
    }
    # kombu expects its folders to exist in every process that sends a task.
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
# A task past its time limit is killed and its worker process replaced (each
# task sets its own limit; this one catches a task added without). Hard
# limits need the prefork pool, which every worker here runs.
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Media work (image renditions) has a queue of its own so a
# long backlog never delays the small, time-bound tasks (heartbeat, publishing).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"assets.tasks.*": {"queue": "media"}}
WORKER_QUEUES = "celery,media"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "hoitu.tasks.heartbeat", "schedule": 30.0},
    # Go-live, expiry and embargo ends to the minute, not the hour.
    "publish-scheduled": {"task": "workflows.tasks.publish_scheduled", "schedule": 60.0},
    "assignment-deadlines": {"task": "workflows.tasks.check_deadlines", "schedule": 300.0},
    "newsletter-digests": {"task": "publishing.tasks.send_newsletters", "schedule": 300.0},
    # Deliveries whose Celery message was lost (broker outage, killed worker).
    "publishing-sweep": {"task": "publishing.tasks.sweep_deliveries", "schedule": float(os.environ.get("PUBLISHING_SWEEP_SECONDS", "30"))},
}
# A Redis outage must not hang a publication: the delivery rows are written
# anyway and the sweeper queues them once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 3

# Publishing to channels (see publishing/engine/).
PUBLISHING_QUEUE = os.environ.get("PUBLISHING_QUEUE", "celery")
# Waiting deliveries are queued again after this long without a worker.
PUBLISHING_STALE_SECONDS = int(os.environ.get("PUBLISHING_STALE_SECONDS", "120"))
PUBLISHING_SWEEP_BATCH = int(os.environ.get("PUBLISHING_SWEEP_BATCH", "500"))
# A worker's claim on a delivery; past it, another worker takes over.
PUBLISHING_LEASE_SECONDS = int(os.environ.get("PUBLISHING_LEASE_SECONDS", "120"))
PUBLISHING_RETRY_BASE_SECONDS = float(os.environ.get("PUBLISHING_RETRY_BASE_SECONDS", "30"))
PUBLISHING_RETRY_MAX_SECONDS = float(os.environ.get("PUBLISHING_RETRY_MAX_SECONDS", "3600"))
PUBLISHING_MAX_ATTEMPTS = int(os.environ.get("PUBLISHING_MAX_ATTEMPTS", "8"))
PUBLISHING_AUTH_FAILURES_TO_DISABLE = int(os.environ.get("PUBLISHING_AUTH_FAILURES_TO_DISABLE", "3"))
# Channels may only post to public Internet addresses (production's default;
# the development fakes listen on 127.0.0.1), but for these networks.
PUBLISHING_REFUSE_PRIVATE_ADDRESSES = env_bool("PUBLISHING_REFUSE_PRIVATE_ADDRESSES", False)
PUBLISHING_ALLOWED_NETWORKS = env_list("PUBLISHING_ALLOWED_NETWORKS")
# Partners' content API (publishing/api/): requests per partner, and how old
# a change must be before the feed lists it (so a cursor never passes a
# publication still committing).
PUBLISHING_API_RATE = os.environ.get("PUBLISHING_API_RATE", "600/min")
PUBLISHING_API_SETTLE_SECONDS = int(os.environ.get("PUBLISHING_API_SETTLE_SECONDS", "2"))
# Every request from one address, counted before its token is checked.
PUBLISHING_API_ADDRESS_RATE = os.environ.get("PUBLISHING_API_ADDRESS_RATE", "1200/min")
# How many reverse proxies in front add an X-Forwarded-For hop: 0 reads the
# client's address off the connection, so a client cannot choose it.
REST_FRAMEWORK = {"NUM_PROXIES": int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))}
# YouTube uploads go in chunks of this size (a multiple of 256 KiB), each
# resumable on its own.
PUBLISHING_YOUTUBE_CHUNK_BYTES = int(os.environ.get("PUBLISHING_YOUTUBE_CHUNK_BYTES", str(8 * 1024 * 1024)))
# Newsletter digests go out in batches of subscribers; a batch's claim
# lasts NEWSLETTER_LEASE_SECONDS, after which another worker resumes it.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "200"))
NEWSLETTER_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_LEASE_SECONDS", "900"))
NEWSLETTER_MAX_BATCH_ATTEMPTS = int(os.environ.get("NEWSLETTER_MAX_BATCH_ATTEMPTS", "12"))
# Behind a reverse proxy, the request header holding the reader's address
# (e.g. HTTP_X_FORWARDED_FOR) for the subscribe form's rate limit.
NEWSLETTER_CLIENT_IP_HEADER = os.environ.get("NEWSLETTER_CLIENT_IP_HEADER", "")
# Fernet keys for channel credentials, newest first (comma-separated).
# Without one, development and tests derive a key from SECRET_KEY;
# production requires one (settings.production).
CHANNEL_CREDENTIALS_KEYS = env_list("CHANNEL_CREDENTIALS_KEYS")
CHANNEL_CREDENTIALS_REQUIRE_KEY = False
# Calls to the platforms: seconds to connect, seconds to wait for an answer.
PUBLISHING_HTTP_TIMEOUT = (5, 20)
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "120"))
# /healthz answers everyone with its status code and "ok"/"fail"; which
# component failed, and with what error, only staff or a monitor sending
# "Authorization: Bearer <HEALTHZ_TOKEN>" see (the errors name hosts).
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# Security headers on every response (the middleware above). Wagtail's
# previews frame the site from the admin, the same origin.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Browser features no page of ours uses, refused to the page and to anything
# it embeds (the admin's recording, when it comes, will ask for its own).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "magnetometer", "microphone", "midi", "payment", "serial", "usb", "xr-spatial-tracking",
    )
}

# Content-Security-Policy (django-csp, hoitu/security.py): our own origin
# only. Inline code needs the request's nonce (the public pages have none
# but the 500 page's style); plugins, <base> and framing by other sites are
# refused. Other origins come only from CSP_EMBED_ORIGINS.
#
# Where the stories' embeds (YouTube, X, Facebook…) load their frames,
# scripts and thumbnails from, e.g. "https://www.youtube.com".
CSP_EMBED_ORIGINS = env_list("CSP_EMBED_ORIGINS")
CSP_REPORT_PATH = "/csp-report/"
# Violation reports logged per client address and minute; the rest are
# dropped (a page in a loop, or someone filling the log).
CSP_REPORT_RATE = os.environ.get("CSP_REPORT_RATE", "60/min")
CSP_REPORT_MAX_BYTES = 16 * 1024
_csp_public = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE, *CSP_EMBED_ORIGINS],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:", *CSP_EMBED_ORIGINS],
    "media-src": [SELF],
    "frame-src": [SELF, *CSP_EMBED_ORIGINS],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
    "report-uri": [CSP_REPORT_PATH],
    "report-to": "csp",
}
# The admin's pages for signed-in staff (under /admin/, previews included;
# its sign-in and password pages keep the policy above). Wagtail 8 still
# writes inline <script> itself: its chooser widgets (in Python, without
# the request, so without a nonce), its date pickers and InlinePanel; and
# its editors add <style> elements. Hence 'unsafe-inline' here, and only
# here (a nonce would switch it off). No 'unsafe-eval': nothing needs it.
CSP_ADMIN_DIRECTIVES = {
    **_csp_public,
    "script-src": [SELF, UNSAFE_INLINE, *CSP_EMBED_ORIGINS],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *CSP_EMBED_ORIGINS],
    "media-src": [SELF, "blob:"],
}
# CSP_REPORT_ONLY=true: browsers report what the policy would block, and
# block nothing (to try a change of policy on a live site).
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = None, {"DIRECTIVES": _csp_public}
else:
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_public}, None

# Wagtail 8 runs its own background jobs (search and reference index,
# focal points) through django-tasks; run them where they are raised.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Internationalisation: Vietnamese first, English selectable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Hội Tụ"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Tag slugs transliterated like page slugs: "đường sắt" → "duong-sat".
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True
WAGTAILIMAGES_IMAGE_MODEL = "assets.ArchiveImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "assets.forms.ArchiveImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 30 * 1024 * 1024
# Decoding and resizing a picture takes memory in proportion to its pixels
# (a 120-megapixel file held the media worker for minutes at over 2 GB); 50
# million still takes an 8,660 × 5,770 photo.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(50_000_000)))
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh", "UTC"]
WAGTAILSEARCH_BACKENDS = {
    # The index holds ASCII-folded text (newsroom.text.fold), so the plain
    # "simple" configuration is right on PostgreSQL; SQLite uses FTS5.
    "default": {"BACKEND": "hoitu.search", "SEARCH_CONFIG": "simple"}
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's avatars come from our own static files, not Gravatar: no page
# calls a third party unless configured.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_AUTO_UPDATE_PREVIEW = True
WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10000
WAGTAILADMIN_COMMENTS_ENABLED = True
# Drafts are saved as the reporter types (milliseconds after the last change).
WAGTAIL_AUTOSAVE_INTERVAL = int(os.environ.get("WAGTAIL_AUTOSAVE_INTERVAL", "2000"))
WAGTAIL_WORKFLOW_ENABLED = True
ASSIGNMENT_DEADLINE_WARNING_MINUTES = int(os.environ.get("ASSIGNMENT_DEADLINE_WARNING_MINUTES", "120"))
# Steps already passed stay passed when a story sent back is edited and
# resubmitted: review restarts at the step that sent it back.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
# The workflow's final approval publishes on the approvers' authority.
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.publish_approved"
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hội Tụ <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 logs every index update it runs through django-tasks.
        "django_tasks": {"level": "WARNING"},
    },
}
