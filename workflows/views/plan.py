"""The daily plan (kế hoạch xuất bản): a unit's assignments and stories of
one day, by section."""

from datetime import date, timedelta

from django.contrib import messages
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..desk import plan as service
from ..desk.scope import PLAN_ROLES
from ..membership import resolve_unit


class PlanView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/plan/index.html"
    page_title = gettext_lazy("Daily plan")
    header_icon = "calendar-check"

    def get(self, request, unit_slug=None):
        self.unit, self.units = resolve_unit(request, unit_slug, PLAN_ROLES)
        self.today = service.local_today()
        self.day = self.today
        asked = request.GET.get("day", "").strip()
        if asked:
            try:
                self.day = date.fromisoformat(asked)
            except ValueError:
                messages.error(request, _("“%(day)s” is not a date; showing today.") % {"day": asked[:40]})
        return super().get(request)

    def get_page_subtitle(self):
        return self.unit.name

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("workflows_plan", args=[self.unit.slug]), "label": self.get_header_title()}
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = service.build_plan(self.unit, self.request.user, self.day)
        context.update(
            unit=self.unit,
            units=self.units,
            plan=plan,
            day=self.day,
            day_label=date_format(self.day, "l, j/n/Y"),
            is_today=self.day == self.today,
            today=self.today,
            previous_day=self.day - timedelta(days=1),
            next_day=self.day + timedelta(days=1),
        )
        return context


plan = PlanView.as_view()
urlpatterns = [
    path("", plan, name="workflows_plan"),
    path("<slug:unit_slug>/", plan, name="workflows_plan"),
]
