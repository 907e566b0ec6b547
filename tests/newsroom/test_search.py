import re
from datetime import timedelta
from urllib.parse import urljoin

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags
from lxml import html as lxml_html
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend

from newsroom.blocks import rich_text_for_indexing
from newsroom.models import ArticlePage
from newsroom.models.pages import search_articles
from newsroom.search import highlight, query_terms
from tests.helpers import host, image_block, make_article, make_media, paragraph

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("bo tai chinh", "budget"),
        ("Bộ Tài chính", "budget"),
        ("BỘ TÀI CHÍNH", "budget"),
        ("duong sat", "rail"),
        ("Đường sắt", "rail"),
        ("ĐƯỜNG SẮT", "rail"),
        ("đường sat bac nam", "rail"),
        # Body text and tags are searched too.
        ("67 ty USD", "rail"),
        ("ha tang", "rail"),
    ],
)
def test_search_is_diacritic_insensitive_both_ways(newsroom, query, article):
    expected = getattr(newsroom.finance, article)
    assert list(search_articles(newsroom.finance.home, query)) == [expected]


def test_search_finds_only_published_articles_of_the_unit(newsroom):
    finance, province = newsroom.finance, newsroom.province
    local_rail = make_article(province.news, title="Lâm Đồng kiến nghị nối đường sắt Đà Lạt – Tháp Chàm", sapo="Tuyến đường sắt răng cưa.")
    make_article(finance.economy, title="Đường sắt đô thị: bản nháp", sapo="Chưa duyệt.", publish=False)
    withdrawn = make_article(finance.economy, title="Đường sắt cao tốc: tin đã gỡ", sapo="Sai số liệu.")
    withdrawn.unpublish()

    assert list(search_articles(finance.home, "duong sat")) == [finance.rail]
    assert list(search_articles(province.home, "duong sat")) == [local_rail]


def test_title_match_ranks_above_body_only_match(newsroom):
    news = newsroom.province.news
    body_only = make_article(
        news,
        title="Hội nghị tổng kết ngành giao thông",
        sapo="Sở Giao thông vận tải tổng kết năm.",
        body=[paragraph("Trong năm, tỉnh đã kiến nghị khôi phục đường sắt răng cưa.")],
    )
    in_title = make_article(news, title="Khôi phục đường sắt Đà Lạt – Tháp Chàm", sapo="Tỉnh kiến nghị Trung ương.")
    # Created later but published earlier: neither id nor date order puts it first.
    in_title.first_published_at = timezone.now() - timedelta(days=3)
    in_title.save(update_fields=["first_published_at"])

    assert list(search_articles(newsroom.province.home, "duong sat")) == [in_title, body_only]


def test_query_terms_are_folded_words_only():
    assert query_terms("  Đường-sắt: BẮC–NAM!! ") == ["duong", "sat", "bac", "nam"]
    assert query_terms("\"'); DROP TABLE --") == ["drop", "table"]
    assert query_terms("*** () ...") == []


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("Đường sắt Bắc–Nam", "duong sat", "<mark>Đường sắt</mark> Bắc–Nam"),
        ("Đường sắt Bắc–Nam", "ĐƯỜNG SẮT", "<mark>Đường sắt</mark> Bắc–Nam"),
        ("Tàu đi Bắc–Nam", "bac nam", "Tàu đi <mark>Bắc</mark>–<mark>Nam</mark>"),
        ("Bộ Tài chính công bố", "bo", "<mark>Bộ</mark> Tài chính công <mark>bố</mark>"),
        # Whole words only: "sat" is not marked inside "satellite".
        ("Vệ tinh satellite", "sat", "Vệ tinh satellite"),
        # The text is escaped; only our <mark> is markup.
        ("<b>Đường</b> & sắt", "duong", "&lt;b&gt;<mark>Đường</mark>&lt;/b&gt; &amp; sắt"),
        ("Không có gì", "", "Không có gì"),
    ],
)
def test_highlight_marks_the_original_accented_letters(text, query, marked):
    assert str(highlight(text, query)) == marked


