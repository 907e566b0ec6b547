"""The level-3 evidence page (cấp độ 3) for system administrators: every
control an inspector checks, whether it is on, how it is set, and its
evidence, as a page and as a CSV evidence file."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from ..controls import all_controls
from ..membership import membership


def _system_admin_only(request):
    if not membership(request.user).superuser:
        raise PermissionDenied


def evidence(request):
    _system_admin_only(request)
    controls = all_controls()
    return TemplateResponse(
        request,
        "workflows/security_level/index.html",
        {
            "controls": controls,
            "on_count": sum(control.on for control in controls),
            "generated_at": timezone.localtime(),
        },
    )


def evidence_csv(request):
    _system_admin_only(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cap-do-3-{stamp}.csv"'
    # A BOM so spreadsheet programs read the Vietnamese right.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Control"), _("On"), _("Setting"), _("Evidence")])
    for control in all_controls():
        facts = "; ".join(f"{label}: {value}" for label, value in control.facts)
        writer.writerow([control.title, _("yes") if control.on else _("no"), control.setting, "; ".join(filter(None, [control.evidence, facts]))])
    return response


urlpatterns = [
    path("", evidence, name="index"),
    path("evidence.csv", evidence_csv, name="csv"),
]
