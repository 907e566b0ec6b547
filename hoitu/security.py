"""The Content-Security-Policy of every response: the public pages' policy
from the settings, the admin's (CSP_ADMIN_DIRECTIVES) under /admin/, and the
address browsers send violation reports to."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed

from publishing.api.throttling import AtomicRateThrottle

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # For signed-in staff the admin's policy takes the place of the
        # public one, in whichever header (enforced or report-only) the
        # settings put that one.
        if (
            parts.config is None
            and report_only == bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY)
            and request.path_info.startswith(ADMIN_PREFIX)
            and getattr(getattr(request, "user", None), "is_authenticated", False)
        ):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        return parts

    def process_response(self, request, response):
        if self._settings_policy_only(request, response):
            self._set_settings_policy(request, response)
        else:
            response = super().process_response(request, response)
        # "report-to csp" names this endpoint (the Reporting API); browsers
        # without it use report-uri.
        if "Content-Security-Policy" in response or "Content-Security-Policy-Report-Only" in response:
            response.headers.setdefault("Reporting-Endpoints", f'csp="{settings.CSP_REPORT_PATH}"')
        return response

    # Most responses (every public page, every page-cache hit) carry the
    # settings' policy as it is: no nonce, no per-view change. django-csp
    # deep-copies the settings and rebuilds the header text for each of
    # them, a fifth of a page-cache hit; here it is built once.
    _PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    def _settings_policy_only(self, request, response):
        return (
            getattr(request, "_csp_nonce", None) is None
            and not request.path_info.startswith(ADMIN_PREFIX)
            and not any(getattr(response, name, None) is not None for name in self._PER_RESPONSE)
            and not (settings.DEBUG and response.status_code in (500, 404))
        )

    def _set_settings_policy(self, request, response):
        for header, setting, exempt, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
        ):
            value = _settings_policy(report_only)
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            if value and header not in response and not getattr(response, exempt, False) and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)


_settings_policies = {}


def _settings_policy(report_only):
    if report_only not in _settings_policies:
        _settings_policies[report_only] = build_policy(report_only=report_only)
    return _settings_policies[report_only]


def _forget_settings_policies(setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _settings_policies.clear()


setting_changed.connect(_forget_settings_policies, dispatch_uid="hoitu_csp_settings_policies")


class ReportRateThrottle(AtomicRateThrottle):
    """Violation reports per client address (CSP_REPORT_RATE), counted
    atomically in the shared cache like the content API's requests."""

    scope = "csp-report"

    def get_rate(self):
        return settings.CSP_REPORT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# What a report says, under its name in report-uri's format (application/csp-report)
# and in the Reporting API's (application/reports+json).
REPORT_FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
    "disposition": ("disposition", "disposition"),
}
MAX_REPORTS_PER_REQUEST = 20
MAX_FIELD_CHARS = 300


def violations(payload):
    """The violations in a report body, each as a dict of short strings;
    empty when the body is not a CSP report."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        bodies, index = [payload["csp-report"]], 0
    elif isinstance(payload, list):
        bodies = [item.get("body") for item in payload if isinstance(item, dict) and item.get("type") == "csp-violation"]
        bodies, index = [body for body in bodies if isinstance(body, dict)], 1
    else:
        return []
    found = []
    for body in bodies[:MAX_REPORTS_PER_REQUEST]:
        fields = {name: body.get(keys[index]) for name, keys in REPORT_FIELDS.items()}
        if not fields["directive"]:
            fields["directive"] = body.get("violated-directive")
        if fields["directive"]:
            found.append({name: str(value)[:MAX_FIELD_CHARS] for name, value in fields.items() if value not in (None, "")})
    return found
