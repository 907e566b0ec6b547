"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (see README, "Environment variables"). With nothing set, the
project runs on embedded defaults: SQLite, files under ``var/``, a file-system
Celery broker and a file-based cache, so `make run` needs no server.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
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
    "audit",
    "backups",
    "relay",
    "newsroom",
    "assets",
    "publishing",
    "reader_comments",
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
    "django_otp",
    # Empty: its recovery codes moved to workflows' RecoveryCodes, whose
    # migration reads its tables.
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Django's session store plus each session's user, address and browser,
    # for the "Sign-in sessions" list and its revoke.
    "qsessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
]

# The security headers come first so that every response carries them: static
# files (WhiteNoise), cached pages, the API, errors and /healthz.
MIDDLEWARE = [
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hoitu.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hoitu.admin_networks.AdminNetworkMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.cache.AnonymousPageCacheMiddleware",
    "workflows.middleware.TakedownMiddleware",
    "hoitu.sessions.ClientSessionMiddleware",
    "newsroom.middleware.UnitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "workflows.sessions.IdleTimeoutMiddleware",
    "workflows.middleware.TwoFactorMiddleware",
    "workflows.middleware.AdminUnitScopeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "newsroom.middleware.PasswordChangeRequiredMiddleware",
    # A staff API token (workflows.api_tokens), after the session's checks.
    "workflows.api_tokens.StaffTokenMiddleware",
    "newsroom.middleware.SearchEngineDownMiddleware",
    # A publication refused for an archive item's rights, told to the editor.
    "newsroom.middleware.RightsRefusedMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
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
# Passwords (information-security level 3): Argon2 hashes (older hashes are
# upgraded when their owner signs in); at least PASSWORD_MIN_LENGTH
# characters of two kinds or PASSWORD_MIN_LENGTH_SIMPLE of any; none of the
# last PASSWORD_HISTORY_COUNT again (newsroom/passwords.py). Django applies
# the validators wherever a password is chosen: admin forms, the account
# page, changepassword and createsuperuser.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "newsroom.passwords.LengthAndMixValidator",
        "OPTIONS": {
            "min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8")),
            "min_length_simple": int(os.environ.get("PASSWORD_MIN_LENGTH_SIMPLE", "14")),
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "newsroom.passwords.PasswordHistoryValidator", "OPTIONS": {"count": int(os.environ.get("PASSWORD_HISTORY_COUNT", "10"))}},
]
# Staff use the admin only to choose a new password once theirs is this
# old, or when an administrator set it (0: passwords never expire).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "60"))

