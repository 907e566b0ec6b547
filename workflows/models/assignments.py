from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.models import ArticleFormat


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AssignmentPriority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Assignment(models.Model):
    """A story planned by the desk (đề tài): proposed by anyone in the unit,
    approved and assigned by the managing editor, linked to the story
    written for it."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=255)
    brief = models.TextField(_("brief"), blank=True, help_text=_("Angle, sources, what the story must answer."))
    section = models.ForeignKey(
        "newsroom.SectionPage", verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(_("format"), max_length=16, blank=True, choices=ArticleFormat.choices)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("assignees"), blank=True, related_name="assignments")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    planned_publish_at = models.DateTimeField(_("planned publication"), null=True, blank=True, db_index=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=AssignmentPriority.choices, default=AssignmentPriority.NORMAL)
    status = models.CharField(_("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED, db_index=True)
    story = models.ForeignKey(
        "newsroom.ArticlePage", verbose_name=_("story"), null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the "deadline near" and "overdue" notices went out (sent once).
    deadline_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "-priority", "pk"]
        indexes = [models.Index(fields=["unit", "status", "deadline"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status not in (AssignmentStatus.DONE, AssignmentStatus.CANCELLED)

    def is_overdue(self, at=None):
        return bool(self.is_open and self.deadline and self.deadline < (at or timezone.now()))


class AssignmentComment(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment comment")
        verbose_name_plural = _("assignment comments")
        ordering = ["created_at", "pk"]
