"""The board scenario's Django side (``python -m bench.inside board-seed``
and ``board-queries``): the board unit, seeded in bulk like seed_bench's
articles (valid treebeard paths, no search or reference index) with the
workflow states, task states, revisions, bylines, assignments and locks the
board reads, or brought forward in time when it exists; and the board's
query count per request."""

import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, F, Max
from django.db.models.functions import Cast
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState, WorkflowState

from assets.text import ascii_slug
from newsroom.models import ArticleAuthor, ArticlePage, Author, Unit
from workflows.desk.board import build_board
from workflows.desk.scope import unit_sections, unit_stories
from workflows.desk.stages import LOCAL_TZ
from workflows.models import Assignment, AssignmentStatus, Role
from workflows.roles import unit_group

from ..board import BOARD_HOST, BOARD_UNIT, STAFF_USERNAME
from .seed import AUTHOR_NAMES, TITLE_PREDICATES, TITLE_SUBJECTS, _insert_rows
from .seed import Command as SeedBench


def seed_board(stories):
    """Create (or bring forward in time) the board unit with ``stories``
    stories; returns what the runner needs: section ids, the editor's
    session cookie and how many stories sit in each stage."""

    started = time.perf_counter()
    unit = Unit.objects.select_related("site__root_page").filter(slug=BOARD_UNIT).first()
    if unit is None:
        with transaction.atomic():
            unit = _BoardSeeder(stories).run()
        action = "seeded"
    else:
        with transaction.atomic():
            _bring_forward(unit)
        action = "brought forward"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    sections = [section.pk for section in unit_sections(unit)]
    user = _editor(unit)
    return {
        "action": action,
        "seconds": round(time.perf_counter() - started, 1),
        "unit": unit.slug,
        "sections": sections,
        "cookie": _session_cookie(user),
        "stages": _stage_counts(unit, user),
    }


def _editor(unit):

    user, _created = get_user_model().objects.get_or_create(
        username=STAFF_USERNAME, defaults={"first_name": "Thư ký", "last_name": "Thử tải"}
    )
    user.groups.add(unit_group(unit, Role.MANAGING_EDITOR))
    return user


def _session_cookie(user):

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _stage_counts(unit, user):

    built = build_board(unit, user, limit=1)
    return {column.key: column.count for column in built.columns}