# Sign-in lockout (django-axes, newsroom/lockout.py): LOCKOUT_FAILURES
# failed sign-ins for one account, or from one address (each on its own:
# a list of single parameters means "or"), lock it for LOCKOUT_MINUTES
# (level 3 asks for 12 hours to 30 days). Axes' backend refuses a locked
# account before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
# The address as the content API reads it (TRUSTED_PROXY_COUNT, below).
AXES_CLIENT_IP_CALLABLE = "audit.recorder.client_address"
# Locks are seen and lifted in Wagtail's admin (workflows/views/lockouts.py).
AXES_ENABLE_ADMIN = False
LOGIN_URL = "wagtailadmin_login"
# Who needs a second factor (authenticator app) to use the admin:
# "all" staff, "publishers" (who publishes or administers, see
# workflows/two_factor.py) or "off" (refused in production).
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "all").strip().lower()
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Hội Tụ")
# After each wrong code the next try waits 1, 2, 4, 8... seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions (README, "Sign-in sessions"): cached in the default cache, kept in
# the database with their user, address and browser. A sign-in lasts
# SESSION_COOKIE_AGE at most, counted from the sign-in (workflows/sessions.py
# fixes the expiry then), and ends earlier after SESSION_IDLE_MINUTES
# without activity (system administrators: SESSION_IDLE_MINUTES_SYSTEM_ADMIN).
SESSION_ENGINE = "qsessions.backends.cached_db"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Wagtail's admin and our scripts take the token from the page, never from
# the cookie, so scripts need not read it.
CSRF_COOKIE_HTTPONLY = True
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "15"))
SESSION_IDLE_MINUTES_SYSTEM_ADMIN = int(os.environ.get("SESSION_IDLE_MINUTES_SYSTEM_ADMIN", "5"))
# The admin warns this long before an idle session ends.
SESSION_IDLE_WARNING_SECONDS = 120

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
# limits need the prefork pool, which every worker here runs but the
# publishing worker: its deliveries are bounded by their requests' timeouts and
# their leases instead (publishing/engine/).
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes the database connection around each task
# unless told to reuse it (this many tasks); hoitu/celery.py applies
# Django's own CONN_MAX_AGE instead.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Media work (image renditions) has a queue of its own so a
# long backlog never delays the small, time-bound tasks (heartbeat, publishing).
CELERY_TASK_DEFAULT_QUEUE = "celery"
# The nightly backup is long too: on the media queue, it never holds up publishing.
CELERY_TASK_ROUTES = {
    # The media sweep must not wait behind the conversions it looks after.
    "assets.tasks.resume_media_work": {"queue": "celery"},
    # Partial uploads live on the web host's disk: deleted where they are.
    "assets.tasks.delete_expired_uploads": {"queue": "celery"},
    "assets.tasks.*": {"queue": "media"},
    "backups.tasks.*": {"queue": "media"},
}
WORKER_QUEUES = "celery,media"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Beat opens its schedule file without making the folder (only the
# file-system broker above makes var/celery/).
(VAR_DIR / "celery").mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "hoitu.tasks.heartbeat", "schedule": 30.0},
    # Go-live, expiry and embargo ends to the minute, not the hour.
    "publish-scheduled": {"task": "workflows.tasks.publish_scheduled", "schedule": 60.0},
    "assignment-deadlines": {"task": "workflows.tasks.check_deadlines", "schedule": 300.0},
    "newsletter-digests": {"task": "publishing.tasks.send_newsletters", "schedule": 300.0},
    # Audit events past their retention period (never younger than a year).
    "audit-prune": {"task": "audit.tasks.prune_audit_trail", "schedule": 24 * 3600.0},
    "inactive-accounts": {"task": "workflows.tasks.disable_inactive_accounts", "schedule": 24 * 3600.0},
    "archive-rights": {"task": "workflows.tasks.remind_archive_rights", "schedule": crontab(hour=7, minute=0)},
    # Tasks a request queued while the broker was down (relay/).
    "task-relay": {"task": "relay.tasks.relay_queued_tasks", "schedule": 30.0},
    # Deliveries whose Celery message was lost (broker outage, killed worker).
    "publishing-sweep": {"task": "publishing.tasks.sweep_deliveries", "schedule": float(os.environ.get("PUBLISHING_SWEEP_SECONDS", "30"))},
    # Video and audio work a killed media worker left (assets/sweeping.py).
    "resumable-uploads-expire": {"task": "assets.tasks.delete_expired_uploads", "schedule": 3600.0},
    "media-sweep": {"task": "assets.tasks.resume_media_work", "schedule": 60.0},
    # In the quiet of the night (newsroom time), then verified.
    "backup-daily": {"task": "backups.tasks.back_up_daily", "schedule": crontab(hour=int(os.environ.get("BACKUP_HOUR", "2")), minute=30)},
}
# A Redis outage must not hang a publication: the delivery rows are written
# anyway and the sweeper queues them once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 3

