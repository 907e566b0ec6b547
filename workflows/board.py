"""The desk board and the daily plan (kế hoạch xuất bản): which stories sit
at which stage of a unit's workflow, and what the unit plans for a day.

Both are read in a fixed number of queries whatever the number of stories.
The board is one pass over the unit's stories: each story's stage is
decided in SQL (sub-queries on Wagtail's workflow states and scheduled
revisions), window functions count every stage and rank its stories, and
only the few cards shown are then read whole, with their bylines and
deadlines, once for all columns. Stories published before today and
untouched since (most of a unit) are dropped first by a cheap test.

A unit's stories are selected by a range on the tree path rather than
``path LIKE 'prefix%'``: SQLite's case-insensitive LIKE and PostgreSQL's
LIKE under a non-C collation cannot use the path index, a range can.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, Task, WorkflowState, WorkflowTask

from newsroom.models import ArticleAuthor, ArticlePage, SectionPage

from .models import Assignment, AssignmentPriority, AssignmentStatus, Role
from .permissions import membership, user_units

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
CARD_LIMIT = 30
COLUMN_PAGE_SIZE = 50
# Who opens the board, and who reads the daily plan (distribution sees only
# what is approved, scheduled or published).
BOARD_ROLES = {Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
PLAN_ROLES = BOARD_ROLES | {Role.DISTRIBUTION}
RELEASE_ONLY_ROLES = {Role.DISTRIBUTION}

IN_PROGRESS = WorkflowState.STATUS_IN_PROGRESS
NEEDS_CHANGES = WorkflowState.STATUS_NEEDS_CHANGES
APPROVED = WorkflowState.STATUS_APPROVED


# --- who sees what ----------------------------------------------------------
def units_for(user, roles):
    """The units where ``user`` holds one of ``roles`` (every unit for a
    superuser), in name order."""
    m = membership(user)
    if m.superuser:
        return list(user_units(user))
    # The membership already holds the units: no query here (the admin menu
    # asks on every page).
    return sorted((unit for pk, unit in m.units.items() if m.roles[pk] & roles), key=lambda unit: unit.name)


def scope_paths(user, unit, roles):
    """Tree paths under which ``user`` sees the unit's stories: the whole
    unit for unit-wide roles, only their sections for section heads."""
    home_path = unit.site.root_page.path
    m = membership(user)
    if m.superuser:
        return [home_path]
    paths = [path for role, path in m.scopes if role in roles and path.startswith(home_path)]
    return [home_path] if home_path in paths else sorted(set(paths))


def release_only(user, unit):
    """Distribution staff without an editorial role in the unit see only
    approved, scheduled and published items."""
    m = membership(user)
    if m.superuser:
        return False
    roles = m.roles.get(unit.pk, set())
    return bool(roles & RELEASE_ONLY_ROLES) and not roles & BOARD_ROLES


def _under(path, levels):
    """Pages ``levels`` below ``path``, as an index-friendly range."""
    return Q(path__gt=path, path__lte=path + "Z" * (Page.steplen * levels))


def _stories_q(unit, paths):
    home = unit.site.root_page
    depth = home.depth + 2
    q = Q(pk__in=[])
    for path in paths:
        q |= _under(path, depth - len(path) // Page.steplen)
    return q & Q(depth=depth)


def unit_stories(unit, paths):
    return ArticlePage.objects.filter(_stories_q(unit, paths))


def unit_story_pages(unit, paths):
    """The same stories as plain pages: counting and ranking them needs no
    join to the article table (twice as fast at 20,000 stories)."""
    return Page.objects.filter(_stories_q(unit, paths), content_type=ContentType.objects.get_for_model(ArticlePage))


def unit_sections(unit, paths=None):
    """The unit's sections in tree order, limited to ``paths`` when given."""
    home = unit.site.root_page
    sections = SectionPage.objects.filter(_under(home.path, 1), depth=home.depth + 1).order_by("path")
    sections = sections.only("id", "title", "path", "depth", "slug", "url_path")
    if paths and home.path not in paths:
        sections = sections.filter(path__in=paths)
    return list(sections)


