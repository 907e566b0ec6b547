"""The desk board: which stories sit at which stage of a unit's workflow.

Read in a fixed number of queries whatever the number of stories: one pass
over the unit's stories decides each one's stage in SQL (sub-queries on
Wagtail's workflow states and scheduled revisions), window functions count
every stage and rank its stories, and only the few cards shown are then
read whole, with their bylines and deadlines, once for all columns. Stories
published before today and untouched since (most of a unit) are dropped
first by a cheap test."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Subquery, Value, When, Window
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Task, WorkflowTask

from newsroom.models import ArticleAuthor, ArticlePage, HomePlacement, SectionPage
from newsroom.models.pages import tree_range

from ..models import Assignment
from .scope import (
    BOARD_ROLES,
    scope_paths,
    unit_sections,
    unit_stories,
    unit_story_pages,
)
from .stages import (
    APPROVED,
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

CARD_LIMIT = 30
COLUMN_PAGE_SIZE = 50


@dataclass
class BoardFilters:
    section: SectionPage = None
    assignee: object = None
    format: str = ""

    def apply(self, stories):
        if self.section is not None:
            stories = stories.filter(tree_range(self.section.path, 1))
        if self.format:
            # A sub-query, so the filter applies to plain pages too.
            stories = stories.filter(pk__in=ArticlePage.objects.filter(format=self.format).values("pk"))
        if self.assignee is not None:
            uid = self.assignee.pk
            stories = stories.filter(
                Q(owner_id=uid)
                | Q(pk__in=ArticleAuthor.objects.filter(author__user_id=uid).values("article_id"))
                | Q(pk__in=Assignment.objects.filter(assignees=uid, story__isnull=False).values("story_id"))
            )
        return stories


@dataclass
class Column:
    key: str
    title: str
    empty_text: str
    queryset: object
    kind: str
    count: int = 0
    cards: list = field(default_factory=list)

    @property
    def has_more(self):
        return self.count > len(self.cards)


@dataclass
class Board:
    unit: object
    columns: list
    sections: list
    total: int = 0
    placed: int = 0  # stories placed on the unit's home page now


def unit_tasks(unit, extra_ids=()):
    """The steps of the workflows that apply to the unit's pages (the
    nearest one at or above the home, then each section's), then the steps
    of ``extra_ids`` (where stories still wait after their workflow changed)."""
    home = unit.site.root_page
    ancestors = [home.path[: Page.steplen * n] for n in range(1, home.depth + 1)]
    links = (
        WorkflowTask.objects.filter(
            Q(workflow__workflow_pages__page__path__in=ancestors)
            | Q(workflow__workflow_pages__page__path__startswith=home.path),
            workflow__active=True,
            task__active=True,
        )
        .annotate(page_depth=F("workflow__workflow_pages__page__depth"))
        .select_related("task")
        .order_by("page_depth", "workflow__workflow_pages__page__path", "sort_order")
    )
    links = list(links)
    # A workflow on the home hides the one on the tree root (Wagtail's own
    # default), as it does for the pages themselves.
    nearest = max((link.page_depth for link in links if link.page_depth <= home.depth), default=None)
    tasks, seen = [], set()
    for link in links:
        if link.page_depth < (nearest or 0) or link.task_id in seen:
            continue
        seen.add(link.task_id)
        tasks.append(link.task)
    missing = set(extra_ids) - seen
    if missing:
        tasks += list(Task.objects.filter(pk__in=missing).order_by("name"))
    return tasks


class _Stages:
    """The SQL that tells a story's stage, shared by the column querysets
    and the one-pass board query."""

    def __init__(self, now):
        self.in_progress = page_ids(workflow_states(status=IN_PROGRESS))
        self.sent_back = page_ids(workflow_states(status=NEEDS_CHANGES))
        self.scheduled = page_ids(scheduled_revisions())
        self.approved_unpublished = Q(live=False, first_published_at__isnull=True, pk__in=page_ids(workflow_states(status=APPROVED)))
        self.today = timezone.localtime(now, LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        self.published_today = Q(live=True, last_published_at__gte=self.today)
        self.waiting_since = Subquery(for_story(workflow_states(status=IN_PROGRESS)).values("current_task_state__started_at")[:1])
        self.sent_back_since = Subquery(
            for_story(workflow_states(status=NEEDS_CHANGES)).values("current_task_state__finished_at")[:1]
        )
        self.revised = Coalesce("latest_revision_created_at", "last_published_at", "first_published_at")
        # Most of a unit's stories were published before today and left
        # alone since: off the board, and cheap to tell (saving a revision
        # of a live story, as submitting or scheduling does, marks it as
        # having unpublished changes). Dropping them first spares the stage
        # computation and the ranking most rows.
        self.settled = (
            Q(live=True, has_unpublished_changes=False, last_published_at__lt=self.today)
            & ~Q(pk__in=self.in_progress)
            & ~Q(pk__in=self.sent_back)
        )

    def key(self):
        """The column key of each story ("" for stories published before
        today and not back in the workflow: they are off the board)."""
        task = Subquery(for_story(workflow_states(status=IN_PROGRESS)).values("current_task_state__task_id")[:1])
        return Case(
            When(pk__in=self.in_progress, then=Concat(Value("task-"), Cast(task, CharField()))),
            When(pk__in=self.sent_back, then=Value("sent-back")),
            When(Q(pk__in=self.scheduled) | self.approved_unpublished, then=Value("scheduled")),
            When(self.published_today, then=Value("published")),
            When(live=False, then=Value("drafts")),
            default=Value(""),
            output_field=CharField(),
        )

    def since(self):
        return Case(
            When(pk__in=self.in_progress, then=self.waiting_since),
            When(pk__in=self.sent_back, then=self.sent_back_since),
            When(self.published_today, then=F("last_published_at")),
            default=self.revised,
        )

    def go_live(self):
        return Case(When(pk__in=self.scheduled, then=go_live_subquery()), default=None)


def board_columns(unit, stories, tasks, now):
    """The board's columns, in workflow order, each with the queryset of its
    stories (ordered, ``stage_since`` annotated): the "more" view pages
    through one; ``build_board`` fills them all in one query."""
    st = _Stages(now)
    outside_workflow = stories.exclude(pk__in=st.in_progress).exclude(pk__in=st.sent_back)

    columns = [
        Column(
            "drafts", _("Drafts"), _("No drafts"),
            outside_workflow.filter(live=False).exclude(pk__in=st.scheduled).exclude(st.approved_unpublished)
            .annotate(stage_since=st.revised).order_by(F("stage_since").desc(nulls_last=True), "-pk"),
            "draft",
        )
    ]  # fmt: skip
    for task in tasks:
        waiting = stories.filter(pk__in=page_ids(workflow_states(status=IN_PROGRESS, current_task_state__task_id=task.pk)))
        columns.append(
            Column(
                f"task-{task.pk}", clean_task_name(task.name, unit), _("No stories in review at this step"),
                waiting.annotate(stage_since=st.waiting_since).order_by(F("stage_since").desc(nulls_last=True), "-pk"),
                "task",
            )
        )  # fmt: skip
    columns += [
        Column(
            "sent-back", _("Sent back"), _("No stories sent back"),
            stories.filter(pk__in=st.sent_back).annotate(stage_since=st.sent_back_since)
            .order_by(F("stage_since").desc(nulls_last=True), "-pk"),
            "sent_back",
        ),
        Column(
            "scheduled", _("Approved / scheduled"), _("No stories approved or scheduled"),
            outside_workflow.filter(Q(pk__in=st.scheduled) | st.approved_unpublished)
            .annotate(stage_since=st.revised, go_live=go_live_subquery())
            .order_by(F("go_live").asc(nulls_last=True), "-pk"),
            "scheduled",
        ),
        Column(
            "published", _("Published today"), _("Nothing published today yet"),
            outside_workflow.filter(st.published_today).exclude(pk__in=st.scheduled)
            .annotate(stage_since=F("last_published_at")).order_by("-last_published_at", "-pk"),
            "published",
        ),
    ]  # fmt: skip
    return columns


def build_board(unit, user, filters=None, limit=CARD_LIMIT, now=None, only_column=None):
    """The board of ``unit`` as ``user`` sees it. With ``only_column``, the
    columns are built but not filled (the "more" view paginates that one)."""
    now = now or timezone.now()
    paths = scope_paths(user, unit, BOARD_ROLES)
    sections = unit_sections(unit, paths)
    filters = filters or BoardFilters()
    stories = filters.apply(unit_stories(unit, paths))
    if only_column is not None:
        extra = [int(only_column[5:])] if only_column.startswith("task-") and only_column[5:].isdigit() else []
        return Board(unit=unit, columns=board_columns(unit, stories, unit_tasks(unit, extra), now), sections=sections)

    found = board_cards(filters.apply(unit_story_pages(unit, paths)), limit, now)
    waiting = [int(key[5:]) for key in found if key.startswith("task-")]
    columns = board_columns(unit, stories, unit_tasks(unit, waiting), now)
    decorate = card_decorator(sections, [story for count, shown in found.values() for story in shown], now)
    placed = HomePlacement.objects.current(now).filter(home_id=unit.site.root_page_id).count()
    board = Board(unit=unit, columns=columns, sections=sections, placed=placed)
    for column in columns:
        column.count, shown = found.get(column.key, (0, []))
        column.cards = [decorate(story) for story in shown]
        board.total += column.count
    return board


def board_cards(stories, limit, now):
    """{column key: (count, the ``limit`` first stories)} for every column.

    One pass over the unit's stories computes each one's stage in SQL, and
    window functions count each stage and rank its stories; the ranking
    sorts narrow rows (id, stage, times), and the few stories shown are then
    read whole in a second query."""
    stages = _Stages(now)
    ranked = (
        stories.exclude(stages.settled)
        .annotate(stage=stages.key(), stage_since=stages.since(), go_live=stages.go_live())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("go_live").asc(nulls_last=True), F("stage_since").desc(nulls_last=True), F("pk").desc()],
            ),
            stage_count=Window(Count("pk"), partition_by=[F("stage")]),
        )
        .filter(rank__lte=limit)
        .values_list("pk", "stage", "stage_count", "stage_since", "go_live")
        .order_by()
    )
    rows = [row for row in ranked if row[1]]
    pages = cards_queryset(ArticlePage.objects.filter(pk__in=[row[0] for row in rows])).in_bulk()
    found = {}
    for pk, stage, count, since, go_live in sorted(rows, key=_rank_order):
        story = pages[pk]
        story.stage_since, story.go_live = since, go_live
        found.setdefault(stage, (count, []))[1].append(story)
    return found


def _rank_order(row):
    """The window's order again, in Python (``rank`` is not selected)."""
    _pk, stage, _count, since, go_live = row
    return (stage, go_live is None, go_live or 0, since is None, -(since.timestamp() if since else 0), -row[0])


def column_page(board, key):
    """The column ``key`` of a board built with ``only_column``, or None."""
    return next((column for column in board.columns if column.key == key), None)