class _BoardSeeder:
    """Bulk-inserts the stories and everything the board shows about them."""

    # Share of stories per stage; the rest were published on earlier days.
    SHARES = [("draft", 0.30), ("review", 0.12), ("sent_back", 0.03), ("scheduled", 0.02), ("today", 0.03)]

    def __init__(self, stories):

        self.total = stories
        self.rng = random.Random(2026)

    def run(self):

        seeder = SeedBench()
        unit, home = seeder.create_unit(BOARD_UNIT, "Báo Thử Tải Bảng Biên Tập", BOARD_HOST, default=False)
        self.sections = seeder.create_sections(home, 8)
        self.unit = unit
        self.now = timezone.now()
        self.page_ct = ContentType.objects.get_for_model(Page)
        self.article_ct = ContentType.objects.get_for_model(ArticlePage)
        self.task_state_ct = ContentType.objects.get_for_model(TaskState)
        self.staff = self.create_staff(unit)
        self.workflow = home.get_workflow()
        self.tasks = list(self.workflow.tasks)
        self.insert_stories()
        return unit

    def create_staff(self, unit):

        group = unit_group(unit, Role.REPORTER)
        people = []
        for number, name in enumerate(AUTHOR_NAMES):
            user = get_user_model().objects.create(username=f"bench-board-reporter-{number}", first_name=name)
            user.groups.add(group)
            author = Author.objects.filter(user=user).first() or Author.objects.create(name=f"{name} ({number})", user=user)
            people.append((user, author))
        return people

    def stage(self):
        roll = self.rng.random()
        for name, share in self.SHARES:
            if roll < share:
                return name
            roll -= share
        return "earlier"

    def insert_stories(self):

        rng = self.rng
        next_step = {section.pk: 1 for section in self.sections}
        child_fields = ArticlePage._meta.local_concrete_fields
        today = self.now.astimezone(_local_tz()).replace(hour=0, minute=0, second=0, microsecond=0)
        since_midnight = max(60, int((self.now - today).total_seconds()))
        number = 0
        while number < self.total:
            batch = []
            for _ in range(min(1000, self.total - number)):
                number += 1
                section = self.sections[rng.randrange(len(self.sections))]
                step = next_step[section.pk]
                next_step[section.pk] += 1
                stage = self.stage()
                title = f"{rng.choice(TITLE_SUBJECTS)} {rng.choice(TITLE_PREDICATES)}"
                slug = f"{ascii_slug(title, 200)}-{number}"
                owner, author = self.staff[rng.randrange(len(self.staff))]
                revised = self.now - timedelta(minutes=rng.randrange(60 * 24 * 30))
                live = stage in ("today", "earlier")
                if stage == "today":
                    published = self.now - timedelta(seconds=rng.randrange(since_midnight))
                elif stage == "earlier":
                    published = today - timedelta(minutes=rng.randrange(1, 60 * 24 * 365))
                else:
                    published = None
                page = Page(
                    path=Page._get_path(section.path, section.depth + 1, step),
                    depth=section.depth + 1, numchild=0, title=title, draft_title=title, slug=slug,
                    url_path=f"{section.url_path}{slug}/", content_type=self.article_ct, locale_id=section.locale_id,
                    live=live, has_unpublished_changes=not live, first_published_at=published, last_published_at=published,
                    latest_revision_created_at=published or revised, owner=owner,
                )  # fmt: skip
                # A few stories are open in someone's editor.
                if rng.random() < 0.02:
                    page.locked, page.locked_by, page.locked_at = True, owner, self.now
                fields = {
                    "sapo": "Bài thử tải của bảng biên tập.",
                    "body": [],
                    "format": rng.choice(["standard"] * 8 + ["video", "photo", "longform", "podcast"]),
                    "language": "vi",
                    "embargo_until": self.now + timedelta(hours=rng.randrange(1, 48)) if rng.random() < 0.01 else None,
                }
                batch.append((page, fields, stage, author))
            pages = Page.objects.bulk_create([page for page, *_ in batch])
            _insert_rows(ArticlePage, [ArticlePage(page_ptr_id=page.pk, **fields) for page, (_p, fields, *_r) in zip(pages, batch, strict=True)],
                         child_fields, connection.alias)  # fmt: skip
            self.link(pages, batch)
        for section in self.sections:
            Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + next_step[section.pk] - 1)

    def link(self, pages, batch):
        """Bylines, assignments and the workflow rows of one batch."""

        rng = self.rng
        bylines, assignments, revisions = [], [], []
        for page, (_page, _fields, stage, author) in zip(pages, batch, strict=True):
            bylines.append(ArticleAuthor(article_id=page.pk, author=author, sort_order=0))
            if rng.random() < 0.2:
                assignments.append(
                    Assignment(
                        unit_id=self.unit.pk, title=page.title[:255], story_id=page.pk, status=AssignmentStatus.IN_PROGRESS,
                        deadline=self.now + timedelta(hours=rng.randrange(-24, 72)),
                    )
                )  # fmt: skip
            if stage in ("review", "sent_back", "scheduled"):
                revisions.append(
                    Revision(
                        content_type=self.article_ct, base_content_type=self.page_ct, object_id=str(page.pk),
                        created_at=page.latest_revision_created_at, user=page.owner, object_str=page.title,
                        content={"pk": page.pk, "title": page.title},
                        approved_go_live_at=self.now + timedelta(minutes=rng.randrange(10, 60 * 48)) if stage == "scheduled" else None,
                    )
                )  # fmt: skip
        ArticleAuthor.objects.bulk_create(bylines)
        made = Assignment.objects.bulk_create(assignments)
        through = Assignment.assignees.through
        through.objects.bulk_create(
            [through(assignment_id=a.pk, user_id=self.staff[rng.randrange(len(self.staff))][0].pk) for a in made]
        )
        revisions = Revision.objects.bulk_create(revisions)
        stage_of = {page.pk: stage for page, (_p, _f, stage, _a) in zip(pages, batch, strict=True)}
        reviewing = [r for r in revisions if stage_of[int(r.object_id)] in ("review", "sent_back")]
        states = WorkflowState.objects.bulk_create(
            [
                WorkflowState(
                    content_type=self.article_ct, base_content_type=self.page_ct, object_id=r.object_id, workflow=self.workflow,
                    status=WorkflowState.STATUS_IN_PROGRESS if stage_of[int(r.object_id)] == "review" else WorkflowState.STATUS_NEEDS_CHANGES,
                    requested_by=r.user,
                )
                for r in reviewing
            ]
        )  # fmt: skip
        task_states = TaskState.objects.bulk_create(
            [
                TaskState(
                    workflow_state=state, revision=r, task=self.tasks[rng.randrange(len(self.tasks))],
                    content_type=self.task_state_ct,
                    status=TaskState.STATUS_IN_PROGRESS if state.status == WorkflowState.STATUS_IN_PROGRESS else TaskState.STATUS_REJECTED,
                    finished_at=None if state.status == WorkflowState.STATUS_IN_PROGRESS else r.created_at,
                )
                for state, r in zip(states, reviewing, strict=True)
            ]
        )  # fmt: skip
        for state, task_state in zip(states, task_states, strict=True):
            state.current_task_state = task_state
        WorkflowState.objects.bulk_update(states, ["current_task_state"])
        # started_at is auto_now_add: spread the stage ages over a day in a
        # few buckets.
        for bucket in range(12):
            ids = [ts.pk for index, ts in enumerate(task_states) if index % 12 == bucket]
            TaskState.objects.filter(pk__in=ids).update(started_at=self.now - timedelta(hours=2 * bucket, minutes=7 * bucket))


