"""Turns a unit's desk plan (desk.py) into work in progress: drafts, stories
walked through the unit's workflow by the people whose step it is (through
Wagtail's task API, so the audit log, notifications and desk board see
what the admin would have left), a correction, and assignments.

Stories are found by slug under the unit's home and assignments by title
within the unit, so seeding again adds nothing. Every timestamp of a
story's history is moved back by its ``hours_ago``, so the board shows
stories that have waited a while, not all "just now"."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from newsroom.models import ArticleAuthor, ArticleCorrection, ArticlePage
from newsroom.text import ascii_slug
from workflows.models import (
    Assignment,
    AssignmentComment,
    AssignmentStatus,
    Notification,
    NotificationKind,
)
from workflows.notifications import notify

from . import desk

# How many approvals each stage has had, in the order of the default
# workflow's steps (desk editor, managing editor, editor-in-chief).
APPROVALS = {
    desk.AT_DESK: 0,
    desk.AT_MANAGING_EDITOR: 1,
    desk.AT_EDITOR_IN_CHIEF: 2,
    desk.SENT_BACK: 1,
}
APPROVERS = ("bientap", "thuky", "tongbientap")


def later_today(now, hours=4):
    """``hours`` from now, but before 23:00 local time when the day leaves
    room (never less than half an hour ahead)."""
    local = timezone.localtime(now)
    end_of_day = local.replace(hour=23, minute=0, second=0, microsecond=0)
    return max(min(local + timedelta(hours=hours), end_of_day), local + timedelta(minutes=30))


def tomorrow_at(now, hour):
    local = timezone.localtime(now)
    day = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)), local.tzinfo)


@dataclass
class NewsDesk:
    unit: object
    home: object
    sections: dict  # slug -> (SectionPage, section spec)
    staff: dict  # username suffix -> user
    bylines: list  # Author rows of the unit
    now: datetime

    def seed(self, plan):
        existing = set(ArticlePage.objects.descendant_of(self.home).values_list("slug", flat=True))
        stories = {}
        created = 0
        for index, spec in enumerate(plan.stories):
            if spec.slug in existing:
                stories[spec.title] = ArticlePage.objects.descendant_of(self.home).get(slug=spec.slug)
                continue
            stories[spec.title] = self._story(spec, index)
            created += 1
        corrected = self._correction(plan)
        assignments = self._assignments(plan, stories)
        return {"stories": created, "corrections": int(corrected), "assignments": assignments}

    # --- stories ------------------------------------------------------------
    def _byline(self, user):
        return next((author for author in self.bylines if author.user_id == user.pk), None)

    def _cover(self, section, index):
        covers = list(
            ArticlePage.objects.child_of(section).live().exclude(cover_image=None).order_by("path").values_list("cover_image_id", flat=True)[:8]
        )
        return covers[index % len(covers)] if covers else None

    def _story(self, spec, index):
        writer = self.staff[spec.writer]
        section, _section_spec = self.sections[spec.section]
        story = ArticlePage(
            title=spec.title,
            slug=spec.slug,
            kicker=spec.kicker,
            sapo=spec.sapo,
            body=[("paragraph", f"<p>{escape(text)}</p>") for text in spec.paragraphs],
            language="vi",
            owner=writer,
            live=False,
            # A reporter's draft has no photo yet; the desk sees stories with one.
            cover_image_id=None if spec.stage == desk.DRAFT else self._cover(section, index),
        )
        byline = self._byline(writer)
        if byline is not None:
            story.article_authors.add(ArticleAuthor(author=byline))
        if spec.stage == desk.SCHEDULED:
            story.go_live_at = later_today(self.now)
        elif spec.stage == desk.EMBARGOED:
            story.embargo_until = story.go_live_at = tomorrow_at(self.now, 9)
        section.add_child(instance=story)
        log(instance=story, action="wagtail.create", user=writer)
        story.save_revision(user=writer, log_action=True)
        if spec.stage in APPROVALS:
            self._walk(story, spec, writer)
        elif spec.stage in (desk.SCHEDULED, desk.EMBARGOED):
            # The editor-in-chief schedules a new story directly (a story
            # never published needs no workflow to be published); its
            # go-live time keeps it off the site until then.
            story.get_latest_revision().publish(user=self.staff["tongbientap"])
        self._move_back(story, timedelta(hours=spec.hours_ago))
        return story

    def _walk(self, story, spec, writer):
        state = story.get_workflow().start(story, writer)
        for username in APPROVERS[: APPROVALS[spec.stage]]:
            self._act(state, username, "approve")
        if spec.stage == desk.SENT_BACK:
            self._act(state, "thuky", "reject", spec.comment)

    def _act(self, workflow_state, username, action, comment=""):
        workflow_state.refresh_from_db()
        task_state = workflow_state.current_task_state.specific
        task_state.task.specific.on_action(task_state, self.staff[username], action, comment=comment)

    def _move_back(self, story, delta):
        """Shift the story's whole history (revisions, workflow, log,
        notifications) back by ``delta``."""
        content_type = ContentType.objects.get_for_model(Page)
        object_id = str(story.pk)
        Revision.objects.filter(base_content_type=content_type, object_id=object_id).update(created_at=F("created_at") - delta)
        states = WorkflowState.objects.filter(base_content_type=content_type, object_id=object_id)
        TaskState.objects.filter(workflow_state__in=states).update(
            started_at=F("started_at") - delta, finished_at=F("finished_at") - delta
        )
        states.update(created_at=F("created_at") - delta)
        PageLogEntry.objects.filter(page_id=story.pk).update(timestamp=F("timestamp") - delta)
        Notification.objects.filter(page_id=story.pk).update(created_at=F("created_at") - delta)
        Page.objects.filter(pk=story.pk).update(latest_revision_created_at=F("latest_revision_created_at") - delta)

    # --- correction ---------------------------------------------------------
    def _correction(self, plan):
        """A correction note added by the reporter to a published story and
        approved through the workflow, which republishes it."""
        story = ArticlePage.objects.descendant_of(self.home).filter(slug=ascii_slug(plan.corrected)).first()
        if story is None or story.corrections.exists() or story.workflow_in_progress:
            return False
        story.corrections.add(ArticleCorrection(note=plan.correction, corrected_at=self.now))
        writer = self.staff["phongvien"]
        story.save_revision(user=writer, log_action=True)
        state = story.get_workflow().start(story, writer)
        for username in APPROVERS:
            self._act(state, username, "approve")
        return True

    # --- assignments --------------------------------------------------------
    def _when(self, value):
        if value is None:
            return None
        if value == "today":
            return later_today(self.now, hours=3)
        return self.now + timedelta(hours=value)

    def _assignments(self, plan, stories):
        existing = set(Assignment.objects.filter(unit=self.unit).values_list("title", flat=True))
        managing_editor = self.staff["thuky"]
        created = 0
        for index, spec in enumerate(plan.assignments):
            if spec.title in existing:
                continue
            story = stories.get(spec.story)
            if story is None and spec.story:
                story = ArticlePage.objects.descendant_of(self.home).get(slug=ascii_slug(spec.story))
            status = AssignmentStatus(spec.status)
            reviewed = status not in (AssignmentStatus.PROPOSED, AssignmentStatus.CANCELLED)
            assignment = Assignment.objects.create(
                unit=self.unit,
                title=spec.title,
                brief=spec.brief,
                section=self.sections[spec.section][0],
                format=spec.format,
                proposed_by=self.staff[spec.proposed_by],
                approved_by=managing_editor if reviewed else None,
                deadline=self._when(spec.deadline),
                planned_publish_at=self._when(spec.planned),
                priority=spec.priority,
                status=status,
                story=story,
                created_at=self.now - timedelta(hours=30 - 3 * index),
            )
            assignees = [self.staff[name] for name in spec.assignees]
            assignment.assignees.set(assignees)
            for offset, (author, body) in enumerate(spec.comments):
                AssignmentComment.objects.create(
                    assignment=assignment, author=self.staff[author], body=body, created_at=self.now - timedelta(minutes=50 - offset)
                )
            self._announce(assignment, assignees, managing_editor)
            created += 1
        return created

    def _announce(self, assignment, assignees, managing_editor):
        """The notices the desk would have sent for this assignment."""
        ids = [user.pk for user in assignees]
        if assignment.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS):
            notify(
                ids,
                NotificationKind.ASSIGNED,
                _("You were assigned “%(title)s”") % {"title": assignment.title},
                actor=managing_editor,
                assignment=assignment,
                unit=self.unit,
            )
        if assignment.is_overdue(self.now):
            notify(
                ids + [managing_editor.pk],
                NotificationKind.OVERDUE,
                _("“%(title)s” is past its deadline") % {"title": assignment.title},
                assignment=assignment,
                unit=self.unit,
            )
            Assignment.objects.filter(pk=assignment.pk).update(overdue_notified_at=self.now)
