"""The public site as a reader (and a crawler) sees it: every article format,
the listings, search, error pages and the SQL each article page costs."""

import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext, ngettext, override
from lxml import etree, html
from taggit.models import Tag
from wagtail.embeds.blocks import EmbedValue

from assets.services import generate_renditions
from newsroom.models import ArticleAuthor, ArticlePage
from newsroom.models.pages import LISTING_PAGE_SIZE
from tests.helpers import image_block, make_article, make_author, make_image, make_media, make_section, make_unit, paragraph
from tests.shared import built_once

HOST = {"HTTP_HOST": "localhost"}
# 2026-03-01 01:30 UTC is 08:30 in Hà Nội.
PUBLISHED_UTC = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
# What an article page may cost, however long its body (measured: 27 on
# SQLite and PostgreSQL). Site, unit and Wagtail's routing down the tree;
# one query per kind of chooser block (images, gallery images, videos,
# audio), posters and every body rendition at once; tags, authors, cover;
# related stories with their sections and covers; the section menu; the
# unit's switch of readers' comments (closed here: their own tests hold the
# open page's cost).
ARTICLE_QUERY_BUDGET = 27


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Every request must really render the page (and run its queries).
    settings.PAGE_CACHE_SECONDS = 0


def build_unit_home():
    unit, home = make_unit(default=True)
    unit.press_license = "Giấy phép số 123/GP-BTTTT"
    unit.editor_in_chief = "Lê Văn Tổng"
    unit.email = "toasoan@example.vn"
    unit.facebook_url = "https://facebook.com/thoibaotaichinh"
    unit.save()
    return unit, home


def build_economy(unit_home):
    return make_section(unit_home[1], "Kinh tế", intro="Tin kinh tế vĩ mô, đầu tư, hạ tầng.")


_module_unit_home = built_once("unit_home", build_unit_home)
_module_economy = built_once("economy", build_economy, "unit_home")


@pytest.fixture
def unit_home(db, _module_unit_home, shared_data):
    return shared_data(_module_unit_home, build_unit_home)


@pytest.fixture
def economy(unit_home, _module_economy, shared_data):
    return shared_data(_module_economy, build_economy, unit_home)


def vi(message):
    """``message`` as a Vietnamese reader sees it (the catalogue may still lack it)."""
    with override("vi"):
        return gettext(message)


def get(client, url, status=200):
    response = client.get(url, **HOST)
    assert response.status_code == status, (url, response.status_code)
    return response


def tree(response):
    return html.fromstring(response.content.decode())


def text_of(node):
    return " ".join(node.text_content().split())


def set_published(article, when=PUBLISHED_UTC):
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when, last_published_at=when)


def chart_block(title="Thu ngân sách", data="Năm,Thu (nghìn tỷ)\n2024,1700\n2025,1950\n2026,2100", source="Bộ Tài chính"):
    return ("chart", {"title": title, "chart_type": "bar", "data": data, "source": source})


def gallery_block(images, title="Một ngày ở công trường"):
    return ("gallery", {"title": title, "images": [{"image": image, "caption": ""} for image in images]})


# --- Article pages --------------------------------------------------------


