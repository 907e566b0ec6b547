"""Holds the request being answered, so events raised deep inside it
(Wagtail's log entries, group and permission changes) carry its source
address and user agent; and records every spreadsheet export of the admin
(Wagtail's listings export with ``?export=csv`` or ``xlsx``)."""

from django.urls import reverse

from .recorder import current_request, record

EXPORT_FORMATS = {"csv", "xlsx"}


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if request.GET.get("export") in EXPORT_FORMATS and response.status_code == 200 and self._is_admin(request):
            record("admin.export", request=request, format=request.GET["export"], path=request.get_full_path()[:1000])
        return response

    def _is_admin(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        return request.path.startswith(self.admin_prefix) and request.user.is_authenticated
