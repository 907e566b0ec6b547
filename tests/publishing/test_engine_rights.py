"""A live story that shows an archive item whose licence has since ended
(or whose embargo came back) is not sent to a channel: the delivery fails
with the reason, for the unit's publishers to see, and nothing reaches the
platform; once the item is renewed, Retry sends it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assets.models import ArchiveImage
from publishing import services
from publishing.engine.actions import retry_delivery
from publishing.models import Delivery, DeliveryState
from tests.publishing.conftest import make_channel
from tests.publishing.test_engine import creates
from tests.publishing.worker import build_desk, publish_story
from tests.shared import built_once

pytestmark = pytest.mark.django_db

_module_desk = built_once("desk", build_desk)


@pytest.fixture
def desk(db, _module_desk, shared_data):
    return shared_data(_module_desk, build_desk)


def test_a_delivery_of_a_story_whose_picture_ran_out_of_rights_fails_with_the_reason(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy, cover=desk.cover)
    delivery = Delivery.objects.get(story=story, channel=channel)
    ArchiveImage.objects.filter(pk=desk.cover.pk).update(license_expires_on=timezone.localdate() - timedelta(days=1))

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert desk.cover.title in delivery.error
    assert creates(fake_platforms) == []

    ArchiveImage.objects.filter(pk=desk.cover.pk).update(license_expires_on=timezone.localdate() + timedelta(days=365))
    retry_delivery(delivery, desk.publisher)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(creates(fake_platforms)) == 1
