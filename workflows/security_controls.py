"""The level-3 controls this layer and those below it enforce, for the
evidence page (registered from ``WorkflowsConfig.ready()``)."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from backups.models import BackupRun
from newsroom.models import Unit

from . import accounts
from .controls import Control, register_controls
from .two_factor import enrolled as second_factor_enrolled

# TWO_FACTOR_REQUIRED's values (workflows.two_factor.MODES), as the page says them.
REQUIRED_OF = {"all": gettext_lazy("every account"), "publishers": gettext_lazy("those who publish or administer"), "off": gettext_lazy("no one")}


def _when(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else _("never")


# Django's deployment warnings (its messages are English only), as the
# page says them; any other is named by its id, and the command says it.
DEPLOY_WARNINGS = {
    "security.W004": gettext_lazy("HSTS is not on (SECURE_HSTS_SECONDS): browsers may reach the site without HTTPS."),
    "security.W005": gettext_lazy("HSTS does not cover the subdomains (SECURE_HSTS_INCLUDE_SUBDOMAINS)."),
    "security.W008": gettext_lazy("Requests over HTTP are not sent to HTTPS (SECURE_SSL_REDIRECT)."),
    "security.W009": gettext_lazy("The secret key (SECRET_KEY) is short or guessable: set a long random one."),
    "security.W012": gettext_lazy("The session cookie is also sent over HTTP (SESSION_COOKIE_SECURE)."),
    "security.W016": gettext_lazy("The form protection cookie is also sent over HTTP (CSRF_COOKIE_SECURE)."),
    "security.W018": gettext_lazy("Debugging is on (DEBUG): errors show the code and settings to anyone."),
    "security.W019": gettext_lazy("Pages may be shown inside other sites' frames (X_FRAME_OPTIONS)."),
    "security.W020": gettext_lazy("No address is allowed (ALLOWED_HOSTS)."),
}


def deploy_check_messages():
    """What ``manage.py check --deploy`` warns about for these settings
    (empty: clean)."""
    found = checks.run_checks(include_deployment_checks=True)
    other = _("a warning of the deployment check.")  # outside the f-string: makemessages cannot read one
    return [
        f"{message.id}: {DEPLOY_WARNINGS.get(message.id, other)}"
        for message in found
        if message.level >= checks.WARNING
    ]


def sign_in_controls():
    staff = get_user_model().objects.filter(is_active=True)
    enrolled = staff.filter(second_factor_enrolled())
    cooloff_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    units = list(Unit.objects.order_by("name"))
    reviews = {unit: accounts.last_review(unit) for unit in units}
    now = timezone.now()
    return [
        Control(
            "two_factor",
            _("Two-factor authentication for the admin"),
            settings.TWO_FACTOR_REQUIRED != "off",
            _("required of: %(who)s") % {"who": REQUIRED_OF.get(settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_REQUIRED)},
            facts=[(_("active accounts"), staff.count()), (_("with a second factor"), enrolled.count())],
        ),
        Control(
            "lockout",
            _("Lockout after failed sign-ins"),
            settings.AXES_ENABLED and 12 * 60 <= cooloff_minutes <= 30 * 24 * 60,
            _("%(failures)s failures lock for %(minutes)s minutes (level 3: 720 to 43200)")
            % {"failures": settings.AXES_FAILURE_LIMIT, "minutes": cooloff_minutes},
            facts=[(_("locked now"), AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count())],
        ),
        Control(
            "passwords",
            _("Password rules, Argon2, expiry"),
            settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") and settings.PASSWORD_MAX_AGE_DAYS > 0,
            _("expire after %(days)s days; hasher: %(hasher)s")
            % {"days": settings.PASSWORD_MAX_AGE_DAYS, "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]},
        ),
        Control(
            "sessions",
            _("Idle sessions end"),
            0 < settings.SESSION_IDLE_MINUTES <= 15,
            _("idle %(idle)s min (system administrators %(admins)s min), at most %(hours)s h")
            % {"idle": settings.SESSION_IDLE_MINUTES, "admins": settings.SESSION_IDLE_MINUTES_SYSTEM_ADMIN, "hours": settings.SESSION_COOKIE_AGE // 3600},
        ),
        Control(
            "inactive_accounts",
            _("Unused accounts disabled"),
            0 < settings.ACCOUNT_INACTIVE_DAYS <= 45,
            _("after %(days)s days") % {"days": settings.ACCOUNT_INACTIVE_DAYS},
        ),
        Control(
            "account_review",
            _("Each unit's accounts reviewed every six months"),
            bool(units) and all(review and accounts.review_due(review) > now for review in reviews.values()),
            "",
            facts=[(unit.name, _when(review.reviewed_at) if review else _("never")) for unit, review in reviews.items()],
        ),
    ]


def installation_controls():
    staff = get_user_model().objects.filter(is_active=True)
    last_backup = BackupRun.objects.order_by("-started_at").first()
    last_good = BackupRun.objects.filter(status=BackupRun.Status.OK).order_by("-started_at").first() if last_backup else None
    oldest_event = AuditEvent.objects.order_by("at").values_list("at", flat=True).first()
    deploy = deploy_check_messages()
    https = bool(getattr(settings, "SECURE_SSL_REDIRECT", False)) and settings.SECURE_HSTS_SECONDS > 0
    return [
        Control(
            "https",
            _("HTTPS only"),
            https and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
            _("redirect to HTTPS: %(redirect)s; HSTS: %(hsts)s s; secure cookies: %(cookies)s")
            % {
                "redirect": _("yes") if getattr(settings, "SECURE_SSL_REDIRECT", False) else _("no"),
                "hsts": settings.SECURE_HSTS_SECONDS,
                "cookies": _("yes") if settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE else _("no"),
            },
        ),
        Control(
            "admin_networks",
            _("Admin reachable only from listed networks"),
            bool(settings.ADMIN_ALLOWED_NETWORKS),
            ", ".join(settings.ADMIN_ALLOWED_NETWORKS) or _("any address (ADMIN_ALLOWED_NETWORKS is empty)"),
        ),
        Control(
            "audit",
            _("Audit trail, hash-chained, kept at least 12 months"),
            settings.AUDIT_RETENTION_DAYS >= 365,
            _("kept %(days)s days") % {"days": settings.AUDIT_RETENTION_DAYS},
            facts=[
                (_("events"), AuditEvent.objects.count()),
                (_("oldest event"), _when(oldest_event)),
            ],
        ),
        Control(
            "backups",
            _("Encrypted daily backups, verified"),
            bool(last_good and last_good.verified_at),
            _("kept %(days)s days in %(dir)s") % {"days": settings.BACKUP_KEEP_DAYS, "dir": settings.BACKUP_DIR},
            facts=[
                (_("last backup"), _when(last_backup.started_at) if last_backup else _("never")),
                (_("last backup state"), last_backup.get_status_display() if last_backup else "—"),
                (_("last verified"), _when(last_good.verified_at) if last_good else _("never")),
            ],
        ),
        Control(
            "private_media",
            _("Private files only through permission checks"),
            not settings.SERVE_MEDIA,
            _("Django serves renditions itself: %(serve)s; documents through the serve view: %(docs)s")
            % {
                "serve": _("yes") if settings.SERVE_MEDIA else _("no"),
                "docs": _("yes") if settings.WAGTAILDOCS_SERVE_METHOD == "serve_view" else _("no"),
            },
        ),
        Control(
            "deploy_check",
            _("Django's deployment check"),
            not deploy,
            _("the settings checked when this page opens (manage.py check --deploy)"),
            evidence="\n".join(deploy) or _("no warning"),
        ),
        Control(
            "staff",
            _("Active accounts"),
            True,
            "",
            facts=[(_("active accounts"), staff.count()), (_("of which superusers"), staff.filter(is_superuser=True).count())],
        ),
    ]


def register():
    register_controls(sign_in_controls)
    register_controls(installation_controls)
