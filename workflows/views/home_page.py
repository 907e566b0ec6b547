"""The unit's home page from the desk (beside the board): which stories
hold the spotlight, the top of the page and each section's highlights, in
what order and until when. The board's people see it; the managing editor
and the editors-in-chief arrange it (newsroom.placements)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput

from newsroom import placements as service
from newsroom.models import HomePlacement, HomePosition, SectionPage

from ..desk.scope import BOARD_ROLES
from ..membership import membership, resolve_unit
from ..models import Role

# Who arranges a unit's home page.
ARRANGERS = (Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR)


class PlaceForm(forms.Form):
    story = forms.ModelChoiceField(label=gettext_lazy("Story"), queryset=None)
    position = forms.ChoiceField(label=gettext_lazy("Position"), choices=HomePosition.choices)
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"), queryset=None, required=False, help_text=gettext_lazy("For a section highlight.")
    )
    until = forms.DateTimeField(
        label=gettext_lazy("Pinned until"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=gettext_lazy("Leave empty to keep it until taken off."),
    )

    def __init__(self, home, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home = home
        self.fields["story"].queryset = service.stories_to_place(home)
        self.fields["section"].queryset = SectionPage.objects.child_of(home).order_by("path")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            service.check_place(self.home, data["story"], data["position"], data.get("section"), data.get("until"))
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data


class HomePageView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/board/home_page.html"
    page_title = gettext_lazy("Home page")
    header_icon = "home"

    def dispatch(self, request, unit_slug):
        self.unit, self.units = resolve_unit(request, unit_slug, BOARD_ROLES)
        self.home = self.unit.site.root_page.specific
        self.may_arrange = membership(request.user).has_role(self.unit, *ARRANGERS)
        return super().dispatch(request, unit_slug)

    def get_page_subtitle(self):
        return self.unit.name

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("workflows_board", args=[self.unit.slug]), "label": _("Desk board")},
            {"url": "", "label": self.get_header_title()},
        ]

    def get(self, request, unit_slug):
        self.form = PlaceForm(self.home) if self.may_arrange else None
        return super().get(request)

    def post(self, request, unit_slug):
        if not self.may_arrange:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "place":
            self.form = PlaceForm(self.home, request.POST)
            if not self.form.is_valid():
                return self.render_to_response(self.get_context_data())
            data = self.form.cleaned_data
            service.place(self.home, data["story"], data["position"], request.user, section=data["section"], until=data["until"])
            messages.success(request, _("“%(title)s” is on the home page.") % {"title": data["story"].title})
        elif action in ("take_off", "up", "down"):
            chosen = request.POST.get("placement", "")
            placement = get_object_or_404(HomePlacement, pk=int(chosen) if chosen.isdigit() else 0, home=self.home)
            if action == "take_off":
                service.take_off(placement, request.user)
                messages.success(request, _("“%(title)s” is off the home page.") % {"title": placement.story.title})
            else:
                service.move(placement, request.user, -1 if action == "up" else 1)
        return redirect(reverse("workflows_home_page", args=[self.unit.slug]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placed = service.current_placements(self.home)
        groups = [
            (HomePosition.SPOTLIGHT.label, [p for p in placed if p.position == HomePosition.SPOTLIGHT]),
            (HomePosition.TOP.label, [p for p in placed if p.position == HomePosition.TOP]),
        ]
        for section in SectionPage.objects.child_of(self.home).order_by("path"):
            groups.append((f"{HomePosition.SECTION.label}: {section.title}", [p for p in placed if p.section_id == section.pk]))
        context.update(
            unit=self.unit, units=self.units, groups=groups, form=self.form, may_arrange=self.may_arrange, site_url=self.home.get_url(self.request)
        )
        return context


urlpatterns = [path("<slug:unit_slug>/home/", HomePageView.as_view(), name="workflows_home_page")]
