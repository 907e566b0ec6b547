"""The level-3 evidence page (cấp độ 3) for system administrators: every
control an inspector checks, whether it is on, how it is set, and its
evidence, as a page, a CSV file and a Word evidence pack."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

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


def evidence_docx(request):
    """The evidence pack an inspector files: a Word document with every
    control, its state, setting and evidence, dated."""
    _system_admin_only(request)
    now = timezone.localtime()
    controls = all_controls()
    document = Document()
    document.add_heading(_("Information security level 3"), level=0)
    document.add_paragraph(
        _("%(on)s of %(total)s controls are on, read at %(when)s.")
        % {"on": sum(control.on for control in controls), "total": len(controls), "when": now.strftime("%d/%m/%Y %H:%M")}
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, (_("Control"), _("State"), _("Setting"), _("Evidence")), strict=True):
        cell.text = heading
    for control in controls:
        facts = "\n".join(f"{label}: {value}" for label, value in control.facts)
        row = table.add_row().cells
        row[0].text = control.title
        row[1].text = _("On") if control.on else _("Off")
        row[2].text = control.setting
        row[3].text = "\n".join(filter(None, [control.evidence, facts]))
    buffer = io.BytesIO()
    document.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="cap-do-3-{now:%Y%m%d-%H%M}.docx"'
    return response


urlpatterns = [
    path("", evidence, name="index"),
    path("evidence.csv", evidence_csv, name="csv"),
    path("evidence.docx", evidence_docx, name="docx"),
]
