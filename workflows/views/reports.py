"""Wagtail's reports of locked pages, workflows, workflow steps and page
types, scoped to the user's units: Wagtail lists every unit's pages and
people in their filters and counts. Served at Wagtail's own addresses
(the project's URLconf matches ``urlpatterns`` before Wagtail's admin)."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportFilterSet, PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page, Task, Workflow, WorkflowState
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..membership import membership
from ..permissions import visible_pages_q


def _visible_page_text_ids(user):
    # Workflow states store object ids as text.
    return Page.objects.filter(visible_pages_q(user)).annotate(text_id=Cast("pk", CharField())).values("text_id")


def _visible_workflows(user):
    workflows = Workflow.objects.order_by("name")
    if membership(user).superuser:
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
        if not membership(user).superuser:
            self.filters["workflow"].queryset = _visible_workflows(user)
            self.filters["requested_by"].queryset = _requesters(user)


class ScopedWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not membership(user).superuser:
            workflows = _visible_workflows(user)
            self.filters["workflow"].queryset = workflows
            self.filters["task"].queryset = Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct()


class ScopedLockedPagesReportFilterSet(LockedPagesReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not membership(user).superuser:
            User = get_user_model()
            lockers = Page.objects.filter(visible_pages_q(user), locked_by__isnull=False).values("locked_by")
            self.filters["locked_by"].queryset = User.objects.filter(pk__in=lockers).order_by(User.USERNAME_FIELD)


class ScopedPageTypesUsageReportFilterSet(PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counts are limited to the user's units, so other sites are no choice.
        if not membership(self.request.user).superuser and "site" in self.filters:
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
        if membership(user).superuser:
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
urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        _report_paths("locked", ScopedLockedPagesView, "scoped_locked_pages")
        + _report_paths("workflow", ScopedWorkflowView, "scoped_workflow")
        + _report_paths("workflow_tasks", ScopedWorkflowTasksView, "scoped_workflow_tasks")
        + _report_paths("page-types-usage", ScopedPageTypesUsageView, "scoped_page_types_usage"),
        require_admin_access,
    ),
    never_cache,
)