@pytest.fixture
def rail_story(unit_home, economy):
    reporter = make_author("Trần Thị Bình", job_title="Phóng viên")
    editor = make_author("Phạm Quốc Huy")
    cover = make_image("Đoàn tàu", size=(1400, 788), caption="Đoàn tàu Thống Nhất qua đèo Hải Vân", credit="Minh Đức", rendered=True)
    site_photo = make_image("Công trường", size=(1400, 788), caption="Công trường ga Ngọc Hồi", credit="TTXVN", rendered=True)
    older = make_article(economy, title="Hà Nội khởi công ga Ngọc Hồi", sapo="Ga trung tâm của tuyến tốc độ cao.", tags=["đường sắt"])
    body = [
        paragraph("Tuyến đường sắt tốc độ cao đi qua 20 tỉnh, thành phố."),
        ("heading", {"text": "Vốn đầu tư 67 tỷ USD", "level": "h2"}),
        image_block(site_photo),  # caption and credit come from the archive
        gallery_block([make_image(f"Ảnh {n}", size=(700, 394), caption=f"Khung cảnh số {n}", rendered=True) for n in range(1, 4)]),
        ("quote", {"text": "Đây là dự án của thế kỷ.", "attribution": "Bộ trưởng Giao thông"}),
        ("fact_box", {"title": "Những con số", "body": "<p>Dài 1.541 km, 23 ga hành khách.</p>"}),
        (
            "table",
            {
                "caption": "Các giai đoạn",
                "table": {"data": [["Giai đoạn", "Năm"], ["Khởi công", "2027"], ["Hoàn thành", "2035"]], "first_row_is_table_header": True},
            },
        ),
        ("related", {"title": "Đọc thêm", "articles": [older]}),
        chart_block(),
        # No oEmbed provider knows this address: the reader still gets a link.
        ("embed", {"embed": EmbedValue("https://video.example.invalid/tau-cao-toc"), "caption": "Mô phỏng tuyến tàu"}),
    ]
    article = make_article(
        economy,
        title="Đường sắt Bắc–Nam được phê duyệt chủ trương đầu tư",
        kicker="Hạ tầng",
        sapo="Quốc hội thông qua chủ trương đầu tư tuyến đường sắt tốc độ cao dài 1.541 km.",
        og_title="Chính thức có đường sắt tốc độ cao Bắc–Nam",
        og_description="Tuyến dài 1.541 km, vốn 67 tỷ USD.",
        body=body,
        cover_image=cover,
        authors=[reporter, editor],
        tags=["đường sắt", "Quốc hội"],
    )
    # The byline order editors set in the admin (the builder leaves it unset).
    for order, author in enumerate([reporter, editor]):
        ArticleAuthor.objects.filter(article=article, author=author).update(sort_order=order)
    set_published(article)
    return article


@pytest.mark.django_db
def test_standard_article_shows_headline_byline_time_tags_body_and_related(client, rail_story):
    response = get(client, rail_story.url)
    assert "newsroom/article/standard.html" in [t.name for t in response.templates]
    doc = tree(response)
    assert doc.get("lang") == "vi"
    article = doc.cssselect("main article")[0]
    assert text_of(article.cssselect("h1")[0]) == "Đường sắt Bắc–Nam được phê duyệt chủ trương đầu tư"
    assert text_of(article.cssselect(".article__kicker")[0]) == "Hạ tầng"
    assert "tốc độ cao dài 1.541 km" in text_of(article.cssselect(".article__sapo")[0])

    byline = [(a.text, a.get("href")) for a in article.cssselect(".byline__authors a")]
    assert byline == [("Trần Thị Bình", "/tac-gia/tran-thi-binh/"), ("Phạm Quốc Huy", "/tac-gia/pham-quoc-huy/")]
    published = article.cssselect(".byline time")[0]
    assert published.get("datetime") == "2026-03-01T08:30:00+07:00"
    assert published.text == "08:30, 01/03/2026"
    with override("vi"):
        reading = ngettext("%(minutes)s minute read", "%(minutes)s minutes read", 1) % {"minutes": 1}
    assert text_of(article.cssselect(".byline__reading")[0]) == reading

    tags = {a.text: a.get("href") for a in article.cssselect(".tags a")}
    assert tags == {tag.name: f"/tag/{quote(tag.slug)}/" for tag in Tag.objects.filter(name__in=["đường sắt", "Quốc hội"])}
    assert text_of(tree(get(client, tags["Quốc hội"])).cssselect("h1")[0]) == "Quốc hội"

    # Body: every block is there, in order.
    body = article.cssselect(".article__body")[0]
    assert "đi qua 20 tỉnh" in text_of(body)
    assert text_of(body.cssselect("h2.body-heading")[0]) == "Vốn đầu tư 67 tỷ USD"
    figure = body.cssselect("figure.figure")[0]
    assert "Công trường ga Ngọc Hồi" in text_of(figure.cssselect("figcaption")[0])
    assert "TTXVN" in text_of(figure.cssselect(".credit")[0])
    assert figure.cssselect("img")[0].get("alt") == "Công trường ga Ngọc Hồi"
    gallery = body.cssselect("figure.gallery")[0]
    assert len(gallery.cssselect(".gallery__item picture")) == 3
    assert "1/3" in text_of(gallery) and "Khung cảnh số 3" in text_of(gallery)
    assert "Đây là dự án của thế kỷ." in text_of(body.cssselect(".quote blockquote")[0])
    assert "Bộ trưởng Giao thông" in text_of(body.cssselect(".quote figcaption")[0])
    assert "23 ga hành khách" in text_of(body.cssselect(".fact-box")[0])
    table = body.cssselect(".table-block")[0]
    assert text_of(table.cssselect("figcaption")[0]) == "Các giai đoạn"
    assert [text_of(th) for th in table.cssselect("thead th")] == ["Giai đoạn", "Năm"]
    assert table.cssselect(".table-scroll")[0].get("tabindex") == "0"
    inline_related = body.cssselect(".related-inline a")[0]
    assert inline_related.text == "Hà Nội khởi công ga Ngọc Hồi"

    chart = body.cssselect("figure.chart")[0]
    svg = chart.cssselect("svg")[0]
    assert svg.get("role") == "img" and svg.get("aria-label") == "Thu ngân sách"
    assert len(svg.cssselect("rect[height]")) >= 3
    rows = [[text_of(c) for c in tr] for tr in chart.cssselect("details tbody tr")]
    assert rows == [["2024", "1.700"], ["2025", "1.950"], ["2026", "2.100"]]
    assert "Bộ Tài chính" in text_of(chart.cssselect(".chart__source")[0])
    embed = body.cssselect("figure.embed")[0]
    assert embed.cssselect("a")[0].get("href") == "https://video.example.invalid/tau-cao-toc"
    assert text_of(embed.cssselect("figcaption")[0]) == "Mô phỏng tuyến tàu"

    related = doc.cssselect("aside.related")[0]
    assert [text_of(a) for a in related.cssselect(".card__title a")] == ["Hà Nội khởi công ga Ngọc Hồi"]