def _local_tz():

    return LOCAL_TZ


def _bring_forward(unit):
    """Shift every time of the board unit's rows by the time since the last
    seeding or shift, so the stages stay what they were."""

    stories = unit_stories(unit, [unit.site.root_page.path])
    latest = Page.objects.filter(pk__in=stories.values("pk")).aggregate(at=Max("latest_revision_created_at"))["at"]
    if latest is None:
        return
    delta = timezone.now() - latest
    ids = stories.values("pk")
    text_ids = stories.annotate(text_id=Cast("pk", CharField())).values("text_id")
    Page.objects.filter(pk__in=ids).update(
        latest_revision_created_at=F("latest_revision_created_at") + delta,
        first_published_at=F("first_published_at") + delta,
        last_published_at=F("last_published_at") + delta,
    )
    ArticlePage.objects.filter(pk__in=ids, embargo_until__isnull=False).update(embargo_until=F("embargo_until") + delta)
    Revision.objects.filter(object_id__in=text_ids).update(
        created_at=F("created_at") + delta, approved_go_live_at=F("approved_go_live_at") + delta
    )
    states = WorkflowState.objects.filter(object_id__in=text_ids)
    TaskState.objects.filter(workflow_state__in=states).update(
        started_at=F("started_at") + delta, finished_at=F("finished_at") + delta
    )
    Assignment.objects.filter(unit=unit).update(deadline=F("deadline") + delta)


def count_queries(paths):
    """SQL queries and in-process time per board request, as the seeded
    managing editor (the first request warms the process)."""

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=STAFF_USERNAME))
    if client.get(paths[0]).status_code != 200:
        raise SystemExit(f"{paths[0]} did not answer 200")
    counts, seconds = [], []
    for path in paths:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered HTTP {response.status_code}")
        counts.append(len(captured))
    return {
        "requests": len(counts),
        "min": min(counts),
        "max": max(counts),
        "in_process_ms_median": round(statistics.median(seconds) * 1000, 1),
    }
