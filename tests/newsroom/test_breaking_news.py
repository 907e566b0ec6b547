"""Breaking news (tin nóng): a banner on the unit's home page until the
time the editor set, and the page cache ending with it (the channels and
partners: tests/publishing/test_breaking_news.py)."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers import host, make_article, path

pytestmark = pytest.mark.django_db

BANNER = 'class="wrap breaking"'


def banner_of(response):
    page = response.content.decode()
    if BANNER not in page:
        return None
    start = page.index(BANNER)
    return page[start : page.index("</section>", start)]


def test_the_home_page_carries_the_newest_breaking_story_until_its_time(newsroom):
    finance = newsroom.finance
    now = timezone.now()
    reader = Client()
    assert banner_of(reader.get("/", **host(finance.unit))) is None

    make_article(finance.economy, title="Cháy lớn ở chợ Đồng Xuân", breaking_until=now + timedelta(hours=3))
    newest = make_article(finance.finance, title="Ngân hàng Nhà nước tăng lãi suất điều hành", breaking_until=now + timedelta(hours=1))
    make_article(finance.economy, title="Tin nóng đã hết giờ", breaking_until=now - timedelta(minutes=1))
    make_article(finance.economy, title="Tin nóng còn cấm đăng", breaking_until=now + timedelta(hours=2), embargo_until=now + timedelta(hours=1))
    make_article(finance.economy, title="Bản nháp tin nóng", breaking_until=now + timedelta(hours=2), publish=False)

    banner = banner_of(reader.get("/", **host(finance.unit)))
    assert "Tin nóng" in banner
    assert f'href="{path(newest)}"' in banner and newest.title in banner
    # Another unit's home has its own news.
    assert banner_of(reader.get("/", **host(newsroom.province.unit))) is None


def test_the_cached_home_page_ends_with_the_banner(newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 600
    finance = newsroom.finance
    make_article(finance.economy, title="Bão số 3 đổ bộ Quảng Ninh", breaking_until=timezone.now() + timedelta(seconds=2))
    reader = Client()
    first = reader.get("/", **host(finance.unit))
    assert first["X-Cache"] == "MISS" and banner_of(first) is not None
    again = reader.get("/", **host(finance.unit))
    assert again["X-Cache"] == "HIT" and banner_of(again) is not None
    time.sleep(2.2)
    after = reader.get("/", **host(finance.unit))
    assert after["X-Cache"] == "MISS" and banner_of(after) is None
