"""The unit administrator's tools: the unit's staff (accounts and role
groups) and the unit's workflows (steps, and a section's own workflow).
Everything is scoped to one unit: groups, people, steps and workflows of
another unit can never be chosen, whatever is posted."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowPage

from newsroom.models import SectionPage

from .. import accounts, two_factor
from .. import roles as unit_roles
from ..membership import membership, resolve_unit
from ..models import ChecklistTask, NamedReviewerTask, Role, UnitApprovalTask
from ..permissions import WORKFLOW_VIEW_ROLES
from .units import ChooseUnitView

User = get_user_model()
STAFF_ROLES = {Role.UNIT_ADMIN}


def _unit(request, slug, roles):
    return resolve_unit(request, slug, roles)[0]


def _data(request):
    # An empty POST (every role unticked) is still a submitted form.
    return request.POST if request.method == "POST" else None


def _can_change_workflows(user, unit):
    return membership(user).has_role(unit, Role.UNIT_ADMIN)


# --- staff -------------------------------------------------------------------


def role_label(group):
    link = getattr(group, "unit_role", None)
    if link is None:
        return group.name  # a group set up centrally, outside any unit
    label = link.get_role_display()
    return f"{label}: {link.section.title}" if link.section_id else label


class RolesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, group):
        return role_label(group)


class StaffForm(forms.ModelForm):
    """One person's account and roles in the unit. For people the unit does
    not manage alone (see ``only_in_unit``) only the roles are shown."""

    ACCOUNT_FIELDS = ["username", "last_name", "first_name", "email", "phone", "is_active", "new_password", "confirm_password"]

    new_password = forms.CharField(label=gettext_lazy("New password"), widget=forms.PasswordInput, required=False, strip=False)
    confirm_password = forms.CharField(
        label=gettext_lazy("New password again"), widget=forms.PasswordInput, required=False, strip=False
    )
    roles = RolesField(label=gettext_lazy("Roles in the unit"), queryset=Group.objects.none(), required=False)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "phone", "is_active"]

    def __init__(self, *args, unit, account_editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_editable = account_editable
        self.fields["roles"].queryset = unit_roles.unit_groups(unit)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.filter(unit_role__unit=unit))
            self.fields["username"].disabled = True
            self.fields["new_password"].help_text = _("Leave empty to keep the current password.")
        else:
            self.fields["roles"].required = True
            self.fields["new_password"].required = True
            self.fields["confirm_password"].required = True
        if account_editable:
            self.fields["email"].required = True
        else:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        password = data.get("new_password")
        if password:
            if password != data.get("confirm_password"):
                self.add_error("confirm_password", _("The two passwords differ."))
            else:
                try:
                    password_validation.validate_password(password, self.instance)
                except forms.ValidationError as error:
                    self.add_error("new_password", error)
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("new_password"):
            self.instance.set_password(self.cleaned_data["new_password"])
            # The administrator knows it: the person chooses their own at sign-in.
            self.instance.must_change_password = True
        return super().save(commit)


class StaffUnitsView(ChooseUnitView):
    page_title = gettext_lazy("Staff of the unit")
    roles = STAFF_ROLES
    url_name = "workflows_unit_admin:staff"
    help_text = gettext_lazy("Choose the unit to manage.")


class AccountReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note of the review"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What was checked or changed: roles removed, accounts disabled..."),
    )


def staff(request, unit_slug):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    review_form = AccountReviewForm(_data(request))
    if request.method == "POST" and review_form.is_valid():
        accounts.record_review(unit, request.user, review_form.cleaned_data["note"])
        messages.success(request, _("The review of the unit's accounts has been recorded."))
        return redirect("workflows_unit_admin:staff", unit_slug=unit.slug)
    people = accounts.accounts_for_review(unit).prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(unit_role__unit=unit).select_related("unit_role__section"), to_attr="unit_groups")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(email__icontains=query)
        )
    page = Paginator(people.order_by("last_name", "first_name", "username"), 50).get_page(request.GET.get("p"))
    for person in page.object_list:
        person.role_labels = [role_label(group) for group in person.unit_groups]
    review = accounts.last_review(unit)
    due = accounts.review_due(review)
    return TemplateResponse(
        request,
        "workflows/unit_admin/staff_list.html",
        {
            "page_title": _("Staff of the unit"),
            "page_subtitle": unit.name,
            "header_icon": "group",
            "unit": unit,
            "people": page,
            "query": query,
            "last_review": review,
            "review_due": due,
            "review_overdue": due <= timezone.now(),
            "review_form": review_form,
            "inactive_days": settings.ACCOUNT_INACTIVE_DAYS,
        },
    )


def staff_add(request, unit_slug):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    form = StaffForm(_data(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        log(instance=person, action="wagtail.create", user=request.user, data={"unit": unit.slug})
        unit_roles.set_unit_roles(person, unit, form.cleaned_data["roles"], request.user)
        messages.success(request, _("%(name)s has joined %(unit)s.") % {"name": person, "unit": unit.name})
        return redirect("workflows_unit_admin:staff", unit_slug=unit.slug)
    return _staff_form(request, unit, form, _("Add a person"))


def staff_edit(request, unit_slug, user_id):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    person = unit_roles.unit_staff(unit).filter(pk=user_id).first()
    if person is None:
        raise Http404(_("No such person in this unit."))
    editable = unit_roles.only_in_unit(person, unit)
    form = StaffForm(_data(request), instance=person, unit=unit, account_editable=editable)
    if request.method == "POST" and form.is_valid():
        if editable:
            form.save()
            log(instance=person, action="wagtail.edit", user=request.user, data={"unit": unit.slug})
        unit_roles.set_unit_roles(person, unit, form.cleaned_data["roles"], request.user)
        if form.cleaned_data["roles"]:
            messages.success(request, _("%(name)s has been saved.") % {"name": person})
        else:
            messages.success(request, _("%(name)s no longer works for %(unit)s.") % {"name": person, "unit": unit.name})
        return redirect("workflows_unit_admin:staff", unit_slug=unit.slug)
    return _staff_form(
        request,
        unit,
        form,
        str(person),
        person=person,
        can_reset_second_factor=two_factor.can_reset(request.user, person, unit, editable),
        has_second_factor=two_factor.has_second_factor(person),
    )


@require_POST
def staff_reset_second_factor(request, unit_slug, user_id):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    person = unit_roles.unit_staff(unit).filter(pk=user_id).first()
    if person is None:
        raise Http404(_("No such person in this unit."))
    if not two_factor.can_reset(request.user, person, unit, unit_roles.only_in_unit(person, unit)):
        raise PermissionDenied
    two_factor.reset_second_factor(person, request.user, unit)
    messages.success(request, _("%(name)s's second factor has been removed: they will set up a new one at their next sign-in.") % {"name": person})
    return redirect("workflows_unit_admin:staff_edit", unit_slug=unit.slug, user_id=person.pk)


def _staff_form(request, unit, form, title, person=None, **context):
    return TemplateResponse(
        request,
        "workflows/unit_admin/staff_form.html",
        {"page_title": title, "page_subtitle": unit.name, "header_icon": "user", "unit": unit, "form": form, "person": person, **context},
    )


# --- workflows ---------------------------------------------------------------

STEP_KINDS = {
    "group": (UnitApprovalTask, ["name", "groups"], gettext_lazy("Approval by groups of the unit")),
    "checklist": (ChecklistTask, ["name", "groups", "items"], gettext_lazy("Checklist")),
    "named": (NamedReviewerTask, ["name", "reviewer"], gettext_lazy("Named reviewer")),
}


def _kind_of(task):
    """The step's kind; None for task types the unit's tools do not manage."""
    return next((kind for kind, (model, _f, _l) in STEP_KINDS.items() if type(task) is model), None)


class StepForm(forms.ModelForm):
    """A step's settings; its approvers are chosen among the unit's groups
    and people only."""

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"] = RolesField(label=_("Approved by"), queryset=unit_roles.unit_groups(unit))
        if "reviewer" in self.fields:
            self.fields["reviewer"].queryset = unit_roles.unit_staff(unit).filter(is_active=True).order_by("last_name", "first_name")


def step_form_class(kind):
    model, fields, _label = STEP_KINDS[kind]
    return forms.modelform_factory(model, form=StepForm, fields=fields)


def _describe(steps):
    """Steps with what the templates show: kind, approvers, stories waiting."""
    in_progress = TaskState.objects.filter(task__in=[s.pk for s in steps], status=TaskState.STATUS_IN_PROGRESS)
    waiting = dict(in_progress.values_list("task_id").annotate(count=Count("pk")))
    for step in steps:
        step.kind = _kind_of(step)
        step.kind_label = STEP_KINDS[step.kind][2] if step.kind else type(step)._meta.verbose_name
        if hasattr(step, "groups"):
            step.approvers = [role_label(g) for g in step.groups.select_related("unit_role__section")]
        else:
            step.approvers = [str(step.reviewer)] if getattr(step, "reviewer_id", None) else []
        step.waiting = waiting.get(step.pk, 0)
    return steps


def _steps(workflow):
    return _describe(list(workflow.tasks.specific()))


class WorkflowUnitsView(ChooseUnitView):
    page_title = gettext_lazy("Workflows of the unit")
    roles = WORKFLOW_VIEW_ROLES
    url_name = "workflows_unit_admin:workflows"
    help_text = gettext_lazy("Choose the unit to manage.")


def workflows(request, unit_slug):
    unit = _unit(request, unit_slug, WORKFLOW_VIEW_ROLES)
    home = unit.site.root_page
    default = unit_roles.page_workflow(home)
    sections = list(SectionPage.objects.child_of(home).order_by("path"))
    lanes = {link.page_id: link.workflow for link in WorkflowPage.objects.filter(page__in=sections).select_related("workflow")}
    sections = [
        {"section": section, "workflow": lanes.get(section.pk), "steps": _steps(lanes[section.pk]) if section.pk in lanes else None}
        for section in sections
    ]
    return TemplateResponse(
        request,
        "workflows/unit_admin/workflows.html",
        {
            "page_title": _("Workflows of the unit"),
            "page_subtitle": unit.name,
            "header_icon": "tasks",
            "unit": unit,
            "default_workflow": default,
            "default_steps": _steps(default) if default else [],
            "sections": sections,
            "can_change": _can_change_workflows(request.user, unit),
        },
    )


def _changeable_workflow(request, unit_slug, workflow_id):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    return unit, unit_roles.unit_workflow_or_403(unit, workflow_id)


def workflow_edit(request, unit_slug, workflow_id):
    unit, workflow = _changeable_workflow(request, unit_slug, workflow_id)
    return TemplateResponse(
        request,
        "workflows/unit_admin/workflow_edit.html",
        {
            "page_title": workflow.name,
            "page_subtitle": unit.name,
            "header_icon": "tasks",
            "unit": unit,
            "workflow": workflow,
            "steps": _steps(workflow),
            "kinds": [(kind, label) for kind, (_m, _f, label) in STEP_KINDS.items()],
        },
    )


def step_add(request, unit_slug, workflow_id, kind):
    unit, workflow = _changeable_workflow(request, unit_slug, workflow_id)
    if kind not in STEP_KINDS:
        raise Http404
    return _step_form(request, unit, workflow, kind, None)


def step_edit(request, unit_slug, workflow_id, task_id):
    unit, workflow = _changeable_workflow(request, unit_slug, workflow_id)
    task = unit_roles.step_of(unit, workflow, task_id)
    kind = _kind_of(task)
    if kind is None:
        raise PermissionDenied  # a task type set up centrally, in Wagtail's workflow admin
    return _step_form(request, unit, workflow, kind, task)


def _step_form(request, unit, workflow, kind, task):
    form = step_form_class(kind)(_data(request), instance=task, unit=unit)
    if request.method == "POST" and form.is_valid():
        step = form.save(commit=False)
        unit_roles.save_step(unit, workflow, step, request.user, groups=form.cleaned_data.get("groups"))
        messages.success(request, _("Step \"%(name)s\" saved.") % {"name": step.name})
        return redirect("workflows_unit_admin:workflow_edit", unit_slug=unit.slug, workflow_id=workflow.pk)
    return TemplateResponse(
        request,
        "workflows/unit_admin/step_form.html",
        {
            "page_title": task.name if task else _("New step: %(kind)s") % {"kind": STEP_KINDS[kind][2]},
            "page_subtitle": workflow.name,
            "header_icon": "thumbtack",
            "unit": unit,
            "workflow": workflow,
            "form": form,
        },
    )


@require_POST
def step_remove(request, unit_slug, workflow_id, task_id):
    unit, workflow = _changeable_workflow(request, unit_slug, workflow_id)
    task = unit_roles.step_of(unit, workflow, task_id)
    try:
        unit_roles.remove_step(unit, workflow, task, request.user)
    except unit_roles.StepInUse as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Step \"%(name)s\" removed.") % {"name": task.name})
    return redirect("workflows_unit_admin:workflow_edit", unit_slug=unit.slug, workflow_id=workflow.pk)


@require_POST
def step_move(request, unit_slug, workflow_id, task_id):
    unit, workflow = _changeable_workflow(request, unit_slug, workflow_id)
    task = unit_roles.step_of(unit, workflow, task_id)
    unit_roles.move_step(workflow, task, -1 if request.POST.get("direction") == "up" else 1)
    return redirect("workflows_unit_admin:workflow_edit", unit_slug=unit.slug, workflow_id=workflow.pk)


@require_POST
def section_workflow(request, unit_slug, section_id):
    unit = _unit(request, unit_slug, STAFF_ROLES)
    section = SectionPage.objects.child_of(unit.site.root_page).filter(pk=section_id).first()
    if section is None:
        raise PermissionDenied
    if request.POST.get("mode") == "own":
        workflow = unit_roles.give_section_own_workflow(unit, section, request.user)
        messages.success(request, _("%(section)s now has its own workflow.") % {"section": section.title})
        return redirect("workflows_unit_admin:workflow_edit", unit_slug=unit.slug, workflow_id=workflow.pk)
    unit_roles.use_unit_workflow(unit, section, request.user)
    messages.success(request, _("%(section)s now follows the unit's workflow.") % {"section": section.title})
    return redirect("workflows_unit_admin:workflows", unit_slug=unit.slug)


urlpatterns = [
    path("staff/", StaffUnitsView.as_view(), name="staff_units"),
    path("<slug:unit_slug>/staff/", staff, name="staff"),
    path("<slug:unit_slug>/staff/add/", staff_add, name="staff_add"),
    path("<slug:unit_slug>/staff/<int:user_id>/", staff_edit, name="staff_edit"),
    path("<slug:unit_slug>/staff/<int:user_id>/second-factor/reset/", staff_reset_second_factor, name="staff_reset_second_factor"),
    path("workflows/", WorkflowUnitsView.as_view(), name="workflow_units"),
    path("<slug:unit_slug>/workflows/", workflows, name="workflows"),
    path("<slug:unit_slug>/workflows/<int:workflow_id>/", workflow_edit, name="workflow_edit"),
    path("<slug:unit_slug>/workflows/<int:workflow_id>/steps/add/<slug:kind>/", step_add, name="step_add"),
    path("<slug:unit_slug>/workflows/<int:workflow_id>/steps/<int:task_id>/", step_edit, name="step_edit"),
    path("<slug:unit_slug>/workflows/<int:workflow_id>/steps/<int:task_id>/remove/", step_remove, name="step_remove"),
    path("<slug:unit_slug>/workflows/<int:workflow_id>/steps/<int:task_id>/move/", step_move, name="step_move"),
    path("<slug:unit_slug>/sections/<int:section_id>/workflow/", section_workflow, name="section_workflow"),
]
