from wagtail.models import Site

from .services import active_takedown

GONE_TEMPLATE = "workflows/gone.html"


class TakedownMiddleware:
    """A taken-down story's address answers 410 Gone with a short notice
    instead of 404, so readers and search engines know it was removed on
    purpose. Only consulted for 404s, so it costs nothing otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.path.startswith(("/admin/", "/static/", "/media/")):
            return response
        site = Site.find_for_request(request)
        takedown = active_takedown(site, request.path) if site else None
        if takedown is None:
            return response
        from django.template.response import TemplateResponse

        gone = TemplateResponse(request, GONE_TEMPLATE, {"takedown": takedown}, status=410)
        return gone.render()
