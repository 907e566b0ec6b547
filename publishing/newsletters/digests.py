"""The scheduled digests of a unit's newsletter channels.

A digest goes out in two steps, so that neither a second beat nor a crash
sends anybody an issue twice:
1. ``compose_issue``, under the channel's row lock, in one transaction:
   the slot is due, the issue row is written with its stories, and those
   stories' deliveries are marked delivered. The unique (channel, slot)
   constraint backs the lock up.
2. ``send_issue``, afterwards and outside any transaction: subscribers in
   id order, one batch at a time under a lease; the issue's ``cursor``
   moves past each subscriber handled. A worker that dies mid-batch is
   followed (next beat) by one that resumes at the cursor, so at most the
   addresses of one interrupted batch can get the issue twice.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from newsroom.models import ArticlePage

from ..engine.channels import disable_channel, notify_delivery_failure
from ..engine.transitions import close, settle_delivered
from ..models import Channel, ChannelCopy, Delivery, DeliveryAction, DeliveryAttempt, DeliveryState
from ..models.newsletters import IssueState, NewsletterIssue, NewsletterIssueStory, Subscriber
from .mail import sender, site_url

logger = logging.getLogger(__name__)

KIND = "newsletter"
S = DeliveryState

# Settings (read when used): NEWSLETTER_BATCH_SIZE, subscribers per batch;
# NEWSLETTER_LEASE_SECONDS, longer than a batch takes to send, after which
# another worker resumes; NEWSLETTER_MAX_BATCH_ATTEMPTS, batches failed in a
# row (mail server down) before the issue is given up.

# Stand-ins replaced per recipient in a digest rendered once per batch.
UNSUBSCRIBE_MARK = "HOITU-UNSUBSCRIBE-URL"
RECIPIENT_MARK = "HOITU-RECIPIENT-EMAIL"


# --- the schedule ---------------------------------------------------------


def latest_slot(send_times, now):
    """The latest scheduled time at or before ``now`` (times of day in
    Asia/Ho_Chi_Minh), or None when there are none."""
    zone = timezone.get_default_timezone()
    local = timezone.localtime(now, zone)
    for day in (local.date(), local.date() - timedelta(days=1)):
        for at in sorted(send_times, reverse=True):
            slot = datetime.combine(day, at, tzinfo=zone)
            if slot <= local:
                return slot
    return None


def send_due_digests(now=None):
    """Run by beat every few minutes: compose the issue of every enabled
    newsletter channel whose scheduled time has come since its last issue,
    then send every issue that still has subscribers to reach (new ones,
    and any a dead worker left half-sent). Returns the issues composed."""
    now = now or timezone.now()
    composed = []
    for channel_pk in Channel.objects.filter(kind=KIND, enabled=True).order_by("pk").values_list("pk", flat=True):
        try:
            issue = compose_issue(channel_pk, now)
        except IntegrityError:
            continue  # another beat composed this slot a moment ago
        except Exception:
            logger.exception("newsletter channel %s: the digest could not be composed", channel_pk)
            continue
        if issue is not None:
            composed.append(issue)
    resume_issues()
    return composed


def resume_issues():
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now())
    for issue_pk in NewsletterIssue.objects.filter(free, state=IssueState.SENDING).order_by("pk").values_list("pk", flat=True):
        send_issue(issue_pk)


@dataclass
class Candidate:
    delivery: Delivery
    post: object


def compose_issue(channel_pk, now):
    """Write the channel's issue for its latest slot, if due, with its
    stories' deliveries marked delivered, in one transaction. Returns the
    issue (state "empty" when there was nothing to send) or None."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update(of=("self",)).select_related("unit__site").filter(pk=channel_pk, kind=KIND, enabled=True).first()
        if channel is None:
            return None
        adapter = channel.get_adapter()
        try:
            send_times = adapter.send_times()
        except ValueError as error:
            disable_channel(channel, _("The newsletter's send times cannot be read: %s") % error)
            return None
        slot = latest_slot(send_times, now)
        last = channel.newsletter_issues.aggregate(last=Max("scheduled_for"))["last"]
        # A new channel starts with the next slot, not one already past.
        since = max(moment for moment in (last, channel.created_at) if moment is not None)
        if slot is None or slot <= since:
            return None
        unit = channel.unit
        with translation.override(unit.language):
            chosen = _choose_stories(channel, adapter, slot, now)
            if not chosen:
                return NewsletterIssue.objects.create(channel=channel, scheduled_for=slot, state=IssueState.EMPTY, sent_at=now)
            subject = _subject(adapter, slot, chosen)
        last_subscriber = Subscriber.objects.filter(unit=unit, confirmed_at__isnull=False, unsubscribed_at__isnull=True).aggregate(last=Max("pk"))["last"]
        issue = NewsletterIssue.objects.create(
            channel=channel, scheduled_for=slot, subject=subject, state=IssueState.SENDING, last_subscriber_id=last_subscriber or 0
        )
        NewsletterIssueStory.objects.bulk_create(
            NewsletterIssueStory(issue=issue, story_id=c.delivery.story_id, position=n) for n, c in enumerate(chosen)
        )
        with translation.override(unit.language):
            note = _(
                "Sent in the newsletter of %(slot)s. An e-mail cannot be recalled: a takedown only removes the story from the issue's web page."
            ) % {"slot": _local(slot)}
        pks = [c.delivery.pk for c in chosen]
        settle_delivered(pks, now, note, remote_url=site_url(unit, issue.get_absolute_url()), remote_data={"issue": issue.pk})
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=pk, operation="digest", started_at=now, finished_at=now, outcome="delivered", error=note) for pk in pks
        )
        Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
        return issue


