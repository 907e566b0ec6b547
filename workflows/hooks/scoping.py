"""Admin hooks: per-unit scoping. Staff of one unit never see, choose,
edit or publish another unit's pages, wherever the admin lists pages.

Page permissions are granted on each unit's home page, so Wagtail's own
permission filtering already keeps the explorer, the page search, the
admin API and most reports to the user's units; the hooks here cover what
Wagtail does not filter by permission (the page chooser, report filter
choices, the page types report) and the unit's own pages (home, sections),
which only the unit's senior editors may change."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

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
