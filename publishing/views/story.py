"""Where a story went: its deliveries as the editor's status panel shows
them, and the JSON the panel polls while a publish is under way."""

import logging

from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from newsroom.models import ArticlePage, Unit
from workflows.middleware import answers_json
from workflows.sessions import background_request

from ..adapters import registry
from ..models import ChannelCopy, Delivery, DeliveryAction
from ..permissions import user_can_view_deliveries

logger = logging.getLogger(__name__)

# Poll again after this many milliseconds while a delivery is open.
POLL_INTERVAL_MS = 2000


def delivery_rows(story_id):
    """The story's deliveries, one dict each, in channel order."""
    labels = dict(registry.choices())
    rows = []
    deliveries = Delivery.objects.filter(story_id=story_id).select_related("channel").order_by("channel__name", "pk")
    for delivery in deliveries:
        rows.append(
            {
                "id": delivery.pk,
                "channel": {
                    "id": delivery.channel_id, "name": delivery.channel.name,
                    "platform": str(labels.get(delivery.channel.kind, delivery.channel.kind)),
                },
                "state": delivery.state,
                "state_label": str(delivery.get_state_display()),
                "removal": delivery.action == DeliveryAction.REMOVE,
                "open": delivery.is_open,
                "attempts": delivery.total_attempts,
                "error": delivery.error,
                "remote_url": delivery.remote_url,
                "updated_at": delivery.updated_at.isoformat(),
            }
        )
    return rows


def refusals(story, channels):
    """{channel pk: why the story cannot go there} for the story as saved,
    from each platform's own ``check``."""
    copies = {copy.channel_id: copy for copy in ChannelCopy.objects.filter(story_id=story.pk).select_related("image")} if story.pk else {}
    found = {}
    for channel in channels:
        try:
            adapter = channel.get_adapter()
            reason = adapter.check(adapter.render(story, copies.get(channel.pk)))
        except Exception as error:  # a story the adapter cannot render at all: say so, never break the editor
            logger.warning("channel %s: cannot render story %s (%s)", channel.pk, story.pk, error.__class__.__name__)
            reason = _("This story cannot be prepared for this channel.")
        if reason:
            found[channel.pk] = str(reason)
    return found


# Polled while the editor is open: not a sign of someone at work.
@background_request
@answers_json
def story_deliveries(request, page_id):
    story = ArticlePage.objects.filter(pk=page_id).first()
    if story is None:
        return JsonResponse({"error": _("No such story.")}, status=404)
    unit = Unit.objects.for_page(story)
    if not user_can_view_deliveries(request.user, unit):
        return JsonResponse({"error": _("You may not see where this story was sent.")}, status=403)
    rows = delivery_rows(story.pk)
    return JsonResponse(
        {
            "story": story.pk,
            "open": any(row["open"] for row in rows),
            "poll_interval_ms": POLL_INTERVAL_MS,
            "deliveries": rows,
        }
    )


urlpatterns = [
    path("<int:page_id>/deliveries/", story_deliveries, name="deliveries"),
]