def _choose_stories(channel, adapter, slot, now):
    """The channel's waiting deliveries whose story may go out now, newest
    first, at most ``max_stories``; the rest are closed with the reason."""
    waiting = list(
        Delivery.objects.select_for_update(of=("self",))
        .filter(channel=channel, state__in=(S.PENDING, S.RETRYING), action=DeliveryAction.PUBLISH)
        .select_related("story")
    )
    copies = {copy.story_id: copy for copy in ChannelCopy.objects.filter(channel=channel, story_id__in=[d.story_id for d in waiting]).select_related("image")}
    eligible = []
    for delivery in waiting:
        story = delivery.story
        if story is None or not story.live:
            close(delivery, S.CANCELLED, _("Not sent: the story is not on the site."))
        elif story.is_embargoed(now):
            continue  # waits for the embargo's end
        elif (delivery.remote_data or {}).get("left_out"):
            # Left out of an earlier issue for newer stories: an update does
            # not make it news again.
            close(delivery, S.CANCELLED, _("Not sent: an earlier newsletter left it out for newer stories."))
        elif delivery.delivered_at is not None:
            # An update or a correction of a story already mailed: the
            # issue's web page shows the story as it is now; nobody gets
            # the same story twice.
            close(delivery, S.DELIVERED, _("Already sent in an earlier newsletter; its web page shows the story as it is now."))
        else:
            eligible.append(delivery)
    eligible.sort(key=lambda d: (d.story.first_published_at or d.created_at, d.pk), reverse=True)
    limit = adapter.max_stories()
    chosen = []
    for delivery in eligible:
        if len(chosen) >= limit:
            close(
                delivery,
                S.CANCELLED,
                _("Not in the newsletter of %(slot)s: an issue takes the %(n)d newest stories.") % {"slot": _local(slot), "n": limit},
                remote_data={"left_out": True},
            )
            continue
        post = adapter.render(delivery.story, copies.get(delivery.story_id))
        refusal = adapter.check(post)
        if refusal:
            close(delivery, S.FAILED, str(refusal))
            continue
        chosen.append(Candidate(delivery, adapter.prepare(post)))
    return chosen


def _subject(adapter, slot, chosen):
    subject = _("%(prefix)s, %(date)s: %(headline)s") % {
        "prefix": adapter.subject_prefix(),
        "date": timezone.localtime(slot).strftime("%d/%m"),
        "headline": chosen[0].post.headline,
    }
    return subject if len(subject) <= 255 else subject[:254] + "…"


def _local(moment):
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")

# --- sending an issue -----------------------------------------------------


@dataclass
class Batch:
    issue: NewsletterIssue
    token: str
    subscribers: list


@dataclass
class BatchResult:
    handled_until: int = 0
    sent: int = 0
    refused: int = 0
    error: str = ""
    # Every story was taken down while the issue was going out.
    nothing_left: bool = False


@dataclass
class Rendered:
    story_ids: tuple = ()
    subject: str = ""
    text: str = ""
    html: str = ""
    extra: dict = field(default_factory=dict)


def send_issue(issue_pk):
    """Send what remains of an issue, batch after batch. Returns the number
    of e-mails sent by this call."""
    sent = 0
    rendered = Rendered()
    while True:
        batch = _claim_batch(issue_pk)
        if batch is None:
            return sent
        result, rendered = _send_batch(batch, rendered)
        _record_batch(batch, result)
        sent += result.sent
        if result.error or result.nothing_left:
            return sent


@transaction.atomic
def _claim_batch(issue_pk):
    now = timezone.now()
    issue = (
        NewsletterIssue.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("channel__unit__site")
        .filter(pk=issue_pk, state=IssueState.SENDING)
        .first()
    )
    if issue is None or (issue.lease_until and issue.lease_until > now):
        return None
    if not issue.channel.enabled:
        return None  # a person stopped the channel: the rest waits for it to be enabled
    subscribers = list(
        Subscriber.objects.filter(
            unit_id=issue.channel.unit_id,
            pk__gt=issue.cursor,
            pk__lte=issue.last_subscriber_id,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
        )
        .order_by("pk")
        .only("pk", "email", "token")[: settings.NEWSLETTER_BATCH_SIZE]
    )
    if not subscribers:
        _finish(issue, now)
        return None
    issue.claim_token = uuid.uuid4().hex
    issue.lease_until = now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    issue.save(update_fields=["claim_token", "lease_until"])
    return Batch(issue, issue.claim_token, subscribers)


