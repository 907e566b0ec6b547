import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """A reader who asked for a unit's newsletter (double opt-in)."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [models.UniqueConstraint(fields=["unit", "email"], name="publishing_one_subscription_per_unit")]

    def __str__(self):
        return self.email

    @property
    def active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NewsletterIssue(models.Model):
    """One digest sent by a newsletter channel."""

    channel = models.ForeignKey("publishing.Channel", on_delete=models.CASCADE, related_name="newsletter_issues")
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    stories = models.ManyToManyField("newsroom.ArticlePage", related_name="+")

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-sent_at"]
