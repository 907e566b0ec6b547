import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """A reader who asked for a unit's newsletter (double opt-in). ``token``
    is the reader's secret: it signs the confirmation link and is the
    unsubscribe link of every issue, so it never expires."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    # Not content: nothing links to a reader (and Wagtail's reference index
    # would cost queries on every save).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["unit", "email"]
        constraints = [models.UniqueConstraint(fields=["unit", "email"], name="publishing_one_subscription_per_unit")]

    def __str__(self):
        return self.email

    @property
    def active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class IssueState(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # The slot came with no story to send: recorded so it is not due again.
    EMPTY = "empty", _("Nothing to send")
    FAILED = "failed", _("Failed")


class NewsletterIssue(models.Model):
    """One digest of a newsletter channel, for one scheduled time.

    The issue is written (with its stories, and their deliveries marked
    delivered) in one transaction under the channel's row lock; the e-mails
    go out afterwards, in batches of subscribers taken in id order.
    ``cursor`` is the last subscriber handled, so a worker that dies
    mid-send is followed by one that resumes where it stopped instead of
    writing to everybody again; ``lease_until`` keeps two workers off the
    same batch."""

    channel = models.ForeignKey("publishing.Channel", verbose_name=_("channel"), on_delete=models.CASCADE, related_name="newsletter_issues")
    scheduled_for = models.DateTimeField(_("scheduled for"))
    subject = models.CharField(_("subject"), max_length=255)
    state = models.CharField(_("state"), max_length=8, choices=IssueState.choices, default=IssueState.SENDING)
    created_at = models.DateTimeField(_("composed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    stories = models.ManyToManyField("newsroom.ArticlePage", through="NewsletterIssueStory", related_name="+")
    # Subscribers confirmed after the issue was composed wait for the next.
    last_subscriber_id = models.PositiveBigIntegerField(default=0)
    cursor = models.PositiveBigIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    failures = models.PositiveIntegerField(_("addresses refused"), default=0)
    # Batches that could not be sent in a row (mail server down).
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)

    # Saved after every batch: Wagtail's reference index has nothing to learn.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-scheduled_for", "-pk"]
        constraints = [models.UniqueConstraint(fields=["channel", "scheduled_for"], name="publishing_one_issue_per_slot")]
        indexes = [models.Index(fields=["state", "lease_until"])]

    def __str__(self):
        return self.subject or f"{self.channel_id} @ {self.scheduled_for:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("newsletter:issue", args=[self.pk])


class NewsletterIssueStory(models.Model):
    """A story of an issue, in the order the e-mail shows it."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="issue_stories")
    story = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["issue", "position"]
        constraints = [models.UniqueConstraint(fields=["issue", "story"], name="publishing_story_once_per_issue")]
