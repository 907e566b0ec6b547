"""What readers and moderators do with comments: the operations the public
views and the moderation screen call. Every comment waits for a moderator;
what a reader may send, and how often, is decided here."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from audit.recorder import client_address
from newsroom.cache import invalidate
from newsroom.models import ArticlePage
from newsroom.models.pages import readable
from workflows.membership import membership
from workflows.permissions import REVIEW_ROLES, STRUCTURE_ROLES

from .models import CommentPolicy, CommentState, ReaderComment, StoppedReader

# Who moderates a story's comments: its reviewers (a section head, their
# section's); who opens and closes a unit's comments: its senior editors.
MODERATORS = REVIEW_ROLES
SWITCHERS = STRUCTURE_ROLES
NAME_LENGTH = (2, 60)
TEXT_LENGTH = (2, 1500)
LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|vn|xyz|info|top|io)\b", re.IGNORECASE)
# Control characters a form may carry that no comment needs (tab and
# newline stay).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


class Refused(Exception):
    """Why a reader's comment was not taken: ``message`` for the reader,
    ``status`` for the answer (429 for too many)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Thread:
    comments: list
    count: int


def reader_key(request):
    """The reader's address as a keyed hash: the same reader, the same key;
    the address itself cannot be read back."""
    address = client_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown"
    return salted_hmac("hoitu.reader_comments.reader", address, algorithm="sha256").hexdigest()


def is_open(unit):
    return CommentPolicy.objects.filter(unit=unit, open=True).exists()


def approved(story):
    """The approved comments readers see on ``story``, newest first."""
    return ReaderComment.objects.filter(story=story, state=CommentState.APPROVED).order_by("-posted_at", "-pk")


def thread(story, limit):
    """The newest ``limit`` approved comments on ``story`` and how many
    there are (counted only when there are more)."""
    comments = list(approved(story)[:limit])
    return Thread(comments, len(comments) if len(comments) < limit else approved(story).count())


def commentable_story(story_id, unit):
    """The story readers may comment on at ``story_id`` on ``unit``'s site
    (live, public, past any embargo, of the unit), or None."""
    story = readable(ArticlePage.objects.filter(pk=story_id)).first()
    return story if story is not None and story.path.startswith(unit.site.root_page.path) else None


def clean_text(value, limits):
    value = CONTROL.sub("", value or "").replace("\r\n", "\n").strip()
    value = re.sub(r"\n{3,}", "\n\n", value)
    low, high = limits
    return value if low <= len(value) <= high else None


def _flag(text):
    if len(LINK.findall(text)) >= 2:
        return "links"
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) > 0.7 * len(letters):
        return "shouting"
    return ""


def post(story, unit, name, text, key):
    """Takes a reader's comment on ``story`` for the moderators (Refused:
    comments closed, too many too soon, the same comment again). A stopped
    reader's comment is kept, refused, out of the queue: the reader is not
    told, so they do not just come back from another address."""
    now = timezone.now()
    with transaction.atomic():
        # One comment of a unit at a time: the counts below stay true.
        if not CommentPolicy.objects.select_for_update().filter(unit=unit, open=True).exists():
            raise Refused(_("Comments are closed on this site."), status=403)
        mine = ReaderComment.objects.filter(unit=unit, reader_key=key)
        if mine.filter(story=story, text=text, posted_at__gte=now - timedelta(days=1)).exists():
            raise Refused(_("You have already sent this comment; it is waiting for the editors."), status=409)
        if mine.filter(posted_at__gte=now - timedelta(minutes=10)).count() >= settings.READER_COMMENTS_PER_10_MINUTES:
            raise Refused(_("You have sent several comments in a few minutes. Please wait a little and send it again."), status=429)
        if mine.filter(posted_at__gte=now - timedelta(days=1)).count() >= settings.READER_COMMENTS_PER_DAY:
            raise Refused(_("You have sent as many comments as a reader may in a day. Please come back tomorrow."), status=429)
        stopped = StoppedReader.objects.filter(unit=unit, reader_key=key, until__gt=now).exists()
        return ReaderComment.objects.create(
            unit=unit,
            story=story,
            name=name,
            text=text,
            reader_key=key,
            posted_at=now,
            state=CommentState.REJECTED if stopped else CommentState.PENDING,
            flag="stopped" if stopped else _flag(text),
            moderated_at=now if stopped else None,
        )


# --- moderation -------------------------------------------------------------


