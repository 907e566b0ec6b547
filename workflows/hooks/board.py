"""Admin hooks: the desk board, its home page screen and the daily plan
(URLs and menu items, shown only to the roles that may open them)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..desk.scope import BOARD_ROLES, PLAN_ROLES
from ..menu import RoleMenuItem
from ..views import board as board_views
from ..views import home_page as home_page_views
from ..views import plan as plan_views


@hooks.register("register_admin_urls")
def register_board_urls():
    return [
        path("workflows/board/", include(board_views.urlpatterns)),
        path("workflows/board/", include(home_page_views.urlpatterns)),
        path("workflows/plan/", include(plan_views.urlpatterns)),
    ]


@hooks.register("register_admin_menu_item")
def board_menu_item():
    return RoleMenuItem(
        _("Desk board"), reverse("workflows_board"), name="desk-board", icon_name="tasks", order=150, roles=BOARD_ROLES
    )


@hooks.register("register_admin_menu_item")
def plan_menu_item():
    return RoleMenuItem(
        _("Daily plan"), reverse("workflows_plan"), name="daily-plan", icon_name="calendar-check", order=151, roles=PLAN_ROLES
    )