@pytest.mark.django_db
def test_article_social_tags_canonical_and_json_ld(client, rail_story):
    doc = tree(get(client, rail_story.url))

    def meta(key):
        found = doc.cssselect(f'meta[property="{key}"]') or doc.cssselect(f'meta[name="{key}"]')
        return [m.get("content") for m in found]

    canonical = "http://localhost/kinh-te/duong-sat-bac-nam-duoc-phe-duyet-chu-truong-dau-tu/"
    assert doc.cssselect('link[rel="canonical"]')[0].get("href") == canonical
    assert meta("og:type") == ["article"]
    assert meta("og:title") == ["Chính thức có đường sắt tốc độ cao Bắc–Nam"]
    assert meta("og:description") == ["Tuyến dài 1.541 km, vốn 67 tỷ USD."]
    assert meta("og:url") == [canonical]
    assert meta("og:site_name") == ["Thời báo Tài chính"]
    [og_image] = meta("og:image")
    assert og_image.startswith("http://localhost/") and og_image.endswith(".jpg")
    assert meta("twitter:card") == ["summary_large_image"]
    assert meta("twitter:image") == [og_image]
    assert meta("article:published_time") == ["2026-03-01T08:30:00+07:00"]
    assert meta("article:section") == ["Kinh tế"]
    assert sorted(meta("article:tag")) == ["Quốc hội", "đường sắt"]

    [script] = doc.cssselect('script[type="application/ld+json"]')
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Đường sắt Bắc–Nam được phê duyệt chủ trương đầu tư"
    assert data["datePublished"].startswith("2026-03-01T")
    assert datetime.fromisoformat(data["datePublished"]) == PUBLISHED_UTC
    assert [a["name"] for a in data["author"]] == ["Trần Thị Bình", "Phạm Quốc Huy"]
    assert data["image"] == [og_image]
    assert data["mainEntityOfPage"] == canonical


@pytest.mark.django_db
def test_pictures_offer_avif_webp_and_jpeg_at_two_widths(client, rail_story):
    doc = tree(get(client, rail_story.url))
    cover = doc.cssselect(".article__cover picture")[0]
    sources = {s.get("type"): s.get("srcset") for s in cover.cssselect("source")}
    assert set(sources) == {"image/avif", "image/webp"}
    for srcset in sources.values():
        widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
        assert widths == ["800w", "1280w"]
    img = cover.cssselect("img")[0]
    assert img.get("src").endswith(".jpg") and "1280w" in img.get("srcset")
    assert img.get("width") == "800" and img.get("height") == "450"
    assert img.get("alt") == "Đoàn tàu Thống Nhất qua đèo Hải Vân"
    # Body pictures keep their proportions (width-based, not cropped).
    body_img = doc.cssselect(".article__body figure.figure img")[0]
    assert "1280w" in body_img.get("srcset") and body_img.get("height") == "360"
    # Every picture on the page, cards included, has a text alternative.
    assert all(img.get("alt") is not None for img in doc.cssselect("img"))