def moderated_q(user):
    """A filter on comments keeping those ``user`` moderates: of the
    stories in the units (a section head: the section) where they review."""
    m = membership(user)
    if m.superuser:
        return Q()
    q = Q(pk__in=[])
    for role, scope in m.scopes:
        if role in MODERATORS:
            q |= Q(story__path__startswith=scope)
    return q


def may_switch(user, unit):
    return membership(user).has_role(unit, *SWITCHERS)


def queue(user, unit, state=CommentState.PENDING, story=None):
    """The comments of ``unit`` that ``user`` moderates, in ``state``:
    oldest first while waiting (first come, first read; the flagged last),
    newest first once decided."""
    comments = ReaderComment.objects.filter(moderated_q(user), unit=unit, state=state).select_related("story", "moderated_by")
    if story is not None:
        comments = comments.filter(story=story)
    if state == CommentState.PENDING:
        flagged = ExpressionWrapper(~Q(flag=""), output_field=BooleanField())
        return comments.annotate(flagged=flagged).order_by("flagged", "posted_at", "pk")
    return comments.order_by("-moderated_at", "-pk")


def waiting_counts(user, unit):
    """How many comments wait, per story, for ``user`` in ``unit``."""
    rows = (
        ReaderComment.objects.filter(moderated_q(user), unit=unit, state=CommentState.PENDING)
        .values("story", "story__title")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "story__title")
    )
    return [(row["story"], row["story__title"], row["waiting"]) for row in rows]


def _decide(comments, user, state):
    """Puts ``comments`` (already scoped to what ``user`` moderates) in
    ``state``; returns how many changed. Readers' pages are refreshed when
    what they show changes."""
    now = timezone.now()
    with transaction.atomic():
        changed = list(ReaderComment.objects.select_for_update().filter(pk__in=[c.pk for c in comments]).exclude(state=state))
        shown_before = any(c.state == CommentState.APPROVED for c in changed)
        for comment in changed:
            comment.state, comment.moderated_at, comment.moderated_by = state, now, user
            comment.save(update_fields=["state", "moderated_at", "moderated_by"])
            log(instance=comment, action=f"hoitu.reader_comment.{'approve' if state == CommentState.APPROVED else 'reject'}", user=user)
        if changed and (state == CommentState.APPROVED or shown_before):
            invalidate()
    return len(changed)


def approve(comments, user):
    return _decide(comments, user, CommentState.APPROVED)


def reject(comments, user):
    return _decide(comments, user, CommentState.REJECTED)


def stop_reader(comment, user, days=None):
    """Stops the reader of ``comment`` in its unit for ``days``: that
    comment and everything else of theirs still waiting is rejected."""
    days = days or settings.READER_COMMENTS_STOP_DAYS
    with transaction.atomic():
        stopped, _created = StoppedReader.objects.update_or_create(
            unit=comment.unit,
            reader_key=comment.reader_key,
            defaults={"name": comment.name, "comment": comment, "until": timezone.now() + timedelta(days=days), "stopped_by": user},
        )
        waiting = ReaderComment.objects.filter(unit=comment.unit, reader_key=comment.reader_key, state=CommentState.PENDING)
        reject([comment, *waiting], user)
        log(instance=stopped, action="hoitu.reader_comment.stop", user=user, data={"days": days})
    return stopped


def lift(stopped, user):
    with transaction.atomic():
        log(instance=stopped, action="hoitu.reader_comment.lift", user=user)
        stopped.delete()


def stopped_readers(unit):
    return StoppedReader.objects.filter(unit=unit, until__gt=timezone.now()).select_related("stopped_by").order_by("-stopped_at")


def set_open(unit, is_open_now, user):
    with transaction.atomic():
        policy, _created = CommentPolicy.objects.select_for_update().get_or_create(unit=unit)
        if policy.open == is_open_now:
            return policy
        policy.open, policy.changed_at, policy.changed_by = is_open_now, timezone.now(), user
        policy.save()
        log(instance=unit, action="hoitu.reader_comment.open" if is_open_now else "hoitu.reader_comment.close", user=user)
        invalidate()
    return policy


def waiting_by_unit(user):
    """(unit slug, unit name, how many wait) for each unit where comments
    wait for ``user``, most first."""
    rows = (
        ReaderComment.objects.filter(moderated_q(user), state=CommentState.PENDING)
        .values("unit__slug", "unit__name")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "unit__name")
    )
    return [(row["unit__slug"], row["unit__name"], row["waiting"]) for row in rows]
