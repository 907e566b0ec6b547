"""The register of personal data, for system administrators."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from ..membership import membership
from ..personal_data import register_entries


def register(request):
    if not membership(request.user).superuser:
        raise PermissionDenied
    return TemplateResponse(request, "workflows/personal_data/register.html", {"entries": register_entries()})


urlpatterns = [path("", register, name="register")]