@pytest.mark.django_db
def test_a_pictures_sizes_are_offered_narrowest_first_whatever_order_they_were_made(client, rail_story):
    """The database gives rows in no promised order (PostgreSQL moves them
    as it likes): made again after the wider ones, the narrow renditions
    are still offered first, and the <img> falls back on the narrowest."""
    cover = rail_story.cover_image
    narrow = list(cover.renditions.filter(width=800))
    assert narrow
    for rendition in narrow:
        rendition.delete()
        rendition.pk = None
        rendition.save()
    cover.get_rendition_model().cache_backend.clear()
    picture = tree(get(client, rail_story.url)).cssselect(".article__cover picture")[0]
    for source in picture.cssselect("source"):
        assert [candidate.split()[-1] for candidate in source.get("srcset").split(", ")] == ["800w", "1280w"]
    assert picture.cssselect("img")[0].get("width") == "800"


@pytest.fixture
def media_kit(db):
    poster = make_image("Khung hình", size=(1400, 788), rendered=True)
    return {
        "video": make_media("video", "Phóng sự đường sắt", poster=poster, duration=185, width=1280, height=720, credit="VTV"),
        "audio": make_media("audio", "Bản tin sáng", duration=725, transcript="Xin chào quý vị."),
        "images": [make_image(f"Ảnh phóng sự {n}", size=(700, 394), caption=f"Cảnh {n}", rendered=True) for n in range(1, 4)],
        "cover": make_image("Bìa", size=(1400, 788), rendered=True),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["standard", "longform", "photo", "video", "podcast", "infographic"])
def test_every_format_is_laid_out_for_what_it_is(client, economy, media_kit, fmt):
    body = [
        paragraph("Mở đầu câu chuyện."),
        ("video", {"video": media_kit["video"], "caption": ""}),
        ("audio", {"audio": media_kit["audio"], "caption": ""}),
        gallery_block(media_kit["images"]),
        chart_block(),
    ]
    article = make_article(economy, title=f"Bài {fmt}", format=fmt, body=body, cover_image=media_kit["cover"], authors=[make_author()])
    response = get(client, article.url)
    assert f"newsroom/article/{fmt}.html" in [t.name for t in response.templates]
    doc = tree(response)
    page = doc.cssselect("article.article")[0]
    assert page.get("class") == f"article article--{fmt}"
    assert text_of(page.cssselect("h1")[0]) == f"Bài {fmt}"
    assert page.cssselect(".byline__authors a")

    # Every medium is on the page exactly once, whichever leads.
    videos = page.cssselect("video")
    assert len(videos) == 1
    assert videos[0].get("preload") == "metadata" and videos[0].get("controls") is not None
    assert videos[0].get("poster").endswith(".jpg")
    assert videos[0].cssselect("source")[0].get("type") == "video/mp4"
    assert "3:05" in text_of(videos[0].getparent())
    audios = page.cssselect("audio")
    assert len(audios) == 1 and audios[0].cssselect("source")[0].get("type") == "audio/mpeg"
    assert "12:05" in text_of(audios[0].getparent())
    assert len(page.cssselect("figure.gallery")) == 1
    assert len(page.cssselect("figure.chart svg")) == 1

    lead = page.cssselect(".article__lead-media, .article__cover, .hero")
    first_medium = lead[0] if lead else None
    if fmt == "video":
        assert first_medium.cssselect("video"), "the video plays under the headline"
    elif fmt == "podcast":
        assert first_medium.cssselect("audio") and first_medium.cssselect(".podcast-player__art picture")
    elif fmt == "photo":
        assert first_medium.cssselect("figure.gallery"), "the photo story opens with its gallery"
    elif fmt == "longform":
        assert first_medium.get("class") == "hero"
        # The full-bleed cover comes before the headline.
        assert page.index(first_medium) < page.index(page.cssselect(".article__header")[0])
    else:
        assert "article__cover" in first_medium.get("class")
    if fmt in ("video", "podcast", "photo"):
        # The lead medium is not repeated in the body below.
        lead_kind = {"video": "video", "podcast": "audio", "photo": "figure.gallery"}[fmt]
        assert not page.cssselect(f".article__body {lead_kind}")