# Publishing to channels (see publishing/engine/).
# The deliveries' own queue, read by the publishing worker (docker-compose.yml): a
# worker with threads, which Celery gives no hard time limits.
PUBLISHING_QUEUE = os.environ.get("PUBLISHING_QUEUE", "publishing")
# Waiting deliveries are queued again after this long without a worker.
PUBLISHING_STALE_SECONDS = int(os.environ.get("PUBLISHING_STALE_SECONDS", "120"))
PUBLISHING_SWEEP_BATCH = int(os.environ.get("PUBLISHING_SWEEP_BATCH", "500"))
# Deliveries per worker message (a story's channels travel together: one
# claim, one read and one outcome transaction for all of them).
PUBLISHING_MESSAGE_SIZE = int(os.environ.get("PUBLISHING_MESSAGE_SIZE", "12"))
# Threads per worker process that send a message's deliveries at the same
# time (they rarely touch the database).
PUBLISHING_SEND_THREADS = int(os.environ.get("PUBLISHING_SEND_THREADS", "16"))
# A worker's claim on a delivery; past it, another worker takes over.
PUBLISHING_LEASE_SECONDS = int(os.environ.get("PUBLISHING_LEASE_SECONDS", "120"))
# A send that meets a 5xx, a dropped connection or a 429 asking for at most
# PUBLISHING_QUICK_RETRY_MAX_WAIT seconds is tried again at once, by the
# worker, up to PUBLISHING_QUICK_RETRIES times (pauses of half to all
# of PUBLISHING_QUICK_RETRY_SECONDS, doubling); then it waits for the backoff.
PUBLISHING_QUICK_RETRIES = int(os.environ.get("PUBLISHING_QUICK_RETRIES", "2"))
PUBLISHING_QUICK_RETRY_SECONDS = float(os.environ.get("PUBLISHING_QUICK_RETRY_SECONDS", "0.5"))
PUBLISHING_QUICK_RETRY_MAX_WAIT = float(os.environ.get("PUBLISHING_QUICK_RETRY_MAX_WAIT", "5"))
PUBLISHING_RETRY_BASE_SECONDS = float(os.environ.get("PUBLISHING_RETRY_BASE_SECONDS", "30"))
PUBLISHING_RETRY_MAX_SECONDS = float(os.environ.get("PUBLISHING_RETRY_MAX_SECONDS", "3600"))
PUBLISHING_MAX_ATTEMPTS = int(os.environ.get("PUBLISHING_MAX_ATTEMPTS", "8"))
PUBLISHING_AUTH_FAILURES_TO_DISABLE = int(os.environ.get("PUBLISHING_AUTH_FAILURES_TO_DISABLE", "3"))
# Channels may only post to public Internet addresses (production's default;
# the development fakes listen on 127.0.0.1), but for these networks.
PUBLISHING_REFUSE_PRIVATE_ADDRESSES = env_bool("PUBLISHING_REFUSE_PRIVATE_ADDRESSES", False)
PUBLISHING_ALLOWED_NETWORKS = env_list("PUBLISHING_ALLOWED_NETWORKS")
# Networks the admin (/admin/) answers from, e.g. the newsroom's LAN and VPN
# ("10.20.0.0/16,203.0.113.7"); empty: any address. hoitu/admin_networks.py.
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS")
# Accounts of a unit unused this many days are disabled by beat
# (workflows/accounts.py); level 3 asks for 45.
ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ACCOUNT_INACTIVE_DAYS", "45"))
# Partners' content API (publishing/api/): requests per partner, and how old
# a change must be before the feed lists it (so a cursor never passes a
# publication still committing).
PUBLISHING_API_RATE = os.environ.get("PUBLISHING_API_RATE", "600/min")
PUBLISHING_API_SETTLE_SECONDS = int(os.environ.get("PUBLISHING_API_SETTLE_SECONDS", "2"))
# Every request from one address, counted before its token is checked.
PUBLISHING_API_ADDRESS_RATE = os.environ.get("PUBLISHING_API_ADDRESS_RATE", "1200/min")
# How many reverse proxies in front add an X-Forwarded-For hop: 0 reads the
# client's address off the connection, so a client cannot choose it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
REST_FRAMEWORK = {"NUM_PROXIES": TRUSTED_PROXY_COUNT}
# Days the audit trail keeps an event (sign-ins, permission changes,
# exports, editorial actions). The law asks for a year: production refuses
# less, other settings keep a year anyway and `check` warns (audit.checks).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "400"))
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

