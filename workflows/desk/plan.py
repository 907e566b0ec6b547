"""The daily plan (kế hoạch xuất bản): a unit's assignments and stories of
one day, by section, read in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assignment, AssignmentPriority, AssignmentStatus
from .scope import PLAN_ROLES, release_only, scope_paths, unit_sections, unit_stories
from .stages import (
    IN_PROGRESS,
    LOCAL_TZ,
    NEEDS_CHANGES,
    card_decorator,
    cards_queryset,
    clean_task_name,
    for_story,
    go_live_subquery,
    page_ids,
    scheduled_revisions,
    workflow_states,
)


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), LOCAL_TZ).date()


def day_bounds(day):
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


@dataclass
class PlanRow:
    kind: str  # "assignment" or "story"
    title: str
    url: str
    state: str
    state_kind: str  # for the badge colour: draft, review, sent_back, scheduled, published, planned, cancelled
    at: datetime
    at_label: str
    people: list
    priority: str = ""
    struck: bool = False


@dataclass
class PlanSection:
    title: str
    rows: list


@dataclass
class Plan:
    unit: object
    day: object
    sections: list
    release_only: bool
    count: int = 0


def _with_workflow(stories):
    """Annotate the status and current step of each story's active
    workflow (at most one per story: Wagtail enforces it)."""
    active = for_story(workflow_states(status__in=[IN_PROGRESS, NEEDS_CHANGES]))
    return stories.annotate(
        workflow_status=Subquery(active.values("status")[:1]),
        workflow_step=Subquery(active.values("current_task_state__task__name")[:1]),
    )


def story_stages(unit, stories):
    """{story pk: (label, kind)} for ``stories`` annotated by
    ``_with_workflow`` (scheduled and live are read off the story)."""
    # Translated once, not once per story.
    in_review, sent_back, scheduled = _("In review: %(step)s"), (_("Sent back"), "sent_back"), (_("Scheduled"), "scheduled")
    published, draft = (_("Published"), "published"), (_("Draft"), "draft")
    stages = {}
    for story in stories:
        if story.workflow_status == IN_PROGRESS and story.workflow_step:
            step = clean_task_name(story.workflow_step, unit)
            stages[story.pk] = (in_review % {"step": step}, "review")
        elif story.workflow_status:
            stages[story.pk] = sent_back
        elif getattr(story, "go_live", None):
            stages[story.pk] = scheduled
        elif story.live:
            stages[story.pk] = published
        else:
            stages[story.pk] = draft
    return stages


def build_plan(unit, user, day, now=None):
    now = now or timezone.now()
    start, end = day_bounds(day)
    paths = scope_paths(user, unit, PLAN_ROLES)
    released = release_only(user, unit)
    sections = unit_sections(unit, paths)
    home = unit.site.root_page

    assignments = Assignment.objects.filter(unit=unit).filter(
        Q(deadline__gte=start, deadline__lt=end) | Q(planned_publish_at__gte=start, planned_publish_at__lt=end)
    )
    if home.path not in paths:
        assignments = assignments.filter(section__in=[section.pk for section in sections])
    assignment_rows = assignments
    assignments = list(
        assignments.select_related("section").prefetch_related("assignees").order_by("deadline", "-priority", "pk")
    )
    linked = {a.story_id for a in assignments if a.story_id}
    planned = (
        unit_stories(unit, paths)
        .filter(
            Q(pk__in=assignment_rows.filter(story__isnull=False).values("story_id"))
            | Q(pk__in=page_ids(scheduled_revisions().filter(approved_go_live_at__gte=start, approved_go_live_at__lt=end)))
            | Q(live=True, first_published_at__gte=start, first_published_at__lt=end)
        )
    )
    stories = list(_with_workflow(cards_queryset(planned)).annotate(go_live=go_live_subquery()))
    by_id = {story.pk: story for story in stories}
    stages = story_stages(unit, stories)
    decorate = card_decorator(sections, stories, now, ids=planned.values("pk"))
    cards = {story.pk: decorate(story) for story in stories}
    groups = {}
    statuses = {value: str(label) for value, label in AssignmentStatus.choices}
    priorities = {value: str(label) for value, label in AssignmentPriority.choices}
    times = {
        "planned": _("Planned publication"), "deadline": _("Deadline"), "go_live": _("Go-live"), "published": _("Published"),
    }  # fmt: skip

    def add(section_key, row):
        groups.setdefault(section_key, []).append(row)

    for assignment in assignments:
        story = by_id.get(assignment.story_id)
        card = cards.get(assignment.story_id)
        if story is not None:
            label, kind = stages[story.pk]
        elif assignment.status == AssignmentStatus.CANCELLED:
            label, kind = statuses[assignment.status], "cancelled"
        else:
            label, kind = statuses[assignment.status], "planned"
        if released and kind not in ("scheduled", "published"):
            continue
        in_day = assignment.planned_publish_at and start <= assignment.planned_publish_at < end
        at = assignment.planned_publish_at if in_day else assignment.deadline
        people = [person.get_full_name() or person.get_username() for person in assignment.assignees.all()]
        add(
            assignment.section.title if assignment.section else (card.section if card else ""),
            PlanRow(
                kind="assignment",
                title=assignment.title,
                url=card.edit_url if card else "",
                state=label if story is None else f"{statuses[assignment.status]} · {label}",
                state_kind=kind,
                at=at,
                at_label=times["planned"] if in_day else times["deadline"],
                people=people or (card.authors if card else []),
                priority=priorities.get(assignment.priority, "") if assignment.priority > AssignmentPriority.NORMAL else "",
                struck=assignment.status == AssignmentStatus.CANCELLED,
            ),
        )
    for story in stories:
        if story.pk in linked:
            continue
        label, kind = stages[story.pk]
        if released and kind not in ("scheduled", "published"):
            continue
        card = cards[story.pk]
        scheduled_today = story.go_live and start <= story.go_live < end
        add(
            card.section,
            PlanRow(
                kind="story",
                title=card.title,
                url=card.edit_url,
                state=label,
                state_kind=kind,
                at=story.go_live if scheduled_today else story.first_published_at,
                at_label=times["go_live"] if scheduled_today else times["published"],
                people=card.authors,
            ),
        )
    order = [section.title for section in sections]
    result = []
    for title in sorted(groups, key=lambda t: (t == "", order.index(t) if t in order else len(order), t)):
        rows = sorted(groups[title], key=lambda row: (row.at is None, row.at or now))
        result.append(PlanSection(title=title or _("No section"), rows=rows))
    return Plan(unit=unit, day=day, sections=result, release_only=released, count=sum(len(s.rows) for s in result))