@pytest.mark.django_db
def test_broken_chart_data_shows_nothing_broken(client, economy):
    article = make_article(economy, body=[paragraph("Số liệu đang cập nhật."), chart_block()])
    # Stored CSV that no longer parses (edited in the database, say).
    raw = article.body.raw_data
    raw[1]["value"]["data"] = "chỉ một dòng"
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(list(raw)))
    doc = tree(get(client, article.url))
    assert "Số liệu đang cập nhật." in text_of(doc.cssselect(".article__body")[0])
    assert not doc.cssselect(".chart") and not doc.cssselect(".article__body svg")


# --- Query budget ---------------------------------------------------------


def warm_query_count(client, url):
    """Queries of a second view of ``url`` (renditions are made on the first)."""
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return len(queries)



@pytest.mark.django_db
def test_article_costs_the_same_queries_however_long_its_body(client, economy, media_kit):
    """Each kind of block costs a fixed number of queries (its objects are
    loaded in bulk, renditions prefetched at once); so two bodies with the
    same kinds of block cost the same, however many blocks and pictures."""

    def images(n, prefix):
        return [make_image(f"{prefix} {i}", size=(700, 394), rendered=True) for i in range(n)]

    def video(title):
        return ("video", {"video": make_media("video", title, poster=make_image(f"Poster {title}", size=(700, 394), rendered=True)), "caption": ""})

    author = make_author()
    short_body = [paragraph("Một."), *[image_block(i) for i in images(2, "ngắn")], gallery_block(images(1, "album")), video("Phim 1")]
    short_body += [("audio", {"audio": media_kit["audio"], "caption": ""})]
    short = make_article(economy, title="Bài ngắn", body=short_body, cover_image=media_kit["cover"], authors=[author], tags=["đường sắt"])
    long_body = [paragraph("Hai.")]
    long_body += [image_block(i, layout="wide") for i in images(8, "dài")]
    long_body += [gallery_block(images(3, "album a")), gallery_block(images(3, "album b")), video("Phim 2"), video("Phim 3")]
    long_body += [("audio", {"audio": media_kit["audio"], "caption": ""}), chart_block(), paragraph("Hết.")]
    long = make_article(economy, title="Bài dài", body=long_body, cover_image=media_kit["cover"], authors=[author], tags=["đường sắt"])

    short_count = warm_query_count(client, short.url)
    long_count = warm_query_count(client, long.url)
    assert long_count == short_count
    assert long_count <= ARTICLE_QUERY_BUDGET
    doc = tree(get(client, long.url))
    assert len(doc.cssselect(".article__body picture")) == 8 + 6
    assert len(doc.cssselect(".article__body video[poster]")) == 2


# --- Listings -------------------------------------------------------------


@pytest.mark.django_db
def test_home_has_lead_top_stories_section_blocks_and_feeds(client, unit_home, economy):
    unit, home = unit_home
    unit.logo = make_image("Logo", size=(400, 100))
    generate_renditions(unit.logo.pk, ["height-96"])  # what the media worker makes once the header asked for it
    unit.save()
    finance = make_section(home, "Tài chính")
    make_section(home, "Thể thao")  # no stories: no block on the home page
    stories = []
    for n in range(1, 10):
        cover = make_image(f"Ảnh {n}", size=(700, 394), rendered=True)
        stories.append(make_article(economy if n % 2 else finance, title=f"Tin số {n}", sapo=f"Tóm tắt tin số {n}.", cover_image=cover))
        set_published(stories[-1], PUBLISHED_UTC.replace(hour=n))

    response = get(client, "/")
    assert "newsroom/home_page.html" in [t.name for t in response.templates]
    doc = tree(response)
    assert text_of(doc.cssselect("h1")[0]) == "Thời báo Tài chính"
    logo = doc.cssselect("header a.brand img")[0]
    assert (logo.get("alt"), logo.get("width"), logo.get("height")) == ("Thời báo Tài chính", "192", "48")
    lead = doc.cssselect(".front__lead .card")[0]
    assert text_of(lead.cssselect(".card__title")[0]) == "Tin số 9"
    assert "Tóm tắt tin số 9." in text_of(lead)
    top = [text_of(t) for t in doc.cssselect(".front__top .card__title")]
    assert top == [f"Tin số {n}" for n in range(8, 2, -1)]  # top_story_count = 6
    blocks = {text_of(s.cssselect("h2")[0]): [text_of(t) for t in s.cssselect(".card__title")] for s in doc.cssselect(".section-block")}
    # Stories already shown above are not repeated in the section blocks.
    assert blocks == {"Kinh tế": ["Tin số 1"], "Tài chính": ["Tin số 2"]}

    nav = [text_of(a) for a in doc.cssselect(".site-nav a")]
    assert nav == [vi("Home"), "Kinh tế", "Tài chính", "Thể thao"]
    assert doc.cssselect(".site-nav a")[0].get("aria-current") == "page"
    assert doc.cssselect('.skip-link[href="#main"]') and doc.cssselect("main#main")
    footer = text_of(doc.cssselect("footer.site-footer")[0])
    assert "Giấy phép số 123/GP-BTTTT" in footer and "Lê Văn Tổng" in footer and "toasoan@example.vn" in footer
    assert doc.cssselect('footer a[href="https://facebook.com/thoibaotaichinh"]')

    feeds = {link.get("type"): link.get("href") for link in doc.cssselect('link[rel="alternate"]')}
    assert feeds == {"application/rss+xml": "/rss/", "application/atom+xml": "/atom/"}
    assert b"<rss" in get(client, feeds["application/rss+xml"]).content
    assert b"<feed" in get(client, feeds["application/atom+xml"]).content


