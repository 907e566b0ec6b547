"""Assignments (đề tài): every state change is a function here that checks
the user's right on the server, logs to Wagtail's audit log and notifies
the people concerned. Views and signal handlers only call these."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from assets.text import ascii_slug
from newsroom.models import ArticleAuthor, ArticlePage, Author

from .membership import membership
from .models import (
    Assignment,
    AssignmentComment,
    AssignmentStatus,
    NotificationKind,
    Role,
)
from .notifications import notify

# Who runs the unit's plan: approve, assign, edit, cancel any assignment.
PLANNING_ROLES = {Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Roles whose members write stories and so may be given an assignment.
WRITING_ROLES = {
    Role.REPORTER, Role.CONTRIBUTOR, Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR,
    Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR,
}
OPEN_STATUSES = [
    AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED, AssignmentStatus.ASSIGNED,
    AssignmentStatus.IN_PROGRESS, AssignmentStatus.SUBMITTED,
]
EDITABLE_FIELDS = ("title", "brief", "section", "format", "deadline", "planned_publish_at", "priority")


# --- who may do what ----------------------------------------------------------


def can_view(user, assignment_or_unit):
    unit_id = getattr(assignment_or_unit, "unit_id", None) or getattr(assignment_or_unit, "pk", assignment_or_unit)
    m = membership(user)
    return m.superuser or bool(m.roles.get(unit_id))


def can_propose(user, unit):
    return can_view(user, unit)


def can_manage(user, assignment):
    """Managing editor, editor-in-chief and deputy for any assignment of
    their unit; a section head for the assignments of their section."""
    m = membership(user)
    if m.superuser or m.roles.get(assignment.unit_id, set()) & PLANNING_ROLES:
        return True
    section = assignment.section
    return bool(
        section is not None
        and assignment.unit_id in m.roles
        and Role.SECTION_HEAD in m.roles_for_path(section.path)
    )


def is_assignee(user, assignment):
    return any(person.pk == user.pk for person in assignment.assignees.all())


def allowed_actions(user, assignment):
    """The verbs this user may use on this assignment now (drives the
    buttons; every service function checks again)."""
    actions = set()
    if not can_view(user, assignment):
        return actions
    actions.add("comment")
    if not assignment.is_open:
        return actions
    if can_manage(user, assignment):
        actions |= {"edit", "cancel"}
        if assignment.status == AssignmentStatus.PROPOSED:
            actions.add("approve")
        if assignment.status != AssignmentStatus.SUBMITTED:
            actions.add("assign")
    if is_assignee(user, assignment) and assignment.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS):
        actions.add("write")
    return actions

# --- helpers --------------------------------------------------------------------


def assignable_staff(unit, section=None):
    """Active users of ``unit`` who write stories (section heads only for
    their own section): the only people an assignment may go to."""
    scope = Q(groups__unit_role__section__isnull=True)
    if section is not None:
        scope |= Q(groups__unit_role__section=section)
    return (
        get_user_model()
        .objects.filter(Q(groups__unit_role__unit=unit, groups__unit_role__role__in=WRITING_ROLES) & scope, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def unit_managers(unit):
    """Ids of the unit's managing editors (they hear about deadlines)."""
    return set(
        get_user_model()
        .objects.filter(is_active=True, groups__unit_role__unit=unit, groups__unit_role__role=Role.MANAGING_EDITOR)
        .values_list("pk", flat=True)
    )


def detail_url(assignment):
    return reverse("workflows_assignments:detail", args=[assignment.pk])


def _log(assignment, verb, user, **extra):
    unit = assignment.unit
    data = {"unit": {"id": unit.pk, "slug": unit.slug, "name": unit.name}, "title": assignment.title, "status": assignment.status}
    data.update(extra)
    log(instance=assignment, action=f"hoitu.assignment.{verb}", user=user, data=data)


def _notify(assignment, recipients, kind, message, actor, comment=""):
    notify(recipients, kind, message, actor=actor, assignment=assignment, unit=assignment.unit, comment=comment, url=detail_url(assignment))


def _require(condition, message):
    if not condition:
        raise PermissionDenied(message)


def _require_open(assignment):
    if not assignment.is_open:
        raise ValidationError(_("This assignment is %(status)s and can no longer change.") % {"status": assignment.get_status_display().lower()})


def _clean_fields(unit, fields):
    section = fields.get("section")
    if section is not None and not section.path.startswith(unit.site.root_page.path):
        raise ValidationError(_("The section must belong to %(unit)s.") % {"unit": unit.name})
    title = (fields.get("title") or "").strip()
    if "title" in fields and not title:
        raise ValidationError(_("An assignment needs a title."))
    if "title" in fields:
        fields["title"] = title


