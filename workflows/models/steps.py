"""Workflow steps of our own, beside Wagtail's group approval."""

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState, WorkflowTask

from ..forms import checklist_form_class
from ..permissions import reviewable_page_filter, user_can_review


class ReviewerEditingMixin:
    """While a story waits at the step, its reviewers (``_covers``) may open,
    edit and lock it and everyone else finds it locked."""

    def user_can_access_editor(self, obj, user):
        return self._covers(obj, user)

    def locked_for_user(self, obj, user):
        return not self._covers(obj, user)

    def user_can_lock(self, obj, user):
        return self._covers(obj, user)


class UnitApprovalTask(ReviewerEditingMixin, AbstractGroupApprovalTask):
    """Group approval that also requires the reviewer to work on the story's
    unit (and section, for section heads): a group added to another unit's
    workflow by mistake still cannot approve across units."""

    def _covers(self, obj, user):

        return user.is_superuser or (self._user_in_groups(user) and user_can_review(user, obj))

    def get_actions(self, obj, user):
        """Wagtail's actions, named for what they do here: approving at a
        step before the last sends the story on (at the last, Wagtail's own
        menu says it publishes)."""
        if not self._covers(obj, user):
            return []
        actions = super().get_actions(obj, user)
        if self._is_last_step(obj):
            return actions
        renamed = {False: _("Approve and send on"), True: _("Approve with comment and send on")}
        return [(name, renamed[modal] if name == "approve" else label, modal) for name, label, modal in actions]

    def _is_last_step(self, obj):
        state = getattr(obj, "current_workflow_state", None)
        if state is None:
            return False
        steps = WorkflowTask.objects.filter(workflow_id=state.workflow_id)
        here = steps.filter(task_id=self.pk).values("sort_order")[:1]
        return not steps.filter(sort_order__gt=Subquery(here)).exists()

    def get_task_states_user_can_moderate(self, user, **kwargs):

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states if user.is_superuser else states.filter(reviewable_page_filter(user, "workflow_state__object_id"))

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups who work on the story's unit approve this step")

    class Meta:
        verbose_name = _("unit approval step")
        verbose_name_plural = _("unit approval steps")


class ChecklistTask(UnitApprovalTask):
    """A review step whose reviewer must tick every item (for example fact
    check and legal check) before approving; the ticks are kept with the
    step's state."""

    items = models.TextField(_("checklist items"), help_text=_("One item per line."))

    admin_form_fields = UnitApprovalTask.admin_form_fields + ["items"]

    @property
    def item_list(self):
        return [line.strip() for line in self.items.splitlines() if line.strip()]

    def get_task_state_class(self):
        return ChecklistTaskState

    def get_actions(self, obj, user):
        if not self._covers(obj, user):
            return []
        # Approving needs the ticks, so it always opens the checklist form.
        return [("reject", _("Request changes"), True), ("approve", _("Approve with checklist"), True)]

    def get_form_for_action(self, action):
        if action == "approve":

            return checklist_form_class(self.item_list)
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            ticked = kwargs.pop("ticked", None)
            if ticked is not None:
                task_state.specific.ticked = ticked
                task_state.specific.save(update_fields=["ticked"])
        else:
            kwargs.pop("ticked", None)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("The reviewer ticks every item of a checklist before approving")

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")


class ChecklistTaskState(TaskState):
    ticked = models.JSONField(_("ticked items"), default=list, blank=True)

    class Meta:
        verbose_name = _("checklist step state")
        verbose_name_plural = _("checklist step states")


class NamedReviewerTask(ReviewerEditingMixin, Task):
    """A step assigned to one named person (for example the duty editor of
    the night, or the lawyer of record)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )

    admin_form_fields = Task.admin_form_fields + ["reviewer"]

    def _covers(self, obj, user):

        return user.is_superuser or (user.pk == self.reviewer_id and user_can_review(user, obj, any_role=True))

    def get_actions(self, obj, user):
        if self._covers(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser or user.pk == self.reviewer_id:
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("One named person approves this step")

    class Meta:
        verbose_name = _("named reviewer step")
        verbose_name_plural = _("named reviewer steps")