@pytest.mark.django_db
def test_empty_home_and_section_say_so(client, unit_home):
    assert text_of(tree(get(client, "/")).cssselect(".empty-state h2")[0]) == vi("No stories yet")
    sport = make_section(unit_home[1], "Thể thao")
    doc = tree(get(client, sport.url))
    assert doc.cssselect(".empty-state a[href='/']"), "the empty section points readers back to the front page"
    assert not doc.cssselect(".story-list")


@pytest.mark.django_db
def test_section_lists_newest_first_with_pagination(client, economy):
    for n in range(LISTING_PAGE_SIZE + 3):
        set_published(make_article(economy, title=f"Bài số {n:02d}"), PUBLISHED_UTC.replace(minute=n))
    first = tree(get(client, economy.url))
    assert text_of(first.cssselect("h1")[0]) == "Kinh tế"
    titles = [text_of(t) for t in first.cssselect(".story-list .card__title")]
    assert len(titles) == LISTING_PAGE_SIZE and titles[0] == f"Bài số {LISTING_PAGE_SIZE + 2:02d}"
    assert first.cssselect('a[rel="next"]')[0].get("href") == "/kinh-te/?page=2"
    feeds = {link.get("type"): link.get("href") for link in first.cssselect('link[rel="alternate"]')}
    assert feeds == {"application/rss+xml": "/kinh-te/rss/", "application/atom+xml": "/kinh-te/atom/"}

    # A card costs no query of its own: a full page and a short one cost the same.
    assert warm_query_count(client, economy.url) == warm_query_count(client, economy.url + "?page=2")

    second = tree(get(client, economy.url + "?page=2"))
    assert [text_of(t) for t in second.cssselect(".story-list .card__title")] == ["Bài số 02", "Bài số 01", "Bài số 00"]
    assert second.cssselect('a[rel="prev"]')[0].get("href") == "/kinh-te/"
    assert second.cssselect('link[rel="canonical"]')[0].get("href") == "http://localhost/kinh-te/?page=2"
    get(client, economy.url + "?page=3", status=404)


@pytest.mark.django_db
def test_tag_and_author_pages(client, economy):
    photo = make_image("Chân dung", size=(400, 400), rendered=True)
    author = make_author("Trần Thị Bình", job_title="Phóng viên", bio="Mười năm theo dõi ngành giao thông.", photo=photo)
    tagged = make_article(economy, title="Ga Ngọc Hồi", authors=[author], tags=["đường sắt"])
    make_article(economy, title="Giá vàng tăng", tags=["vàng"])

    doc = tree(get(client, f"/tag/{quote(Tag.objects.get(name='đường sắt').slug)}/"))
    assert text_of(doc.cssselect("h1")[0]) == "đường sắt"
    assert [text_of(t) for t in doc.cssselect(".story-list .card__title")] == ["Ga Ngọc Hồi"]
    assert doc.cssselect(".story-list .card__section")[0].get("href") == "/kinh-te/"

    doc = tree(get(client, "/tac-gia/tran-thi-binh/"))
    assert text_of(doc.cssselect("h1")[0]) == "Trần Thị Bình"
    assert "Phóng viên" in text_of(doc.cssselect(".author-card")[0])
    assert "Mười năm theo dõi ngành giao thông." in text_of(doc.cssselect(".author-card__bio")[0])
    assert doc.cssselect(".author-card__photo picture source[type='image/avif']")
    assert [a.get("href") for a in doc.cssselect(".story-list .card__title a")] == [tagged.url]
    get(client, "/tac-gia/khong-co-ai/", status=404)