def _check_assignees(assignment, assignees):
    people = list(assignees)
    if not people:
        raise ValidationError(_("Choose at least one person to assign."))
    allowed = set(assignable_staff(assignment.unit, assignment.section).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    outside = [p for p in people if p.pk not in allowed]
    if outside:
        raise ValidationError(
            _("These people cannot be assigned here (not writing staff of %(unit)s or of this section): %(names)s")
            % {"unit": assignment.unit.name, "names": ", ".join(p.get_full_name() or p.get_username() for p in outside)}
        )
    return people

# --- transitions ----------------------------------------------------------------


@transaction.atomic
def propose(user, unit, *, assignees=(), **fields):
    """Anyone with a role in the unit proposes. A planner who names
    assignees at once approves and assigns in the same step."""
    _require(can_propose(user, unit), _("You have no role in %(unit)s and cannot propose assignments there.") % {"unit": unit.name})
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown assignment fields: {sorted(unknown)}")
    _clean_fields(unit, fields)
    # Saved first; if assigning below is refused, the transaction takes the proposal back too.
    assignment = Assignment.objects.create(unit=unit, proposed_by=user, status=AssignmentStatus.PROPOSED, **fields)
    _log(assignment, "propose", user)
    if assignees:
        assign(assignment, user, assignees)
    return assignment


@transaction.atomic
def approve(assignment, user):
    _require(can_manage(user, assignment), _("Only the managing editor, the editor-in-chief or the section head can approve this assignment."))
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("Only a proposed assignment can be approved."))
    assignment.status = AssignmentStatus.APPROVED
    assignment.approved_by = user
    assignment.save(update_fields=["status", "approved_by", "updated_at"])
    _log(assignment, "approve", user)
    _notify(
        assignment, {assignment.proposed_by_id}, NotificationKind.APPROVED,
        _("Your proposal “%(title)s” was approved") % {"title": assignment.title}, user,
    )
    return assignment


@transaction.atomic
def assign(assignment, user, assignees):
    """Give the assignment to people of the unit (approving it if it was
    only proposed). Only newly added people are notified."""
    _require(can_manage(user, assignment), _("Only the managing editor, the editor-in-chief or the section head can assign people."))
    _require_open(assignment)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(_("The story is already in review; the assignees can no longer change."))
    people = _check_assignees(assignment, assignees)
    before = set(assignment.assignees.values_list("pk", flat=True))
    assignment.assignees.set(people)
    fields = ["updated_at"]
    if assignment.status in (AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED):
        assignment.status = AssignmentStatus.ASSIGNED
        fields.append("status")
        if assignment.approved_by_id is None:
            assignment.approved_by = user
            fields.append("approved_by")
    assignment.save(update_fields=fields)
    _log(assignment, "assign", user, assignees=[{"id": p.pk, "name": p.get_full_name() or p.get_username()} for p in people])
    deadline = ""
    if assignment.deadline:
        deadline = " " + _("(deadline %(time)s)") % {"time": timezone.localtime(assignment.deadline).strftime("%H:%M %d/%m/%Y")}
    _notify(
        assignment, {p.pk for p in people} - before, NotificationKind.ASSIGNED,
        _("You are assigned “%(title)s”") % {"title": assignment.title} + deadline, user, comment=assignment.brief,
    )
    return assignment


@transaction.atomic
def update(assignment, user, **fields):
    _require(can_manage(user, assignment), _("Only the managing editor, the editor-in-chief or the section head can edit this assignment."))
    _require_open(assignment)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown assignment fields: {sorted(unknown)}")
    _clean_fields(assignment.unit, fields)
    changed = [name for name, value in fields.items() if getattr(assignment, name) != value]
    for name in changed:
        setattr(assignment, name, fields[name])
    if not changed:
        return assignment
    if "deadline" in changed:
        # A new deadline earns new notices.
        assignment.deadline_warned_at = assignment.overdue_notified_at = None
        changed += ["deadline_warned_at", "overdue_notified_at"]
    assignment.save(update_fields=changed + ["updated_at"])
    _log(assignment, "edit", user, fields=sorted(set(changed) & set(EDITABLE_FIELDS)))
    return assignment


@transaction.atomic
def cancel(assignment, user, reason=""):
    _require(can_manage(user, assignment), _("Only the managing editor, the editor-in-chief or the section head can cancel this assignment."))
    _require_open(assignment)
    reason = (reason or "").strip()
    assignment.status = AssignmentStatus.CANCELLED
    assignment.save(update_fields=["status", "updated_at"])
    _log(assignment, "cancel", user, reason=reason)
    recipients = {assignment.proposed_by_id} | set(assignment.assignees.values_list("pk", flat=True))
    _notify(
        assignment, recipients, NotificationKind.CANCELLED,
        _("The assignment “%(title)s” was cancelled") % {"title": assignment.title}, user, comment=reason,
    )
    return assignment


def _byline_for(user):
    """The user's byline; one is created from their name when they have none
    yet (an article needs at least one author, and the byline then follows
    the person from story to story)."""

    author = Author.objects.filter(user=user).first()
    if author is None:
        author = Author.objects.create(name=user.get_full_name().strip() or user.get_username(), user=user)
    return author


