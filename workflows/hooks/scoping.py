"""Admin hooks: per-unit scoping. Staff of one unit never see, choose,
edit or publish another unit's pages, wherever the admin lists pages.

Page permissions are granted on each unit's home page, so Wagtail's own
permission filtering already keeps the explorer, the page search, the
admin API and most reports to the user's units; the hooks here cover what
Wagtail does not filter by permission (the page chooser, report filter
choices, the page types report) and the unit's own pages (home, sections),
which only the unit's senior editors may change."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.locked_pages import (
    LockedPagesReportFilterSet,
    LockedPagesView,
)
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportFilterSet,
    PageTypesUsageReportView,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page, Task, Workflow, WorkflowState
from wagtail.utils.urlpatterns import decorate_urlpatterns

from newsroom.models import HomePage, SectionPage

from ..membership import membership
from ..menu import RoleMenuItem
from ..models import Role
from ..permissions import WORKFLOW_VIEW_ROLES, UnitPagePermissionTester, visible_pages_q
from ..views import unit_admin


def _sees_everything(user):
    return membership(user).superuser

# --- page listings ---------------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    # Wagtail's chooser browses the whole tree whatever the user's
    # permissions (a link may point anywhere): keep it to the user's units.
    if _sees_everything(request.user):
        return pages
    return pages.filter(visible_pages_q(request.user))


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    # Also runs for the explorer menu's admin API listing.
    if _sees_everything(request.user):
        return pages
    return pages.filter(visible_pages_q(request.user))

# --- the unit's own pages (home page, sections) ---------------------------


def _unit_page_tester(request, page):

    if isinstance(page.specific_deferred, (HomePage, SectionPage)):
        return UnitPagePermissionTester(request.user, page)
    return None


@hooks.register("before_create_page")
def guard_adding_sections(request, parent_page, page_class):
    tester = _unit_page_tester(request, parent_page)
    if tester is not None and not tester.can_add_subpage():
        raise PermissionDenied


@hooks.register("before_edit_page")
def guard_editing_unit_pages(request, page):
    tester = _unit_page_tester(request, page)
    if tester is not None and not tester.can_edit():
        raise PermissionDenied


@hooks.register("before_delete_page")
def guard_deleting_unit_pages(request, page):
    tester = _unit_page_tester(request, page)
    if tester is not None and not tester.can_delete():
        raise PermissionDenied


@hooks.register("before_move_page")
def guard_moving_unit_pages(request, page, destination):
    tester = _unit_page_tester(request, page)
    if tester is not None and not tester.can_move():
        raise PermissionDenied

# --- reports -----------------------------------------------------------------


def _visible_page_text_ids(user):
    # Workflow states store object ids as text.
    return Page.objects.filter(visible_pages_q(user)).annotate(text_id=Cast("pk", CharField())).values("text_id")


def _visible_workflows(user):
    workflows = Workflow.objects.order_by("name")
    if _sees_everything(user):
        return workflows
    return workflows.filter(visible_pages_q(user, prefix="workflow_pages__page__")).distinct()


def _requesters(user):
    User = get_user_model()
    states = WorkflowState.objects.filter(object_id__in=_visible_page_text_ids(user))
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


class ScopedWorkflowReportFilterSet(WorkflowReportFilterSet):
    """Filter choices name only the user's units' workflows and people."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not _sees_everything(user):
            self.filters["workflow"].queryset = _visible_workflows(user)
            self.filters["requested_by"].queryset = _requesters(user)


class ScopedWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not _sees_everything(user):
            workflows = _visible_workflows(user)
            self.filters["workflow"].queryset = workflows
            self.filters["task"].queryset = Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct()


class ScopedLockedPagesReportFilterSet(LockedPagesReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not _sees_everything(user):
            User = get_user_model()
            lockers = Page.objects.filter(visible_pages_q(user), locked_by__isnull=False).values("locked_by")
            self.filters["locked_by"].queryset = User.objects.filter(pk__in=lockers).order_by(User.USERNAME_FIELD)


class ScopedPageTypesUsageReportFilterSet(PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counts are limited to the user's units, so other sites are no choice.
        if not _sees_everything(self.request.user) and "site" in self.filters:
            self.sites_filter_enabled = False
            del self.filters["site"]


class ScopedWorkflowView(WorkflowView):
    filterset_class = ScopedWorkflowReportFilterSet


class ScopedWorkflowTasksView(WorkflowTasksView):
    filterset_class = ScopedWorkflowTasksReportFilterSet


class ScopedLockedPagesView(LockedPagesView):
    filterset_class = ScopedLockedPagesReportFilterSet


class ScopedPageTypesUsageView(PageTypesUsageReportView):
    """Counts and "last edited" pages of the user's units only."""

    filterset_class = ScopedPageTypesUsageReportFilterSet

    def get_queryset(self):
        user = self.request.user
        if _sees_everything(user):
            return super().get_queryset()
        self.queryset = ContentType.objects.filter(model__in=self.page_models)
        queryset = self.filter_queryset(self.queryset)
        last_edited = (
            Page.objects.filter(visible_pages_q(user), content_type=OuterRef("pk"))
            .order_by("-latest_revision_created_at", "title", "-pk")
            .values("pk")[:1]
        )
        return queryset.annotate(
            count=Count("pages", filter=visible_pages_q(user, prefix="pages__")),
            last_edited_page_id=Subquery(last_edited),
        ).order_by("-count", "app_label", "model")


def _report_paths(prefix, view, name):
    return [
        path(f"{prefix}/", view.as_view(), name=name),
        path(f"{prefix}/results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]

# Served in place of Wagtail's reports of the same addresses: they must come
# before Wagtail's admin URLs in the project's URLconf, which
# ``register_admin_urls`` cannot do (hook URLs come after Wagtail's).
report_urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        _report_paths("locked", ScopedLockedPagesView, "scoped_locked_pages")
        + _report_paths("workflow", ScopedWorkflowView, "scoped_workflow")
        + _report_paths("workflow_tasks", ScopedWorkflowTasksView, "scoped_workflow_tasks")
        + _report_paths("page-types-usage", ScopedPageTypesUsageView, "scoped_page_types_usage"),
        require_admin_access,
    ),
    never_cache,
)


# --- unit administration ---------------------------------------------------


@hooks.register("register_admin_urls")
def register_unit_admin_urls():
    return [path("unit/", include((unit_admin.urlpatterns, "workflows_unit_admin"), namespace="workflows_unit_admin"))]


@hooks.register("register_settings_menu_item")
def register_staff_menu_item():
    return RoleMenuItem(
        _("Staff of the unit"),
        reverse("workflows_unit_admin:staff_units"),
        name="unit-staff",
        icon_name="group",
        order=590,
        roles={Role.UNIT_ADMIN},
    )


@hooks.register("register_settings_menu_item")
def register_unit_workflows_menu_item():
    return RoleMenuItem(
        _("Workflows of the unit"),
        reverse("workflows_unit_admin:workflow_units"),
        name="unit-workflows",
        icon_name="tasks",
        order=591,
        roles=WORKFLOW_VIEW_ROLES,
    )