def test_highlight_excerpt_centres_on_the_match():
    text = "Mở đầu. " * 60 + "Dự án đường sắt tốc độ cao được phê duyệt." + " Kết thúc." * 60
    excerpt = str(highlight(text, "duong sat", max_length=120))
    assert "<mark>đường sắt</mark>" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(re.sub(r"</?mark>", "", excerpt)) <= 122


# --- /search/ on each unit --------------------------------------------------


def _result_titles(response):
    """Headline text of every result a reader sees, from the rendered page."""
    doc = lxml_html.fromstring(response.content)
    return [" ".join(a.text_content().split()) for a in doc.xpath("//main//article//h2//a | //main//article//h3//a")]


def test_search_page_lists_highlighted_results_of_its_own_unit(client, newsroom):
    finance, province = newsroom.finance, newsroom.province
    response = client.get("/search/", {"q": "duong sat"}, **host(finance.unit))
    assert response.status_code == 200
    page = response.content.decode()
    assert _result_titles(response) == [finance.rail.title]
    assert "<mark>Đường sắt</mark> Bắc–Nam" in page
    assert 'name="q"' in page and 'value="duong sat"' in page

    response = client.get("/search/", {"q": "duong sat"}, **host(province.unit))
    assert response.status_code == 200
    assert _result_titles(response) == []

    response = client.get("/search/", {"q": "xe buyt dien"}, **host(province.unit))
    assert _result_titles(response) == [province.bus.title]


def test_search_results_are_paginated_and_keep_the_query(client, newsroom):
    economy = newsroom.finance.economy
    for n in range(20):
        make_article(economy, title=f"Đường sắt đô thị: tin số {n + 1}", sapo="Tin ngắn.")
    response = client.get("/search/", {"q": "duong sat"}, **host(newsroom.finance.unit))
    assert response.status_code == 200
    assert response.context["result_count"] == 21
    assert len(_result_titles(response)) == 20
    doc = lxml_html.fromstring(response.content)
    next_links = [a.get("href") for a in doc.xpath("//a[@rel='next']")]
    assert next_links, "no link to the next page of results"
    assert "q=duong" in next_links[0] and "page=2" in next_links[0]

    second = client.get(urljoin(response.wsgi_request.get_full_path(), next_links[0]), **host(newsroom.finance.unit))
    assert second.status_code == 200
    assert second.context["query"] == "duong sat"
    assert len(_result_titles(second)) == 1


def test_empty_query_shows_the_form_without_results(client, newsroom):
    response = client.get("/search/", {"q": "   "}, **host(newsroom.finance.unit))
    assert response.status_code == 200
    assert response.context["results_page"] is None
    assert _result_titles(response) == []
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//main//form[@role='search' or .//input[@name='q']]//input[@name='q']")


@pytest.mark.parametrize(
    "query",
    [
        "đường sắt " * 400,
        "\"'); DROP TABLE newsroom_articlepage; --",
        "AND OR NOT NEAR(",
        "* ^ ~ : ( ) \" -",
        "😀🚄",
        "\x00nul",
        "a" * 5000,
        "%",
    ],
)
def test_junk_or_huge_queries_give_a_normal_page(client, newsroom, query):
    response = client.get("/search/", {"q": query}, **host(newsroom.finance.unit))
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200
    assert lxml_html.fromstring(response.content).xpath("//main//input[@name='q']")


@pytest.mark.parametrize(("page", "status"), [("abc", 200), ("99", 404)])
def test_bad_page_numbers(client, newsroom, page, status):
    response = client.get("/search/", {"q": "duong sat", "page": page}, **host(newsroom.finance.unit))
    assert response.status_code == status


# --- indexing ---------------------------------------------------------------------


def index_queries(stories):
    """Statements the index's rebuild spends on ``stories`` (one chunk, as
    ``update_index`` reads them). SQLite's backend writes its rows one
    statement each: there, only the reads are ours to hold."""
    backend = get_search_backend()
    with CaptureQueriesContext(connection) as queries:
        chunk = list(ArticlePage.get_indexed_objects().filter(pk__in=[s.pk for s in stories]).order_by("pk"))
        backend.add_bulk(ArticlePage, chunk)
    sqls = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "sqlite":
        sqls = [sql for sql in sqls if sql.startswith("SELECT")]
    return len(sqls)