def _finish(issue, now, error=""):
    issue.state = IssueState.SENT
    issue.sent_at = now
    issue.claim_token, issue.lease_until = "", None
    issue.error = error or issue.error
    issue.save(update_fields=["state", "sent_at", "claim_token", "lease_until", "error"])


def issue_stories(issue, now=None):
    """The issue's stories readers may still see, in the issue's order: a
    story taken down (or put under embargo) since is left out."""
    now = now or timezone.now()
    ids = list(issue.issue_stories.order_by("position").values_list("story_id", flat=True))
    live = {
        story.pk: story
        for story in ArticlePage.objects.filter(pk__in=ids, live=True).exclude(embargo_until__gt=now).select_related("cover_image", "og_image")
    }
    return [live[pk] for pk in ids if pk in live], len(ids)


def _render_issue(issue):
    """The digest's subject, text and HTML with stand-ins for what differs
    per recipient (rendered once per batch, not once per reader)."""
    channel = issue.channel
    unit = channel.unit
    adapter = channel.get_adapter()
    stories, _total = issue_stories(issue)
    copies = {copy.story_id: copy for copy in ChannelCopy.objects.filter(channel=channel, story__in=stories).select_related("image")}
    with translation.override(unit.language):
        items = [adapter.prepare(adapter.render(story, copies.get(story.pk))) for story in stories]
        context = {
            "unit": unit,
            "issue": issue,
            "items": items,
            "issue_url": site_url(unit, issue.get_absolute_url()),
            "site_url": site_url(unit, "/"),
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "recipient": RECIPIENT_MARK,
            "date": timezone.localtime(issue.scheduled_for),
        }
        text = render_to_string("publishing/newsletter/email/digest.txt", context)
        html = render_to_string("publishing/newsletter/email/digest.html", context)
    return Rendered(tuple(s.pk for s in stories), issue.subject, text, html)


def _send_batch(batch, rendered):
    issue = batch.issue
    result = BatchResult(handled_until=issue.cursor)
    try:
        ids = issue.issue_stories.values_list("story_id", flat=True)
        live_ids = set(ArticlePage.objects.filter(pk__in=ids, live=True).exclude(embargo_until__gt=timezone.now()).values_list("pk", flat=True))
        if not live_ids:
            result.nothing_left = True
            return result, rendered
        if set(rendered.story_ids) != live_ids:
            rendered = _render_issue(issue)
    except Exception as error:
        logger.exception("newsletter issue %s could not be rendered", issue.pk)
        result.error = _("The newsletter could not be prepared: %s") % error.__class__.__name__
        return result, rendered
    unit = issue.channel.unit
    list_id = f"<{unit.slug}.newsletter.{unit.site.hostname}>"
    try:
        with get_connection(fail_silently=False) as connection:
            for subscriber in batch.subscribers:
                unsubscribe_url = site_url(unit, reverse("newsletter:unsubscribe", args=[subscriber.token]))
                headers = {
                    # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe.
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "List-Id": list_id,
                    "Precedence": "bulk",
                }
                message = EmailMultiAlternatives(
                    rendered.subject,
                    rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(RECIPIENT_MARK, subscriber.email),
                    sender(unit),
                    [subscriber.email],
                    headers=headers,
                    reply_to=[unit.email] if unit.email else None,
                    connection=connection,
                )
                message.attach_alternative(
                    rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(RECIPIENT_MARK, escape(subscriber.email)), "text/html"
                )
                try:
                    message.send()
                except smtplib.SMTPRecipientsRefused:
                    result.refused += 1  # this address only; go on
                else:
                    result.sent += 1
                result.handled_until = subscriber.pk
    except Exception as error:  # the mail server: stop here, the next beat resumes at the cursor
        logger.warning("newsletter issue %s: sending stopped (%s)", issue.pk, error.__class__.__name__)
        result.error = _("The mail server failed: %s") % (str(error)[:300] or error.__class__.__name__)
    return result, rendered


@transaction.atomic
def _record_batch(batch, result):
    now = timezone.now()
    issue = NewsletterIssue.objects.select_for_update().get(pk=batch.issue.pk)
    if issue.claim_token != batch.token:
        logger.warning("newsletter issue %s: outcome of an expired claim ignored", issue.pk)
        return issue
    issue.cursor = max(issue.cursor, result.handled_until)
    issue.recipients += result.sent
    issue.failures += result.refused
    issue.claim_token, issue.lease_until = "", None
    if result.nothing_left:
        _finish(issue, now, _("Every story of this issue was taken down while it was being sent; the rest of the subscribers were not sent it."))
        return issue
    if result.error:
        issue.attempts += 1
        issue.error = result.error
        if issue.attempts >= settings.NEWSLETTER_MAX_BATCH_ATTEMPTS:
            issue.state = IssueState.FAILED
            issue.error = _("Gave up after %(n)d attempts: %(error)s") % {"n": issue.attempts, "error": result.error}
            notify_delivery_failure(issue.channel, f"“{issue.subject}”", issue.error, reverse("newsletter_issues:index"))
    else:
        issue.attempts = 0
        issue.error = ""
    issue.save()
    return issue
