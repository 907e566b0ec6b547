"""The channel deliveries that carried an archive item (the stories that
show it, sent to a channel), on its page (assets.usage): those of the
person's own units' channels."""

from django.utils.translation import gettext_lazy

from assets.usage import Use
from newsroom.archive_usage import stories_using
from workflows.membership import units_for

from .models import Delivery


def delivery_uses(item, user):
    units = [unit.pk for unit in units_for(user)]
    deliveries = (
        Delivery.objects.filter(story__in=stories_using(item), channel__unit__in=units)
        .select_related("channel", "story")
        .order_by("-pk")[:50]
    )
    return [
        Use(delivery.story.title if delivery.story else "", f"{delivery.channel.name} · {delivery.get_state_display()}", delivery.remote_url or "")
        for delivery in deliveries
    ]


delivery_uses.heading = gettext_lazy("Sent to channels")
