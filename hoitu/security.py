"""The Content-Security-Policy of every response: the public pages' policy
from the settings, the admin's (CSP_ADMIN_DIRECTIVES) under /admin/, and the
address browsers send violation reports to."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

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
        response = super().process_response(request, response)
        # "report-to csp" names this endpoint (the Reporting API); browsers
        # without it use report-uri.
        if "Content-Security-Policy" in response or "Content-Security-Policy-Report-Only" in response:
            response.headers.setdefault("Reporting-Endpoints", f'csp="{settings.CSP_REPORT_PATH}"')
        return response


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
