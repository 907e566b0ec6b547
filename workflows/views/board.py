"""The desk board: a unit's stories by workflow stage."""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsroom.models import ArticleFormat

from ..desk import board as service
from ..desk.scope import BOARD_ROLES, scope_paths, unit_people, unit_sections
from ..desk.stages import card_decorator, cards_queryset
from ..membership import resolve_unit


class BoardFilterForm(forms.Form):
    section = forms.TypedChoiceField(label=gettext_lazy("Section"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(label=gettext_lazy("Assignee"), required=False, coerce=int, empty_value=None)
    format = forms.ChoiceField(label=gettext_lazy("Story format"), required=False)

    def __init__(self, data, sections, people):
        super().__init__(data)
        self.sections = {section.pk: section for section in sections}
        self.people = {person.pk: person for person in people}
        self.fields["section"].choices = [("", _("All sections"))] + [(s.pk, s.title) for s in sections]
        self.fields["assignee"].choices = [("", _("Everyone"))] + [
            (p.pk, p.get_full_name() or p.get_username()) for p in people
        ]
        self.fields["format"].choices = [("", _("All formats"))] + list(ArticleFormat.choices)

    def filters(self):
        """The valid filters (an invalid one is reported and ignored)."""
        if not self.is_valid():
            return service.BoardFilters()
        data = self.cleaned_data
        return service.BoardFilters(
            section=self.sections.get(data["section"]),
            assignee=self.people.get(data["assignee"]),
            format=data["format"],
        )

    @property
    def active(self):
        return any(self.data.get(name) for name in self.fields)


class BoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/board/index.html"
    page_title = gettext_lazy("Desk board")
    header_icon = "tasks"

    def get(self, request, unit_slug=None):
        self.unit, self.units = resolve_unit(request, unit_slug, BOARD_ROLES)
        self.form = BoardFilterForm(
            request.GET,
            unit_sections(self.unit, scope_paths(request.user, self.unit, BOARD_ROLES)),
            list(unit_people(self.unit)),
        )
        self.column_key = request.GET.get("column")
        return super().get(request)

    def get_page_subtitle(self):
        return self.unit.name

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items() + [
            {"url": reverse("workflows_board", args=[self.unit.slug]), "label": self.get_header_title()}
        ]
        if self.column_key:
            items.append({"url": "", "label": _("Column")})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.form.filters()
        context.update(unit=self.unit, units=self.units, form=self.form, filters_active=self.form.active)
        if self.column_key:
            context.update(self.column_context(filters))
        else:
            context["board"] = service.build_board(self.unit, self.request.user, filters, limit=service.CARD_LIMIT)
        return context

    def column_context(self, filters):
        """Every card of one column, paginated (the "more" link)."""
        now = timezone.now()
        board = service.build_board(self.unit, self.request.user, filters, now=now, only_column=self.column_key)
        column = service.column_page(board, self.column_key)
        if column is None:
            raise Http404(_("No such column."))
        paginator = Paginator(cards_queryset(column.queryset), service.COLUMN_PAGE_SIZE)
        try:
            page = paginator.page(self.request.GET.get("p", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            raise Http404(_("No such page of results.")) from None
        decorate = card_decorator(board.sections, list(page.object_list), now)
        column.count = paginator.count
        column.cards = [decorate(story) for story in page.object_list]
        self.template_name = "workflows/board/column.html"
        return {
            "column": column,
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
        }


board = BoardView.as_view()
urlpatterns = [
    path("", board, name="workflows_board"),
    path("<slug:unit_slug>/", board, name="workflows_board"),
]