# Readers' comments: how many one reader (one address) may send to a unit in
# ten minutes and in a day, how long a stopped reader stays stopped, and how
# many approved comments a story's page shows (the rest on its comment page).
READER_COMMENTS_PER_10_MINUTES = int(os.environ.get("READER_COMMENTS_PER_10_MINUTES", "3"))
READER_COMMENTS_PER_DAY = int(os.environ.get("READER_COMMENTS_PER_DAY", "20"))
READER_COMMENTS_STOP_DAYS = int(os.environ.get("READER_COMMENTS_STOP_DAYS", "30"))
READER_COMMENTS_SHOWN = 20
# Fernet keys for channel credentials, newest first (comma-separated).
# Without one, development and tests derive a key from SECRET_KEY;
# production requires one (settings.production).
CHANNEL_CREDENTIALS_KEYS = env_list("CHANNEL_CREDENTIALS_KEYS")
CHANNEL_CREDENTIALS_REQUIRE_KEY = False
# Backups (backups/, README "Backups"): where they go, how long they are
# kept, and their keys (comma-separated, newest first; else the channel
# credentials' keys). A run past its time limit is recorded as failed.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP_DAYS = int(os.environ.get("BACKUP_KEEP_DAYS", "14"))
BACKUP_KEEP_MONTHS = int(os.environ.get("BACKUP_KEEP_MONTHS", "0"))
BACKUP_ENCRYPTION_KEY = env_list("BACKUP_ENCRYPTION_KEY")
BACKUP_TIME_LIMIT_SECONDS = int(os.environ.get("BACKUP_TIME_LIMIT_SECONDS", "1800"))
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
# Django's deployment check asks for DENY; SAMEORIGIN is deliberate (above).
SILENCED_SYSTEM_CHECKS = ["security.W019"]
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
    # The HLS player (hls.js, where the browser has no HLS of its own)
    # feeds the video element through Media Source Extensions: a blob: URL.
    "media-src": [SELF, "blob:"],
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
# The project's own strings, then its Vietnamese for Wagtail's and Django's
# (locale/upstream/): the first path wins, and both win over the packages'
# catalogues, which cover a fifth of Wagtail.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "upstream"]
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
# Django serves the renditions under MEDIA_URL too (development, small
# installs); production leaves them to the web server in front. Originals,
# video and audio go through Django's check either way.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Django streams the files it lets through itself (one byte range at a
# time); production may hand them to nginx instead (hoitu/settings/production.py).
MEDIA_ACCEL_REDIRECT = ""


def media_bucket_storage():
    """The default storage on the bucket of MEDIA_S3_BUCKET, its options
    read from the environment (the object-storage tests call it too)."""
    return {
        "BACKEND": "hoitu.storage.MediaBucket",
        "OPTIONS": {
            "bucket_name": os.environ.get("MEDIA_S3_BUCKET", ""),
            # MinIO, Viettel, VNG, FPT...: their address; empty: AWS.
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            # Empty: boto3 finds its own (an instance role, ~/.aws).
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            # "path" (the bucket in the path, as MinIO and most local clouds
            # want) or "virtual" (in the host name); empty: boto3's choice.
            "addressing_style": os.environ.get("MEDIA_S3_ADDRESSING_STYLE") or None,
            # A folder of the bucket, to share one between installations.
            "location": os.environ.get("MEDIA_S3_PREFIX", "").strip("/"),
            "signature_version": "s3v4",
            # Private objects: no ACL is sent, the bucket's policy decides;
            # files are linked at the site's addresses, never the bucket's
            # (hoitu.storage.MediaBucket.url), so serve_media still checks.
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of "phong-su.mp4" are two files, as on local disk.
            "file_overwrite": False,
            # A file read through the storage spills to a temporary file
            # past this, rather than a video held in memory.
            "max_memory_size": 16 * 1024 * 1024,
            "public_url": os.environ.get("MEDIA_S3_PUBLIC_URL", ""),
            "signed_url_seconds": int(os.environ.get("MEDIA_S3_SIGNED_URL_SECONDS", "0")),
        },
    }


