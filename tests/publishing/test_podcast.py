"""Podcast RSS (/podcast.xml) on each unit's host: the unit's live podcast
stories with their audio as enclosures and the iTunes tags; embargoed,
taken-down and other units' stories left out; an empty unit gets a valid
empty feed."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from tests.helpers import host, make_article, make_author, make_image, make_section, make_unit, paragraph
from tests.publishing.test_ninjs import make_media
from workflows.services import take_down

# Nothing here can differ on PostgreSQL + Redis (a feed rendered): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS = {"itunes": ITUNES}


def episode(section, title, audio, **fields):
    return make_article(
        section,
        title=title,
        sapo=f"Tóm tắt {title}",
        body=[("audio", {"audio": audio, "caption": ""}), paragraph("Nội dung tập.")],
        format="podcast",
        **fields,
    )


@pytest.fixture
def units(db):
    finance, finance_home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    finance.email = "toasoan@taichinh.vn"
    finance.tagline = "Tin tài chính mỗi sáng"
    finance.logo = make_image("Logo", size=(400, 400))
    finance.save()
    province, province_home = make_unit("lamdong", "Báo Lâm Đồng")
    return {
        "finance": finance,
        "finance_section": make_section(finance_home, "Podcast"),
        "province": province,
        "province_section": make_section(province_home, "Phát thanh"),
    }


def fetch(client, unit):
    response = client.get("/podcast.xml", **host(unit))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response


def test_feed_lists_the_units_episodes_with_enclosures_and_itunes_tags(client, units, django_user_model):
    finance, section = units["finance"], units["finance_section"]
    host_name = "http://localhost"
    reporter = make_author("Lê Minh Châu")
    long_audio = make_media("audio", "Bản tin sáng số 12", duration=3723.4)
    short_audio = make_media("audio", "Bản tin tối", duration=95)
    first = episode(section, "Bản tin sáng số 12", long_audio, authors=[reporter], cover_image=make_image("Bìa", size=(600, 600)))
    second = episode(section, "Bản tin tối", short_audio)
    make_article(section, title="Bài thường", format="standard")  # not a podcast
    episode(section, "Tập sắp phát", make_media("audio", "Sắp phát"), embargo_until=timezone.now() + timedelta(days=1))
    gone = episode(section, "Tập bị gỡ", make_media("audio", "Bị gỡ"))
    take_down(gone, django_user_model.objects.create_superuser("tbt", "tbt@example.vn", "pw-test-123"), "Vi phạm bản quyền")
    episode(units["province_section"], "Tập của Lâm Đồng", make_media("audio", "Lâm Đồng"))

    response = fetch(client, finance)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert "Thời báo Tài chính" in feed.feed.title
    assert [entry.title for entry in feed.entries] == ["Bản tin tối", "Bản tin sáng số 12"]

    entry = feed.entries[1]
    enclosure = entry.enclosures[0]
    assert enclosure.href == f"{host_name}{long_audio.file.url}"
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == long_audio.file.size == 2048
    assert entry.itunes_duration == "01:02:03"
    assert entry.author == "Lê Minh Châu"
    assert entry.id == f"urn:hoitu:taichinh:{first.pk}"
    assert entry.link == first.get_full_url()
    assert entry.summary == "Tóm tắt Bản tin sáng số 12"
    assert entry.published_parsed is not None

    tree = etree.fromstring(response.content)
    channel = tree.find("channel")
    assert channel.findtext("itunes:author", namespaces=NS) == "Thời báo Tài chính"
    assert channel.findtext("itunes:summary", namespaces=NS) == "Tin tài chính mỗi sáng"
    assert channel.find("itunes:owner/itunes:email", NS).text == "toasoan@taichinh.vn"
    assert channel.find("itunes:category", NS).get("text") == "News"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    artwork = channel.find("itunes:image", NS).get("href")
    assert artwork.startswith(f"{host_name}/") and artwork.endswith(".jpg")
    items = channel.findall("item")
    assert items[1].find("itunes:image", NS).get("href").startswith(f"{host_name}/")
    assert items[0].findtext("itunes:author", namespaces=NS) == "Thời báo Tài chính"  # no byline: the unit
    assert items[0].findtext("itunes:duration", namespaces=NS) == "00:01:35"
    assert second.title == items[0].findtext("title")


def test_each_unit_gets_its_own_feed(client, units):
    episode(units["province_section"], "Tập của Lâm Đồng", make_media("audio", "Lâm Đồng", duration=60))
    feed = feedparser.parse(fetch(client, units["province"]).content)
    assert [entry.title for entry in feed.entries] == ["Tập của Lâm Đồng"]
    assert feed.entries[0].enclosures[0].href.startswith("http://lamdong.localhost/")
    assert feedparser.parse(fetch(client, units["finance"]).content).entries == []


def test_empty_unit_gets_a_valid_empty_feed(client, units):
    response = fetch(client, units["province"])
    tree = etree.fromstring(response.content)  # well-formed XML
    assert tree.tag == "rss" and tree.get("version") == "2.0"
    assert tree.find("channel/title").text
    assert tree.findall("channel/item") == []
    assert not feedparser.parse(response.content).bozo


def test_query_count_does_not_grow_with_episodes(client, units, django_assert_max_num_queries):
    from django.db import reset_queries

    section = units["finance_section"]
    for n in range(2):
        episode(section, f"Tập {n}", make_media("audio", f"Âm thanh {n}", duration=60), cover_image=make_image(f"Bìa {n}", size=(300, 300)))
    fetch(client, units["finance"])  # makes the artwork renditions once
    reset_queries()
    with django_assert_max_num_queries(30) as few:
        fetch(client, units["finance"])
    few_count = len(few.captured_queries)
    for n in range(2, 8):
        episode(section, f"Tập {n}", make_media("audio", f"Âm thanh {n}", duration=60), cover_image=make_image(f"Bìa {n}", size=(300, 300)))
    fetch(client, units["finance"])
    reset_queries()
    with django_assert_max_num_queries(few_count):
        assert len(feedparser.parse(fetch(client, units["finance"]).content).entries) == 8


def test_markup_typed_into_an_episode_stays_text(client, units):
    """RSS readers take an episode's title and description as HTML, Apple
    reads <itunes:summary> as text: each gets what the newsroom typed, with
    nothing that runs."""
    finance, section = units["finance"], units["finance_section"]
    finance.tagline = "Tin <script>alert(1)</script> mỗi sáng"
    finance.save()
    title = "Bản tin <img src=x onerror=alert(2)> & bình luận"
    sapo = 'Giá xăng <script>alert("3")</script> & "tỷ giá"'
    make_article(section, title=title, sapo=sapo, body=[("audio", {"audio": make_media("audio", "Tập"), "caption": ""})], format="podcast")

    channel = etree.fromstring(fetch(client, finance).content).find("channel")
    item = channel.find("item")
    for markup, typed in ((item.findtext("title"), title), (item.findtext("description"), sapo), (channel.findtext("description"), finance.tagline)):
        fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
        assert list(fragment.iterdescendants()) == [], markup
        assert fragment.text_content() == typed
    assert item.findtext("itunes:summary", namespaces=NS) == sapo
    assert channel.findtext("itunes:summary", namespaces=NS) == finance.tagline
