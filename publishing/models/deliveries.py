from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # The platform may have created the post but gave us no answer: never
    # blindly created again; checked on the platform or left to a person.
    UNKNOWN = "unknown", _("Unknown")
    REMOVED = "removed", _("Removed")


class DeliveryAction(models.TextChoices):
    # What the remote side should become: the story as it is now, or gone.
    PUBLISH = "publish", _("Publish")
    REMOVE = "remove", _("Remove")


# States in which a worker still has something to do.
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.SENDING)


class Delivery(models.Model):
    """The publish queue's row for one story on one channel (Superdesk's
    per-destination queue item). One row per (story, channel) for the
    story's whole life: it holds the remote post's id, so a republish or a
    correction updates that post and a takedown removes it, and updates to
    one story on one channel are applied one at a time, in order.

    ``generation`` counts the events that changed what the channel should
    show; ``done_generation`` is the last one the platform reflects. A worker
    claims the row (``claim_token``, ``lease_until``) in a short locked
    transaction, talks to the platform outside any transaction, and
    records the outcome only if its claim still holds."""

    # A deleted story leaves its deliveries behind (story NULL): the posts it
    # had on the platforms still have to be removed, and the record kept.
    story = models.ForeignKey(
        "newsroom.ArticlePage", verbose_name=_("story"), null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    story_title = models.CharField(_("story title"), max_length=255, blank=True)
    channel = models.ForeignKey("publishing.Channel", verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(_("state"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    action = models.CharField(_("action"), max_length=8, choices=DeliveryAction.choices, default=DeliveryAction.PUBLISH)
    event = models.CharField(_("last event"), max_length=16, blank=True)
    generation = models.PositiveIntegerField(default=1)
    done_generation = models.PositiveIntegerField(default=0)
    claimed_generation = models.PositiveIntegerField(default=0)
    # What the interrupted worker was doing, for a claim that expired.
    operation = models.CharField(max_length=12, blank=True)
    # "May already exist": a create may have reached the platform without
    # our knowing the post. Written before any request that could create
    # (at the claim), cleared only in the transaction that records the
    # outcome that settles it; while set, no create is sent before a
    # lookup (or a person, where the platform cannot be searched).
    needs_lookup = models.BooleanField(default=False)
    # The current create's key, the same for every attempt of it until its
    # outcome is known: platforms that take an idempotency key see it.
    create_key = models.CharField(max_length=64, blank=True)
    # What an unfinished create learnt from the platform (Zalo's article
    # token), kept for the attempt that looks for the post.
    pending_create = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, help_text=_("Attempts since the last success."))
    total_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(_("remote id"), max_length=255, blank=True)
    remote_url = models.URLField(_("remote address"), max_length=1024, blank=True)
    remote_data = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["story", "channel"], name="publishing_one_delivery_per_story_channel")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["channel", "state"]),
            models.Index(fields=["-updated_at"]),
        ]

    def __str__(self):
        return f"{self.story_title or self.story_id} → {self.channel_id} ({self.state})"

    @property
    def is_open(self):
        return self.state in OPEN_STATES


class DeliveryAttempt(models.Model):
    """One exchange with the platform, for the dashboard and the record.
    Written when the worker claims the delivery, before anything is sent
    (outcome "sending"), and completed with the outcome: a worker killed
    mid-request leaves its row behind ("interrupted" once another worker
    takes over)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    operation = models.CharField(_("operation"), max_length=12)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-started_at", "-pk"]


class StoryEvent(models.Model):
    """The publishing change log: one row per announced event, written in
    the publication's transaction. Its id is the partners' ``since``
    cursor."""

    # The story's id outlives the story: after a deletion the feed still
    # lists it, as canceled, so partners remove their copy. (Page ids are
    # never reused: AUTOINCREMENT on SQLite, a sequence on PostgreSQL.)
    story = models.ForeignKey("newsroom.ArticlePage", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    unit = models.ForeignKey("newsroom.Unit", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("newsroom.SectionPage", null=True, on_delete=models.SET_NULL, related_name="+")
    event = models.CharField(max_length=16)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["unit", "id"])]
