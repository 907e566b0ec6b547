from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from lxml import html as lxml_html

from tests.helpers import host, make_article, make_author, make_image, path

# Nothing here can differ on PostgreSQL + Redis (feeds rendered from ordinary reads): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch_feed(client, url, unit):
    response = client.get(url, **host(unit))
    assert response.status_code == 200, url
    # Well-formed XML first (lxml is strict), then what a feed reader sees.
    root = etree.fromstring(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, root, feed


def assert_media_content(entry, article):
    media = entry.media_content
    assert len(media) == 1
    url = urlsplit(media[0]["url"])
    assert (url.scheme, url.hostname) == ("http", article.get_site().hostname)
    assert url.path.endswith(".jpg")
    # The URL points at a real rendition file of the cover image.
    assert (Path(settings.MEDIA_ROOT) / url.path.removeprefix(settings.MEDIA_URL)).is_file()
    rendition = article.cover_image.get_rendition("fill-1200x630-c75|format-jpeg")
    assert (int(media[0]["width"]), int(media[0]["height"])) == (rendition.width, rendition.height)
    assert media[0]["medium"] == "image"


def test_unit_rss_feed(client, newsroom):
    finance = newsroom.finance
    response, root, feed = fetch_feed(client, "/rss/", finance.unit)
    assert response["Content-Type"].startswith("application/rss+xml")
    assert (root.tag, root.get("version")) == ("rss", "2.0")
    assert feed.version == "rss20"
    assert feed.feed.title == "Thời báo Tài chính"
    assert feed.feed.link == "http://localhost/"
    # Newest first; the other unit's story is not there.
    assert [e.title for e in feed.entries] == [finance.budget.title, finance.rail.title]
    rail = feed.entries[1]
    assert rail.link == "http://localhost/kinh-te/duong-sat-bac-nam-duoc-phe-duyet-chu-truong-dau-tu/"
    assert rail.summary == finance.rail.sapo
    assert rail.author == "Trần Thị Bình"
    assert rail.published_parsed[:5] == finance.rail.first_published_at.utctimetuple()[:5]
    assert_media_content(rail, finance.rail)
    assert rail.media_credit[0]["content"] == "Ảnh: Minh Đức"


def test_unit_atom_feed(client, newsroom):
    finance = newsroom.finance
    response, root, feed = fetch_feed(client, "/atom/", finance.unit)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert feed.version == "atom10"
    assert feed.feed.title == "Thời báo Tài chính"
    assert feed.feed.author == "Thời báo Tài chính"  # Atom requires one
    assert [e.title for e in feed.entries] == [finance.budget.title, finance.rail.title]
    for entry, article in zip(feed.entries, [finance.budget, finance.rail], strict=True):
        assert entry.link.startswith("http://localhost/")
        assert entry.id == article.full_url
        assert entry.updated_parsed is not None
        assert_media_content(entry, article)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feeds_hold_only_the_sections_live_articles(client, newsroom, kind):
    finance = newsroom.finance
    make_article(finance.economy, title="Đường sắt đô thị: bản nháp", sapo="Chưa duyệt.", publish=False)
    withdrawn = make_article(finance.economy, title="Tin đã gỡ", sapo="Sai số liệu.")
    withdrawn.unpublish()

    _response, _root, feed = fetch_feed(client, f"{path(finance.economy)}{kind}/", finance.unit)
    assert feed.feed.title == "Kinh tế – Thời báo Tài chính"
    assert feed.feed.link == "http://localhost/kinh-te/"
    assert [e.title for e in feed.entries] == [finance.rail.title]


def test_each_unit_has_its_own_feed(client, newsroom):
    province = newsroom.province
    _response, _root, feed = fetch_feed(client, "/rss/", province.unit)
    assert feed.feed.title == "Báo Lâm Đồng"
    assert feed.feed.link == "http://lamdong.localhost/"
    assert [(e.title, e.link) for e in feed.entries] == [(province.bus.title, "http://lamdong.localhost/thoi-su/da-lat-mo-tuyen-xe-buyt-dien-dau-tien/")]
    assert_media_content(feed.entries[0], province.bus)


def test_feed_costs_the_same_queries_however_many_articles(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 0
    economy = newsroom.finance.economy

    def queries():
        client.get("/kinh-te/rss/", **host(newsroom.finance.unit))  # renditions are made once
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/kinh-te/rss/", **host(newsroom.finance.unit)).status_code == 200
        return len(captured)

    before = queries()
    author = make_author("Lê Văn Cường")
    for n in range(5):
        make_article(economy, title=f"Tin kinh tế {n}", authors=[author, newsroom.reporter], cover_image=make_image(size=(320, 180)))
    assert queries() == before


@pytest.mark.parametrize(("page", "feed_path"), [("home", "/"), ("economy", "/kinh-te/")])
def test_home_and_section_pages_advertise_their_feeds(client, newsroom, page, feed_path):
    finance = newsroom.finance
    page_url = path(finance.home if page == "home" else finance.economy)
    response = client.get(page_url, **host(finance.unit))
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    links = {link.get("type"): link.get("href") for link in doc.xpath("//head/link[@rel='alternate']")}
    assert urlsplit(links["application/rss+xml"]).path == f"{feed_path}rss/"
    assert urlsplit(links["application/atom+xml"]).path == f"{feed_path}atom/"
    for href in links.values():
        fetch_feed(client, urlsplit(href).path, finance.unit)


HOSTILE_SAPO = 'Giá vàng <script>alert("sapo")</script><img src=x onerror=alert(1)> & "chứng khoán"'
HOSTILE_TITLE = "Tỷ giá <b onmouseover=alert(2)>hôm nay</b> & ngày mai"
HOSTILE_AUTHOR = "Phạm <script>alert(3)</script> Văn Đông"


def read_as_html(markup):
    """What a feed reader shows for a field it takes as HTML: its elements
    and its visible text."""
    fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
    return [element.tag for element in fragment.iterdescendants()], fragment.text_content()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_markup_typed_into_a_story_stays_text_in_the_feeds(client, newsroom, kind):
    """A sapo, headline, section intro or byline with markup in it reaches
    feed readers as the text the newsroom typed, never as markup that runs."""
    finance = newsroom.finance
    intro = "Kinh tế <script>alert(4)</script>"
    finance.economy.intro = intro
    finance.economy.save_revision().publish()
    make_article(finance.economy, title=HOSTILE_TITLE, sapo=HOSTILE_SAPO, authors=[make_author(HOSTILE_AUTHOR)])

    _, root, feed = fetch_feed(client, f"/kinh-te/{kind}/", finance.unit)
    if kind == "rss":
        # RSS readers take titles and descriptions as HTML.
        channel = root.find("channel")
        item = channel.findall("item")[0]
        html_fields = {
            channel.findtext("title"): "Kinh tế – Thời báo Tài chính",
            channel.findtext("description"): intro,
            item.findtext("title"): HOSTILE_TITLE,
            item.findtext("description"): HOSTILE_SAPO,
        }
        author = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    else:
        entry = root.findall(f"{ATOM}entry")[0]
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        html_fields = {summary.text: HOSTILE_SAPO}
        # Atom's titles are text (no type="html"): as typed.
        assert entry.find(f"{ATOM}title").get("type") in (None, "text")
        assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
        assert root.findtext(f"{ATOM}subtitle") == intro
        author = entry.findtext(f"{ATOM}author/{ATOM}name")

    for markup, typed in html_fields.items():
        elements, text = read_as_html(markup)
        assert elements == [], f"markup in the feed: {markup}"
        assert text == typed
    assert author == HOSTILE_AUTHOR

    # A feed reader (feedparser) shows the typed words: as text, or as HTML
    # with nothing in it to run.
    newest = feed.entries[0]
    for detail, typed in ((newest.title_detail, HOSTILE_TITLE), (newest.summary_detail, HOSTILE_SAPO)):
        if detail.type == "text/html":
            assert read_as_html(detail.value) == ([], typed), detail.value
        else:
            assert detail.value == typed
