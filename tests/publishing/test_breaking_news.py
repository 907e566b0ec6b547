"""Breaking news (tin nóng) as partners and channels get it: ninjs
urgency 1, and the channels' headline marked (the home page's banner:
tests/newsroom/test_breaking_news.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import ninjs
from tests.helpers import make_article
from tests.publishing.social import deliver, newsroom_with_channel, publish_story

pytestmark = pytest.mark.django_db


def test_partners_are_told_it_is_breaking(newsroom):
    finance = newsroom.finance
    breaking = make_article(finance.economy, title="Động đất ở Kon Tum", breaking_until=timezone.now() + timedelta(hours=2))
    ordinary = finance.rail
    documents = {doc["uri"]: doc for doc in ninjs.serialize_many([breaking, ordinary])}
    assert documents[f"urn:hoitu:taichinh:{breaking.pk}"]["urgency"] == 1
    assert "urgency" not in documents[f"urn:hoitu:taichinh:{ordinary.pk}"]


def test_a_breaking_story_reaches_telegram_marked(fake_platforms):
    desk = newsroom_with_channel("telegram", fake_platforms)
    story = publish_story(desk, title="Sạt lở đèo Bảo Lộc", breaking_until=timezone.now() + timedelta(hours=2))
    delivery = deliver(story, desk.channel)
    assert fake_platforms.live_posts("telegram")[delivery.remote_id]["text"].startswith("<b>NÓNG: Sạt lở đèo Bảo Lộc</b>")
    ordinary = publish_story(desk, title="Giá vàng hôm nay")
    delivery = deliver(ordinary, desk.channel)
    assert fake_platforms.live_posts("telegram")[delivery.remote_id]["text"].startswith("<b>Giá vàng hôm nay</b>")