@transaction.atomic
def start_writing(assignment, user):
    """An assignee starts the story: a draft in the assignment's section,
    owned by them, with every assignee in the byline (co-authors may edit
    it). Returns the story; starting twice returns the same story."""

    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("unit__site__root_page", "section", "story").get(pk=assignment.pk)
    )
    _require(is_assignee(user, assignment) or membership(user).superuser, _("Only the people assigned can start writing this story."))
    if assignment.story_id:
        return assignment.story
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS):
        raise ValidationError(_("Writing starts once the assignment is assigned (it is %(status)s).") % {"status": assignment.get_status_display().lower()})
    section = assignment.section
    if section is None:
        raise ValidationError(_("Choose a section for this assignment before starting to write."))
    _require(section.permissions_for_user(user).can_add_subpage(), _("You may not write stories in the section %(section)s.") % {"section": section.title})
    story = ArticlePage(title=assignment.title, owner=user, live=False, sapo="")
    if assignment.format:
        story.format = assignment.format
    story.slug = story._get_autogenerated_slug(ascii_slug(assignment.title) or "bai-viet")
    people = [user] + [p for p in assignment.assignees.all() if p.pk != user.pk]
    for order, person in enumerate(people):
        story.article_authors.add(ArticleAuthor(author=_byline_for(person), sort_order=order))
    section.add_child(instance=story)
    story.save_revision(user=user, log_action=True, clean=False)
    assignment.story = story
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save(update_fields=["story", "status", "updated_at"])
    _log(assignment, "start", user, story={"id": story.pk, "title": story.title})
    return story


@transaction.atomic
def add_comment(assignment, user, body):
    _require(can_view(user, assignment), _("You cannot comment on assignments of another unit."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    comment = AssignmentComment.objects.create(assignment=assignment, author=user, body=body)
    _log(assignment, "comment", user, comment=body[:500])
    participants = {assignment.proposed_by_id, assignment.approved_by_id}
    participants |= set(assignment.assignees.values_list("pk", flat=True))
    participants |= set(assignment.comments.exclude(author=None).values_list("author_id", flat=True))
    _notify(
        assignment, participants, NotificationKind.COMMENT,
        _("%(name)s commented on “%(title)s”") % {"name": user.get_full_name() or user.get_username(), "title": assignment.title},
        user, comment=body,
    )
    return comment

# --- the story's progress (called from signal handlers) -------------------------


def _linked(story, statuses):
    return Assignment.objects.filter(story_id=story.pk, status__in=statuses).select_related("unit")


def story_submitted(story, user=None):
    for assignment in _linked(story, [AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS]):
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.save(update_fields=["status", "updated_at"])
        _log(assignment, "submitted", user, story={"id": story.pk, "title": story.title})


def story_sent_back(story, user=None):
    for assignment in _linked(story, [AssignmentStatus.SUBMITTED]):
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.save(update_fields=["status", "updated_at"])
        _log(assignment, "sent_back", user, story={"id": story.pk, "title": story.title})


def story_published(story, user=None):
    for assignment in _linked(story, OPEN_STATUSES):
        assignment.status = AssignmentStatus.DONE
        assignment.save(update_fields=["status", "updated_at"])
        _log(assignment, "done", user, story={"id": story.pk, "title": story.title})

# --- deadlines (the check_deadlines task) ---------------------------------------


def warning_window():
    return timedelta(minutes=settings.ASSIGNMENT_DEADLINE_WARNING_MINUTES)


def check_deadlines(now=None):
    """Send each open assignment's "deadline near" and "overdue" notices
    once, to its assignees and the unit's managing editors. Returns the
    number of assignments noticed."""
    now = now or timezone.now()
    # Assigned work only: a bare proposal has nobody to warn yet.
    active = Assignment.objects.filter(
        status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.SUBMITTED], deadline__isnull=False
    ).select_related("unit").prefetch_related("assignees")
    overdue = list(active.filter(deadline__lte=now, overdue_notified_at__isnull=True))
    near = list(active.filter(deadline__gt=now, deadline__lte=now + warning_window(), deadline_warned_at__isnull=True))
    managers = {}
    for kind, assignments, field in (
        (NotificationKind.OVERDUE, overdue, "overdue_notified_at"),
        (NotificationKind.DEADLINE_NEAR, near, "deadline_warned_at"),
    ):
        for assignment in assignments:
            with transaction.atomic():
                # Claim the notice first so two overlapping runs send it once.
                claimed = Assignment.objects.filter(pk=assignment.pk, **{f"{field}__isnull": True}).update(**{field: now})
                if not claimed:
                    continue
                if assignment.unit_id not in managers:
                    managers[assignment.unit_id] = unit_managers(assignment.unit)
                when = timezone.localtime(assignment.deadline).strftime("%H:%M %d/%m/%Y")
                if kind == NotificationKind.OVERDUE:
                    message = _("“%(title)s” is overdue (deadline %(time)s)") % {"title": assignment.title, "time": when}
                else:
                    message = _("The deadline of “%(title)s” is near: %(time)s") % {"title": assignment.title, "time": when}
                recipients = {p.pk for p in assignment.assignees.all()} | managers[assignment.unit_id]
                _notify(assignment, recipients, kind, message, None)
                _log(assignment, "overdue" if kind == NotificationKind.OVERDUE else "deadline_near", None, deadline=assignment.deadline.isoformat())
    return len(overdue) + len(near)