def unit_people(unit):
    """Staff of the unit (members of any of its groups)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__unit_role__unit=unit)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- stage sub-queries ------------------------------------------------------
def _page_ct():
    # ContentType's manager caches this: no query after the first.
    return ContentType.objects.get_for_model(Page)


def _states(**filters):
    return WorkflowState.objects.filter(base_content_type=_page_ct(), **filters)


def _page_ids(queryset):
    """Page ids of workflow states or revisions (object ids are text)."""
    return queryset.annotate(page_id=Cast("object_id", IntegerField())).values("page_id")


def _scheduled_revisions():
    return Revision.objects.filter(base_content_type=_page_ct(), approved_go_live_at__isnull=False)


def _for_story(queryset):
    return queryset.filter(object_id=Cast(OuterRef("pk"), CharField()))


def _go_live():
    return Subquery(_for_story(_scheduled_revisions()).order_by("-created_at").values("approved_go_live_at")[:1])


def clean_task_name(name, unit):
    """Default steps are named "… (unit code)" to be unique across units;
    the board is always about one unit."""
    suffix = f" ({unit.slug})"
    return name[: -len(suffix)] if name.endswith(suffix) else name


# --- the board ----------------------------------------------------------------
@dataclass
class BoardFilters:
    section: SectionPage = None
    assignee: object = None
    format: str = ""

    def apply(self, stories):
        if self.section is not None:
            stories = stories.filter(_under(self.section.path, 1))
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
class Card:
    story: ArticlePage
    title: str
    edit_url: str
    section: str
    authors: list
    since: datetime
    age: str
    format_label: str
    is_standard_format: bool
    go_live_at: datetime = None
    deadline: datetime = None
    overdue: bool = False
    embargo_until: datetime = None
    locked_by: str = ""
    locked: bool = False


@dataclass
class Board:
    unit: object
    columns: list
    sections: list
    total: int = 0


CARD_FIELDS = (
    "id", "title", "draft_title", "path", "depth", "live", "format", "embargo_until", "content_type",
    "latest_revision_created_at", "last_published_at", "first_published_at", "locked", "locked_at",
    "owner", "owner__first_name", "owner__last_name", "owner__username",
    "locked_by", "locked_by__first_name", "locked_by__last_name", "locked_by__username",
)  # fmt: skip


def cards_queryset(queryset):
    return queryset.select_related("owner", "locked_by").only(*CARD_FIELDS)


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
        self.in_progress = _page_ids(_states(status=IN_PROGRESS))
        self.sent_back = _page_ids(_states(status=NEEDS_CHANGES))
        self.scheduled = _page_ids(_scheduled_revisions())
        self.approved_unpublished = Q(live=False, first_published_at__isnull=True, pk__in=_page_ids(_states(status=APPROVED)))
        self.today = timezone.localtime(now, LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        self.published_today = Q(live=True, last_published_at__gte=self.today)
        self.waiting_since = Subquery(_for_story(_states(status=IN_PROGRESS)).values("current_task_state__started_at")[:1])
        self.sent_back_since = Subquery(
            _for_story(_states(status=NEEDS_CHANGES)).values("current_task_state__finished_at")[:1]
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
        task = Subquery(_for_story(_states(status=IN_PROGRESS)).values("current_task_state__task_id")[:1])
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
        return Case(When(pk__in=self.scheduled, then=_go_live()), default=None)


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
        waiting = stories.filter(pk__in=_page_ids(_states(status=IN_PROGRESS, current_task_state__task_id=task.pk)))
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
            .annotate(stage_since=st.revised, go_live=_go_live())
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
    board = Board(unit=unit, columns=columns, sections=sections)
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


def card_decorator(sections, stories, now, ids=None):
    """A function turning a story of ``stories`` into a Card: bylines,
    section and deadline loaded here for all of them at once (``ids``: a
    sub-query selecting them, lighter than a long list of ids)."""
    ids = [story.pk for story in stories] if ids is None else ids
    bylines = {}
    for link in ArticleAuthor.objects.filter(article_id__in=ids).select_related("author").order_by("sort_order", "pk"):
        bylines.setdefault(link.article_id, []).append(link.author.name)
    deadlines = {}
    due = Assignment.objects.filter(story_id__in=ids, deadline__isnull=False).exclude(status=AssignmentStatus.CANCELLED)
    for assignment in due.only("id", "story_id", "deadline", "status").order_by("deadline"):
        deadlines.setdefault(assignment.story_id, assignment)
    by_path = {section.path: section for section in sections}
    # One reverse() for all cards: a day's plan can hold a thousand.
    edit_url = reverse("wagtailadmin_pages:edit", args=[0]).replace("/0/", "/{}/")

    def decorate(story):
        assignment = deadlines.get(story.pk)
        section = by_path.get(story.path[: -Page.steplen])
        since = getattr(story, "stage_since", None)
        owner = story.owner
        return Card(
            story=story,
            title=story.draft_title or story.title,
            edit_url=edit_url.format(story.pk),
            section=section.title if section else "",
            authors=bylines.get(story.pk) or ([owner.get_full_name() or owner.get_username()] if owner else []),
            since=since,
            age=timesince(since, now, depth=1) if since else "",
            format_label=story.get_format_display(),
            is_standard_format=story.format == "standard",
            go_live_at=getattr(story, "go_live", None),
            deadline=assignment.deadline if assignment else None,
            overdue=bool(assignment and assignment.is_overdue(now)),
            embargo_until=story.embargo_until if story.is_embargoed(now) else None,
            locked=story.locked,
            locked_by=(story.locked_by.get_full_name() or story.locked_by.get_username()) if story.locked_by else "",
        )

    return decorate


# --- the daily plan -----------------------------------------------------------
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
    active = _for_story(_states(status__in=[IN_PROGRESS, NEEDS_CHANGES]))
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
            | Q(pk__in=_page_ids(_scheduled_revisions().filter(approved_go_live_at__gte=start, approved_go_live_at__lt=end)))
            | Q(live=True, first_published_at__gte=start, first_published_at__lt=end)
        )
    )
    stories = list(_with_workflow(cards_queryset(planned)).annotate(go_live=_go_live()))
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
