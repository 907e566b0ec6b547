"""Admin hooks: the desk board and the daily plan (URLs and menu items,
shown only to the roles that may open them)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..desk.scope import BOARD_ROLES, PLAN_ROLES
from ..menu import RoleMenuItem
from ..views.board import BoardView
from ..views.plan import PlanView


@hooks.register("register_admin_urls")
def register_board_urls():
    board, plan = BoardView.as_view(), PlanView.as_view()
    return [
        path("workflows/board/", board, name="workflows_board"),
        path("workflows/board/<slug:unit_slug>/", board, name="workflows_board"),
        path("workflows/plan/", plan, name="workflows_plan"),
        path("workflows/plan/<slug:unit_slug>/", plan, name="workflows_plan"),
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