def test_indexing_costs_the_same_statements_however_many_stories_in_a_chunk(newsroom):
    economy, reporter = newsroom.finance.economy, newsroom.reporter
    stories = [
        make_article(
            economy, title=f"Tin số {n}", authors=[reporter], tags=["hạ tầng", f"chủ đề {n}"],
            body=[paragraph(f"Nội dung {n}."), image_block(newsroom.site_photo, caption=f"Ảnh {n}")],
        )  # fmt: skip
        for n in range(12)
    ]
    assert index_queries(stories[:3]) == index_queries(stories)


def test_a_story_is_found_by_its_authors_name_and_its_tags(newsroom):
    finance = newsroom.finance
    story = make_article(finance.economy, title="Giá vàng tăng mạnh", authors=[newsroom.reporter], tags=["thị trường vàng"])
    found = {a.pk for a in search_articles(finance.home, "tran thi binh")}
    assert story.pk in found and finance.rail.pk in found  # both bylined "Trần Thị Bình"
    assert [a.pk for a in search_articles(finance.home, "thi truong vang")] == [story.pk]


def test_a_bodys_indexed_text_is_wagtails_without_loading_its_pictures_media_or_pages(newsroom):
    economy = newsroom.finance.economy
    video = make_media("video", "Lễ khánh thành", poster=newsroom.cover)
    body = [
        ("heading", {"text": "Bối cảnh", "level": "h2"}),
        paragraph('Đọc thêm <a href="/kinh-te/">chuyên mục</a> &amp; tin liên quan.'),
        image_block(newsroom.site_photo, caption="Công trường", credit="Ảnh: TTXVN"),
        ("gallery", {"title": "Phố cổ", "images": [{"image": newsroom.cover, "caption": "Phố Hàng Mã"}]}),
        ("video", {"video": video, "caption": "Toàn cảnh buổi lễ"}),
        ("quote", {"text": "Dự án mang tính lịch sử.", "attribution": "Bộ trưởng"}),
        ("fact_box", {"title": "Số liệu", "body": "<p>1.541 km</p>"}),
        ("table", {"caption": "Các ga", "table": {"data": [["Ga", "Tỉnh"], ["Ngọc Hồi", "Hà Nội"]], "first_row_is_table_header": True}}),
        ("embed", {"embed": "https://www.youtube.com/watch?v=abc", "caption": "Video"}),
        ("related", {"title": "Đọc thêm", "articles": [newsroom.finance.rail]}),
        ("chart", {"title": "Thu ngân sách", "chart_type": "bar", "data": "Năm,Thu\n2024,1.7\n2025,2.0", "source": "Bộ Tài chính"}),
    ]
    story = make_article(economy, title="Bài đủ loại khối", body=body)

    stored = ArticlePage.objects.get(pk=story.pk)
    with CaptureQueriesContext(connection) as queries:
        text = stored.body_text()
    assert len(queries) == 0
    wagtails = ArticlePage.objects.get(pk=story.pk)
    assert text == " ".join(strip_tags(s) for s in wagtails.body.stream_block.get_searchable_content(wagtails.body))
    assert "Phố Hàng Mã" in text and "Toàn cảnh buổi lễ" in text and "Ngọc Hồi" in text


@pytest.mark.parametrize(
    "source",
    [
        "<p>Đường sắt <b>Bắc</b>–<i>Nam</i></p><p>dài 1.541 km</p>",
        '<p>Xem <a href="/kinh-te/" linktype="page" id="3">chuyên mục</a> &amp; tin &lt;mới&gt;</p>',
        "<ul><li>Hà Nội</li><li>TP&nbsp;Hồ Chí Minh</li></ul><h2>Kết luận</h2>",
        "<p>Dòng một<br/>dòng hai</p><hr/><blockquote>Trích dẫn</blockquote>",
        "<p><b>Đ</b>ường in đậm một chữ cái</p>",
        "",
        "Văn bản không thẻ, 5 &gt; 3",
    ],
)
def test_rich_text_reads_for_the_index_as_wagtail_reads_it(source):
    assert rich_text_for_indexing(source) == get_text_for_indexing(source)