@pytest.mark.django_db
def test_search_page_counts_highlights_and_paginates_keeping_the_query(client, economy):
    for n in range(LISTING_PAGE_SIZE + 1):
        make_article(economy, title=f"Đường sắt đô thị tuyến {n}", sapo="Dự án đường sắt đô thị của Hà Nội.")
    make_article(economy, title="Giá vàng tăng", sapo="Vàng miếng lên đỉnh.")

    doc = tree(get(client, "/search/?q=duong+sat"))
    assert doc.cssselect('meta[name="robots"]')[0].get("content").startswith("noindex")
    assert doc.cssselect("#search-q")[0].get("value") == "duong sat"
    assert str(LISTING_PAGE_SIZE + 1) in text_of(doc.cssselect(".search-count")[0])
    results = doc.cssselect(".story-list--search .card")
    assert len(results) == LISTING_PAGE_SIZE
    assert [text_of(m) for m in results[0].cssselect(".card__title mark")] == ["Đường sắt"]
    assert "đường sắt" in [text_of(m) for m in results[0].cssselect(".card__sapo mark")]
    assert doc.cssselect('a[rel="next"]')[0].get("href") == "/search/?q=duong+sat&page=2"
    assert len(tree(get(client, "/search/?q=duong+sat&page=2")).cssselect(".story-list--search .card")) == 1

    nothing = tree(get(client, "/search/?q=tau+ngam"))
    assert nothing.cssselect(".empty-state") and "0" in text_of(nothing.cssselect(".search-count")[0])
    blank = tree(get(client, "/search/"))
    assert not blank.cssselect(".search-count") and blank.cssselect("#search-q")


# --- Errors and sitemap -----------------------------------------------------


@pytest.mark.django_db
def test_missing_page_is_a_friendly_404_of_the_unit(client, economy):
    response = get(client, "/kinh-te/khong-ton-tai/", status=404)
    doc = tree(response)
    assert doc.get("lang") == "vi"
    assert text_of(doc.cssselect("h1")[0]) != ""
    assert doc.cssselect("form[role='search'][action='/search/'] input[name='q']")
    assert doc.cssselect("main a[href='/']")
    # The unit's own header and menu, so the reader is not lost.
    assert text_of(doc.cssselect(".brand")[0]) == "Thời báo Tài chính"
    assert [text_of(a) for a in doc.cssselect(".site-nav a")][1:] == ["Kinh tế"]


def test_500_page_renders_without_database_or_unit():
    # No django_db mark: any query here would raise.
    page = render_to_string("500.html")
    doc = html.fromstring(page)
    assert doc.get("lang") == "vi"
    assert doc.cssselect("h1") and doc.cssselect("a[href='/']")
    assert "<link" not in page, "no stylesheet request that could fail too"


@pytest.mark.django_db
def test_news_sitemap_lists_recent_articles_for_google_news(client, economy):
    article = make_article(economy, title="Ngân sách & nợ công <2026>")
    root = etree.fromstring(get(client, "/sitemap-news.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
    [url] = root.findall("s:url", ns)
    assert url.findtext("s:loc", namespaces=ns) == article.get_full_url()
    assert url.findtext("news:news/news:publication/news:name", namespaces=ns) == "Thời báo Tài chính"
    assert url.findtext("news:news/news:publication/news:language", namespaces=ns) == "vi"
    assert url.findtext("news:news/news:title", namespaces=ns) == "Ngân sách & nợ công <2026>"
    published = datetime.fromisoformat(url.findtext("news:news/news:publication_date", namespaces=ns))
    assert published == ArticlePage.objects.get(pk=article.pk).first_published_at
