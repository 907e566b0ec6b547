"""What the board and the plan compute in SQL about a unit's stories:
their workflow states and scheduled revisions as sub-queries, and the cards
that show them, read in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.timesince import timesince
from wagtail.models import Page, Revision, WorkflowState

from newsroom.models import ArticleAuthor, ArticlePage

from ..models import Assignment, AssignmentStatus

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)

IN_PROGRESS = WorkflowState.STATUS_IN_PROGRESS
NEEDS_CHANGES = WorkflowState.STATUS_NEEDS_CHANGES
APPROVED = WorkflowState.STATUS_APPROVED


def page_content_type():
    # ContentType's manager caches this: no query after the first.
    return ContentType.objects.get_for_model(Page)


def workflow_states(**filters):
    return WorkflowState.objects.filter(base_content_type=page_content_type(), **filters)


def page_ids(queryset):
    """Page ids of workflow states or revisions (object ids are text)."""
    return queryset.annotate(page_id=Cast("object_id", IntegerField())).values("page_id")


def scheduled_revisions():
    return Revision.objects.filter(base_content_type=page_content_type(), approved_go_live_at__isnull=False)


def for_story(queryset):
    return queryset.filter(object_id=Cast(OuterRef("pk"), CharField()))


def go_live_subquery():
    return Subquery(for_story(scheduled_revisions()).order_by("-created_at").values("approved_go_live_at")[:1])


def clean_task_name(name, unit):
    """Default steps are named "… (unit code)" to be unique across units;
    the board is always about one unit."""
    suffix = f" ({unit.slug})"
    return name[: -len(suffix)] if name.endswith(suffix) else name


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


CARD_FIELDS = (
    "id", "title", "draft_title", "path", "depth", "live", "format", "embargo_until", "content_type",
    "latest_revision_created_at", "last_published_at", "first_published_at", "locked", "locked_at",
    "owner", "owner__first_name", "owner__last_name", "owner__username",
    "locked_by", "locked_by__first_name", "locked_by__last_name", "locked_by__username",
)  # fmt: skip


def cards_queryset(queryset):
    return queryset.select_related("owner", "locked_by").only(*CARD_FIELDS)


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