# Uploaded files: on local disk (MEDIA_ROOT) unless MEDIA_S3_BUCKET names a
# bucket of S3-compatible object storage (hoitu/storage.py): then originals,
# renditions, video, audio and the media worker's outputs all go there, and
# every web host and media worker shares them. The keys come only from the
# environment and are never logged.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
STORAGES = {
    "default": media_bucket_storage() if MEDIA_S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# How many days before an archive item's licence ends the editors of the
# live stories showing it are told (workflows.rights), and listed on their
# dashboard.
ARCHIVE_RIGHTS_NOTICE_DAYS = int(os.environ.get("ARCHIVE_RIGHTS_NOTICE_DAYS", "14"))
# Upload limits per kind of file, in MB in the environment, checked while
# the body is read (assets/uploads.py): a file over its limit is never
# stored. Images: 50 MB holds any photo within the 50-megapixel limit below;
# documents: a printed edition's PDF; audio: about 45 minutes of WAV; video:
# an hour of 1080p at broadcast bitrate. The reverse proxy's request limit
# (nginx client_max_body_size) must be at least the largest (README).
UPLOAD_LIMITS = {
    kind: int(os.environ.get(f"UPLOAD_MAX_{kind.upper()}_MB", str(default))) * 1024 * 1024
    for kind, default in (("image", 50), ("document", 100), ("audio", 500), ("video", 4096))
}
# Resumable uploads (tus, assets/tus.py): the largest file, in GB; the
# folder the bytes collect in on the web host (on every web host the same
# shared disk, when there are several); how long a partial upload waits for
# its next byte before beat deletes it.
RESUMABLE_UPLOAD_MAX_BYTES = int(float(os.environ.get("RESUMABLE_UPLOAD_MAX_GB", "20")) * 1024**3)
RESUMABLE_UPLOAD_DIR = Path(os.environ.get("RESUMABLE_UPLOAD_DIR", VAR_DIR / "uploads"))
RESUMABLE_UPLOAD_EXPIRY_HOURS = int(os.environ.get("RESUMABLE_UPLOAD_EXPIRY_HOURS", "24"))
# The longest video or audio the media worker takes, in minutes: a day's
# live stream is cut before it goes in the archive (assets/processing.py).
MEDIA_MAX_MINUTES = int(os.environ.get("MEDIA_MAX_MINUTES", "240"))
# How the media worker's ffmpeg converts (assets/transcoding.py): threads
# per run (a worker host's cores over its media workers), x264's preset
# (speed against size), and the longest a conversion may take per minute of
# recording before the item fails saying so: 2 minutes is 2x slower than
# real time, room for a 1080p ladder on two cores.
MEDIA_FFMPEG_THREADS = int(os.environ.get("MEDIA_FFMPEG_THREADS", "2"))
MEDIA_X264_PRESET = os.environ.get("MEDIA_X264_PRESET", "veryfast")
MEDIA_TRANSCODE_SECONDS_PER_MINUTE = int(os.environ.get("MEDIA_TRANSCODE_SECONDS_PER_MINUTE", "120"))
# A video's picture is converted in stretches of this many seconds (a
# multiple of the HLS segment's 6), one task each, side by side on every
# media worker: at the limit above a stretch stays under the 25 minutes a
# media task may take.
MEDIA_CHUNK_SECONDS = int(os.environ.get("MEDIA_CHUNK_SECONDS", "300"))
# A part of that work not heard of for this long (its worker reports every
# second while ffmpeg runs) is taken over by another worker.
MEDIA_PART_LEASE_SECONDS = int(os.environ.get("MEDIA_PART_LEASE_SECONDS", "300"))
FILE_UPLOAD_HANDLERS = [
    "assets.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Wagtail
WAGTAIL_SITE_NAME = "Hội Tụ"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")


def webauthn_origins(base_url, hosts, rp_id):
    """The addresses a passkey may be used from: the admin's own and each
    exact host of ALLOWED_HOSTS in the passkeys' domain (a unit's admin on
    its own subdomain), over the admin's scheme. OTP_WEBAUTHN_ALLOWED_ORIGINS
    replaces them."""
    base = urlsplit(base_url)
    origins = [f"{base.scheme}://{base.netloc}"]
    for host in hosts:
        # Wildcards (".example.vn", "*") name no origin.
        exact = not host.startswith((".", "*"))
        if exact and host != base.hostname and (host == rp_id or host.endswith(f".{rp_id}")):
            origins.append(f"{base.scheme}://{host}")
    return env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS") or origins


# Passkeys (django-otp-webauthn), a second factor beside the authenticator
# app, never a sign-in without the password. A passkey belongs to its
# domain (RP ID): the admin's host unless OTP_WEBAUTHN_RP_ID names a parent
# domain; changing it later makes everyone register their passkeys again.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID") or urlsplit(WAGTAILADMIN_BASE_URL).hostname
OTP_WEBAUTHN_RP_NAME = os.environ.get("OTP_WEBAUTHN_RP_NAME", "Hội Tụ")
OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_origins(WAGTAILADMIN_BASE_URL, ALLOWED_HOSTS, OTP_WEBAUTHN_RP_ID)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Tag slugs transliterated like page slugs: "đường sắt" → "duong-sat".
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True
WAGTAILIMAGES_IMAGE_MODEL = "assets.ArchiveImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "assets.forms.ArchiveImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Also the multiple uploader's check in the browser, before anything is sent.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_LIMITS["image"]
# Decoding and resizing a picture takes memory in proportion to its pixels
# (a 120-megapixel file held the media worker for minutes at over 2 GB); 50
# million still takes an 8,660 × 5,770 photo.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(50_000_000)))
# A page whose picture's renditions are not made yet shows the original up
# to this size (a phone on a slow line must not fetch a 20 MB camera file:
# larger ones show a placeholder until the media worker is done).
RENDITION_FALLBACK_MAX_BYTES = 1_500_000
WAGTAILDOCS_DOCUMENT_FORM_BASE = "assets.forms.ArchiveDocumentForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
# Documents only through /documents/<id>/<name>, which honours a
# collection's login or password restriction (never a link to the file's
# storage path, which the media route refuses). Django streams the file:
# documents are small and rarely opened next to pictures, and it needs no
# rule in the proxy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh", "UTC"]
WAGTAILSEARCH_BACKENDS = {
    # The index holds ASCII-folded text (assets.text.fold), so the plain
    # "simple" configuration is right on PostgreSQL; SQLite uses FTS5.
    "default": {"BACKEND": "hoitu.search", "SEARCH_CONFIG": "simple"}
}
# Scale-out (README, "Search at newsroom scale"): OpenSearch answers public
# search, admin search and the choosers when an address is given. Never
# from a request: the worker indexes what was saved or deleted
# (newsroom.tasks.update_search_index), so Wagtail's own updates are off.
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "hoitu.opensearch",
            "URLS": [OPENSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("OPENSEARCH_INDEX_PREFIX", "hoitu_"),
            "TIMEOUT": 5,
            "AUTO_UPDATE": False,
        }
    }
# Public search ranks and counts a unit's newest matches up to this many
# ("hơn 1.000 kết quả" past it): ranking every match of a common word at a
# million stories would read a third of them (newsroom/models/search.py).
SEARCH_RESULTS_LIMIT = int(os.environ.get("SEARCH_RESULTS_LIMIT", "1000"))
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

# Every request has an id, in its log lines, its X-Request-ID header and the
# error page, so a person can quote it. A proxy that sets its own names the
# header in REQUEST_ID_HEADER (e.g. HTTP_X_REQUEST_ID); a client's is never
# trusted otherwise.
LOG_REQUEST_ID_HEADER = os.environ.get("REQUEST_ID_HEADER") or None
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {"with_request_id": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "with_request_id"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 logs every index update it runs through django-tasks.
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every successful sign-in's counter reset at INFO.
        "axes": {"level": "WARNING"},
    },
}
