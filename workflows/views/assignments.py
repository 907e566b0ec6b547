"""Assignments in the admin: the list of the user's units, the proposal
and edit forms, the detail page with its actions and comments. Every view
scopes to the user's units; every action goes through
``workflows.assignments``, which checks the right again."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry

from newsroom.forms import UnitSectionChoiceField
from newsroom.models import SectionPage

from .. import assignments as service
from ..membership import membership, unit_queryset, units_for
from ..models import Assignment, AssignmentStatus, Role

PLANNER_ROLES = service.PLANNING_ROLES | {Role.SECTION_HEAD}


def scoped_assignments(user):
    m = membership(user)
    queryset = Assignment.objects.all()
    return queryset if m.superuser else queryset.filter(unit_id__in=m.unit_ids)


def staff_of(units):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__unit_role__unit__in=units, groups__unit_role__role__in=service.WRITING_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return get_user_display_name(obj)




# --- list -------------------------------------------------------------------------


class StaffFilterField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return get_user_display_name(obj)


class StaffFilter(django_filters.ModelChoiceFilter):
    field_class = StaffFilterField


class AssignmentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=AssignmentStatus.choices, widget=forms.RadioSelect, empty_label=gettext_lazy("All")
    )
    unit = django_filters.ModelChoiceFilter(label=gettext_lazy("Unit"), queryset=lambda request: unit_queryset(request.user))
    section = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Section"), queryset=lambda request: SectionPage.objects.of_units(unit_queryset(request.user))
    )
    assignee = StaffFilter(
        label=gettext_lazy("Assignee"), field_name="assignees", queryset=lambda request: staff_of(unit_queryset(request.user))
    )
    deadline = django_filters.DateFromToRangeFilter(label=gettext_lazy("Deadline"), widget=DateRangePickerWidget)

    class Meta:
        model = Assignment
        fields = ["status", "unit", "section", "assignee", "deadline"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # One unit: its filter would have a single choice.
        if request is not None and not membership(request.user).superuser and len(membership(request.user).unit_ids) < 2:
            del self.filters["unit"]


class DeadlineColumn(Column):
    cell_template_name = "workflows/assignments/deadline_cell.html"


class StatusColumn(Column):
    cell_template_name = "workflows/assignments/status_cell.html"


class AssignmentIndexView(BaseListingView):
    page_title = gettext_lazy("Assignments")
    header_icon = "clipboard-list"
    index_url_name = "workflows_assignments:index"
    index_results_url_name = "workflows_assignments:index_results"
    filterset_class = AssignmentFilterSet
    paginate_by = 50
    verbose_name = gettext_lazy("assignment")
    verbose_name_plural = gettext_lazy("assignments")
    default_ordering = "deadline"

    @cached_property
    def columns(self):
        columns = [
            TitleColumn("title", label=gettext_lazy("Title"), sort_key="title", get_url=service.detail_url),
            StatusColumn("status", label=gettext_lazy("Status"), sort_key="status", width="12%"),
            Column("section", label=gettext_lazy("Section"), accessor="section.title", width="12%"),
            Column(
                "assignees", label=gettext_lazy("Assignees"), width="18%",
                accessor=lambda a: ", ".join(get_user_display_name(u) for u in a.assignees.all()),
            ),
            DeadlineColumn("deadline", label=gettext_lazy("Deadline"), sort_key="deadline", width="14%"),
            Column("priority", label=gettext_lazy("Priority"), accessor="get_priority_display", sort_key="priority", width="8%"),
        ]
        m = membership(self.request.user)
        if m.superuser or len(m.unit_ids) > 1:
            columns.insert(1, Column("unit", label=gettext_lazy("Unit"), accessor="unit.name", width="12%"))
        return columns

    def get_base_queryset(self):
        return scoped_assignments(self.request.user).select_related("unit", "section").prefetch_related("assignees")

    def order_queryset(self, queryset):
        # Work without a deadline goes last, whichever way the list is sorted.
        if self.ordering in ("deadline", "-deadline"):
            field = F("deadline")
            first = field.asc(nulls_last=True) if self.ordering == "deadline" else field.desc(nulls_last=True)
            return queryset.order_by(first, "-priority", "pk")
        return queryset.order_by(self.ordering, "pk") if self.ordering else queryset

    def get_header_buttons(self):
        m = membership(self.request.user)
        if not (m.superuser or m.unit_ids):
            return []
        return [HeaderButton(_("Propose an assignment"), url=reverse("workflows_assignments:create"), icon_name="plus")]

    @property
    def no_results_message(self):
        if self.is_filtering:
            return _("No assignments match these filters.")
        return _("No assignments yet. Propose one: a title, a brief and a deadline are enough to start.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


index = AssignmentIndexView.as_view()
index_results = AssignmentIndexView.as_view(results_only=True)


# --- forms ------------------------------------------------------------------------


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["title", "brief", "section", "format", "deadline", "planned_publish_at", "priority"]
        widgets = {"deadline": AdminDateTimeInput, "planned_publish_at": AdminDateTimeInput, "brief": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"] = UnitSectionChoiceField(
            queryset=SectionPage.objects.of_units(units), units=units, required=False, label=self.fields["section"].label,
            help_text=_("The story will be written in this section."),
        )


class ProposeForm(AssignmentForm):
    def __init__(self, *args, user, **kwargs):
        units = list(unit_queryset(user))
        super().__init__(*args, units=units, **kwargs)
        unit_field = forms.ModelChoiceField(queryset=unit_queryset(user), label=_("Unit"), empty_label=None)
        if len(units) == 1:
            unit_field.widget = forms.HiddenInput()
            unit_field.initial = units[0].pk
        self.fields = {"unit": unit_field, **self.fields}
        # Those who plan the unit's work (approve and assign) assign at once.
        planned = units_for(user, PLANNER_ROLES)
        if planned:
            self.fields["assignees"] = StaffChoiceField(
                queryset=staff_of(planned), required=False, widget=forms.CheckboxSelectMultiple, label=_("Assign to"),
                help_text=_("Leave empty to only propose. Choosing people approves and assigns the assignment at once."),
            )


def _form_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def _denied(request, error):
    return TemplateResponse(
        request, "workflows/assignments/denied.html",
        {"message": str(error) if str(error) else _("You may not do this."), "header_title": _("Not allowed")}, status=403,
    )


class AssignmentCreateView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/assignments/form.html"
    page_title = gettext_lazy("Propose an assignment")
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("workflows_assignments:index"), "label": _("Assignments")},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        m = membership(request.user)
        if not (m.superuser or m.unit_ids):
            return _denied(request, PermissionDenied(_("You have no role in any unit, so you cannot propose assignments.")))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ProposeForm(user=request.user)))

    def post(self, request):
        form = ProposeForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            unit = data.pop("unit")
            assignees = data.pop("assignees", None) or ()
            try:
                assignment = service.propose(request.user, unit, assignees=assignees, **data)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Assignment “%(title)s” saved.") % {"title": assignment.title})
                return redirect(service.detail_url(assignment))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submit_label"] = _("Save")
        context["cancel_url"] = reverse("workflows_assignments:index")
        return context


create = AssignmentCreateView.as_view()


def _get(request, pk):
    queryset = scoped_assignments(request.user).select_related(
        "unit__site__root_page", "section", "story", "proposed_by", "approved_by"
    ).prefetch_related("assignees")
    return get_object_or_404(queryset, pk=pk)


class AssignmentEditView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/assignments/form.html"
    page_title = gettext_lazy("Edit assignment")
    header_icon = "clipboard-list"

    def dispatch(self, request, pk):
        self.assignment = _get(request, pk)
        if not service.can_manage(request.user, self.assignment):
            return _denied(request, PermissionDenied(_("Only the managing editor, the editor-in-chief or the section head can edit this assignment.")))
        if not self.assignment.is_open:
            messages.error(request, _("This assignment is closed and can no longer change."))
            return redirect(service.detail_url(self.assignment))
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.assignment.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("workflows_assignments:index"), "label": _("Assignments")},
            {"url": service.detail_url(self.assignment), "label": self.assignment.title},
            {"url": "", "label": _("Edit")},
        ]

    def _form(self, data=None):
        initial = model_to_dict(self.assignment, fields=AssignmentForm.Meta.fields)
        return AssignmentForm(data, initial=initial, units=[self.assignment.unit])

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, pk):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                service.update(self.assignment, request.user, **form.cleaned_data)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Assignment “%(title)s” updated.") % {"title": self.assignment.title})
                return redirect(service.detail_url(self.assignment))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submit_label"] = _("Save")
        context["cancel_url"] = service.detail_url(self.assignment)
        return context


edit = AssignmentEditView.as_view()


# --- detail and actions -----------------------------------------------------------


class AssignmentDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/assignments/detail.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, pk):
        self.assignment = _get(request, pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return self.assignment.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("workflows_assignments:index"), "label": _("Assignments")},
            {"url": "", "label": self.assignment.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.assignment
        actions = service.allowed_actions(self.request.user, assignment)
        story = assignment.story
        context.update(
            assignment=assignment,
            actions=actions,
            overdue=assignment.is_overdue(),
            assignees=list(assignment.assignees.all()),
            comments=assignment.comments.select_related("author"),
            history=log_registry.get_logs_for_instance(assignment).select_related("user").order_by("-timestamp", "-pk")[:30],
            story=story,
            story_task=story.current_workflow_task if story is not None and story.workflow_in_progress else None,
            can_edit_story=story is not None and story.permissions_for_user(self.request.user).can_edit(),
        )
        if "assign" in actions:
            staff = service.assignable_staff(assignment.unit, assignment.section)
            context["assign_form"] = AssignForm(staff, initial={"assignees": [u.pk for u in context["assignees"]]})
        return context


detail = AssignmentDetailView.as_view()


class AssignForm(forms.Form):
    def __init__(self, staff, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"] = StaffChoiceField(queryset=staff, widget=forms.CheckboxSelectMultiple, label=_("Assignees"))


def _act(request, pk, operation, success):
    assignment = _get(request, pk)
    try:
        result = operation(assignment)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)
        return result
    return redirect(service.detail_url(assignment))


def _back(assignment):
    return redirect(service.detail_url(assignment))


@require_POST
def approve(request, pk):
    return _act(request, pk, lambda a: _back(service.approve(a, request.user)), _("Assignment approved."))


@require_POST
def assign(request, pk):
    def operation(assignment):
        # The choices are the unit's staff only; anything else is refused by the service.
        people = list(get_user_model().objects.filter(pk__in=[v for v in request.POST.getlist("assignees") if v.isdigit()]))
        if len(people) != len(set(request.POST.getlist("assignees"))):
            raise ValidationError(_("Some of the chosen people do not exist."))
        return _back(service.assign(assignment, request.user, people))

    return _act(request, pk, operation, _("Assignees saved."))


@require_POST
def cancel(request, pk):
    return _act(request, pk, lambda a: _back(service.cancel(a, request.user, request.POST.get("reason", ""))), _("Assignment cancelled."))


@require_POST
def start_writing(request, pk):
    def operation(assignment):
        story = service.start_writing(assignment, request.user)
        return redirect("wagtailadmin_pages:edit", story.pk)

    return _act(request, pk, operation, None)


@require_POST
def comment(request, pk):
    def operation(assignment):
        service.add_comment(assignment, request.user, request.POST.get("body", ""))
        return redirect(service.detail_url(assignment) + "#comments")

    return _act(request, pk, operation, _("Comment added."))


urlpatterns = [
    path("", index, name="index"),
    path("results/", index_results, name="index_results"),
    path("new/", create, name="create"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/assign/", assign, name="assign"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("<int:pk>/start/", start_writing, name="start"),
    path("<int:pk>/comment/", comment, name="comment"),
]
