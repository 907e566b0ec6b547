"""Where a person lands after signing in: what their role works on that
day. The managing editor (thư ký tòa soạn) on the desk board; the other
editors on their queue (the board's column of the step they review); a
reporter on the dashboard (their stories, their assignments and "Viết bài
mới"). Apps above this one add theirs with ``register_landing`` (the
distribution editor's publishing dashboard)."""

from dataclasses import dataclass

from django.urls import reverse

from .membership import membership, units_for
from .models import Role, UnitApprovalTask


@dataclass(frozen=True)
class Landing:
    rank: int  # the lowest rank a person holds wins
    roles: frozenset
    url_for: object  # (user, unit) -> an admin address, or None to try the next


_landings = []


def register_landing(rank, roles, url_for):
    _landings.append(Landing(rank, frozenset(roles), url_for))
    _landings.sort(key=lambda landing: landing.rank)


def landing_url(user):
    """The admin page ``user`` starts the day on; the dashboard when none of
    their roles has one (reporters, unit and system administrators)."""
    if not membership(user).superuser:
        for landing in _landings:
            for unit in units_for(user, landing.roles):
                url = landing.url_for(user, unit)
                if url:
                    return url
    return reverse("wagtailadmin_home")


def board_url(user, unit):
    return reverse("workflows_board", args=[unit.slug])


def review_queue_url(user, unit):
    """The board's column of the first step of the unit's workflow the
    person reviews at."""
    step = (
        UnitApprovalTask.objects.filter(
            active=True, groups__user=user, workflow_tasks__workflow__workflow_pages__page=unit.site.root_page_id
        )
        .order_by("workflow_tasks__sort_order")
        .values_list("pk", flat=True)
        .first()
    )
    return None if step is None else f"{board_url(user, unit)}?column=task-{step}"


REVIEWERS = (Role.DESK_EDITOR, Role.SECTION_HEAD, Role.DEPUTY_EDITOR, Role.EDITOR_IN_CHIEF)


def register():
    register_landing(10, [Role.MANAGING_EDITOR], board_url)
    register_landing(20, REVIEWERS, review_queue_url)
