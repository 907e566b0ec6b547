"""Turns a unit's desk plan (desk.py) into work in progress, through the
product's own services, so the audit log, the notifications and the desk
board show what the newsroom would have left:

- the desk's assignments, proposed, approved, assigned, discussed and
  cancelled through workflows.assignments by the staff who would do it (a
  reporter or contributor proposes, the managing editor approves, assigns
  and cancels);
- drafts, and stories walked through the unit's workflow by the people
  whose step it is (Wagtail's task API). A story written for an
  assignment starts as the draft its assignee gets from "Start writing";
  the assignment then follows the story (submitted, done) through the
  product's signal handlers;
- a correction, through workflows.services.

Stories are found by slug under the unit's home and assignments by title
within the unit, so seeding again adds nothing. The services stamp what
they write "now"; afterwards each step is dated back (an assignment's
planning to its creation, a comment to when it was written, a story's
whole history by its ``hours_ago``), so the board shows work that has
waited a while, not all "just now"."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from wagtail.log_actions import LogContext
from wagtail.models import (
    ModelLogEntry,
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowState,
)

from assets.text import ascii_slug
from newsroom.models import ArticleAuthor, ArticlePage
from workflows import assignments
from workflows.models import (
    Assignment,
    AssignmentComment,
    AssignmentStatus,
    Notification,
)
from workflows.services import CorrectionOutcome, submit_correction

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
# The managing editor (thư ký tòa soạn) runs the plan: approves, assigns
# and cancels the assignments.
MANAGING_EDITOR = "thuky"
# Corrections are an editor's: the product refuses them to reporters.
CORRECTOR = "bientap"


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
    """One unit's desk. ``plan_assignments`` first, then the unit's
    published stories (seeding.py) and ``seed`` (the desk's stories), both
    of which start a story from its assignment with ``start_story``."""

    unit: object
    home: object
    sections: dict  # slug -> (SectionPage, section spec)
    staff: dict  # username suffix -> user
    bylines: list  # Author rows of the unit
    now: datetime
    # Story title -> the assignment, created by ``plan_assignments``, that the story is written for.
    assigned_stories: dict = field(default_factory=dict, init=False)

    def plan_assignments(self, plan):
        """The plan's assignments the unit does not have yet; returns how
        many were created."""
        existing = set(Assignment.objects.filter(unit=self.unit).values_list("title", flat=True))
        created = 0
        for index, spec in enumerate(plan.assignments):
            if spec.title in existing:
                continue
            assignment = self._assignment(spec, created_at=self.now - timedelta(hours=30 - 3 * index))
            if spec.story:
                self.assigned_stories[spec.story] = assignment
            created += 1
        return created

    def start_story(self, writer, **content):
        """The draft ``writer`` gets from "Start writing" on the assignment
        planned for the story titled content["title"], with ``content``
        written into it (not saved yet); None when no assignment of this
        run is written as that story."""
        assignment = self.assigned_stories.pop(content["title"], None)
        if assignment is None:
            return None
        story = assignments.start_writing(assignment, writer)
        for name, value in content.items():
            setattr(story, name, value)
        return story

    def seed(self, plan):
        existing = set(ArticlePage.objects.descendant_of(self.home).values_list("slug", flat=True))
        created = 0
        for index, spec in enumerate(plan.stories):
            if spec.slug not in existing:
                self._story(spec, index)
                created += 1
        corrected = self._correction(plan)
        return {"stories": created, "corrections": int(corrected)}

    # --- assignments --------------------------------------------------------
    def _when(self, value):
        if value is None:
            return None
        if value == "today":
            return later_today(self.now, hours=3)
        return self.now + timedelta(hours=value)

    def _assignment(self, spec, created_at):
        """Proposed by ``spec.proposed_by``, then taken as far as
        ``spec.status`` by the managing editor, discussed, and dated back:
        planned at ``created_at``, each comment when it was written."""
        managing_editor = self.staff[MANAGING_EDITOR]
        proposer = self.staff[spec.proposed_by]
        assignees = [self.staff[name] for name in spec.assignees]
        status = AssignmentStatus(spec.status)
        fields = {
            "title": spec.title,
            "brief": spec.brief,
            "section": self.sections[spec.section][0],
            "format": spec.format,
            "deadline": self._when(spec.deadline),
            "planned_publish_at": self._when(spec.planned),
            "priority": spec.priority,
        }
        if proposer == managing_editor:
            # The managing editor's own plan: naming the assignees as it is
            # proposed approves and assigns it in the same step, as the form does.
            assignment = assignments.propose(proposer, self.unit, assignees=assignees, **fields)
        else:
            assignment = assignments.propose(proposer, self.unit, **fields)
            if status not in (AssignmentStatus.PROPOSED, AssignmentStatus.CANCELLED):
                assignments.approve(assignment, managing_editor)
            if assignees:
                assignments.assign(assignment, managing_editor, assignees)
        if status == AssignmentStatus.CANCELLED:
            assignments.cancel(assignment, managing_editor)
        Assignment.objects.filter(pk=assignment.pk).update(created_at=created_at)
        self._date_steps(assignment, created_at)
        for offset, (author, body) in enumerate(spec.comments):
            written_at = self.now - timedelta(minutes=50 - offset)
            comment = assignments.add_comment(assignment, self.staff[author], body)
            AssignmentComment.objects.filter(pk=comment.pk).update(created_at=written_at)
            self._date_steps(assignment, written_at)
        return assignment

    def _assignment_log(self, assignment_ids):
        """The audit log entries of these assignments that are still
        stamped "now" (the ones dated back are earlier)."""
        return ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Assignment),
            object_id__in=[str(pk) for pk in assignment_ids],
            timestamp__gte=self.now,
        )

    def _date_steps(self, assignment, when):
        """The assignment's steps just taken happened at ``when``: their
        audit log entries and notices."""
        self._assignment_log([assignment.pk]).update(timestamp=when)
        Notification.objects.filter(assignment=assignment, created_at__gte=self.now).update(created_at=when)

    def move_back_assignments(self, story, delta):
        """The steps the story's assignments took with it (started,
        submitted, done) move back with the story's history."""
        linked = list(Assignment.objects.filter(story_id=story.pk).values_list("pk", flat=True))
        if linked:
            self._assignment_log(linked).update(timestamp=F("timestamp") - delta)

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
        content = {
            "title": spec.title,
            "slug": spec.slug,
            "kicker": spec.kicker,
            "sapo": spec.sapo,
            "body": [("paragraph", f"<p>{escape(text)}</p>") for text in spec.paragraphs],
            "language": "vi",
            # A reporter's draft has no photo yet; the desk sees stories with one.
            "cover_image_id": None if spec.stage == desk.DRAFT else self._cover(section, index),
        }
        if spec.stage == desk.SCHEDULED:
            content["go_live_at"] = later_today(self.now)
        elif spec.stage == desk.EMBARGOED:
            content["embargo_until"] = content["go_live_at"] = tomorrow_at(self.now, 9)
        story = self.start_story(writer, **content)
        if story is None:
            story = ArticlePage(owner=writer, live=False, **content)
            byline = self._byline(writer)
            if byline is not None:
                story.article_authors.add(ArticleAuthor(author=byline))
            section.add_child(instance=story)
        else:
            # The admin saves a draft's page with its revision (its new slug finds it again).
            story.save()
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
            self._act(state, MANAGING_EDITOR, "reject", spec.comment)

    def _act(self, workflow_state, username, action, comment=""):
        """``username`` acts on the current step, in a log context naming
        them as the admin's does (a last approval publishes, and the
        publication is theirs)."""
        workflow_state.refresh_from_db()
        task_state = workflow_state.current_task_state.specific
        user = self.staff[username]
        with LogContext(user=user):
            task_state.task.specific.on_action(task_state, user, action, comment=comment)

    def _move_back(self, story, delta):
        """Shift the story's whole history (revisions, workflow, log,
        notifications, its assignments' steps) back by ``delta``."""
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
        self.move_back_assignments(story, delta)

    # --- correction ---------------------------------------------------------
    def _correction(self, plan):
        """A correction note written by the desk editor on a published
        story and approved through the workflow, which republishes it."""
        story = ArticlePage.objects.descendant_of(self.home).filter(slug=ascii_slug(plan.corrected)).first()
        if story is None or story.corrections.exists() or story.workflow_in_progress:
            return False
        if submit_correction(story, self.staff[CORRECTOR], plan.correction) == CorrectionOutcome.SUBMITTED:
            state = story.current_workflow_state
            for username in APPROVERS:
                self._act(state, username, "approve")
        return True
