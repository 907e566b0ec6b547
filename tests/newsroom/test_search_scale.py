"""Public search at newsroom scale: the same stories found on SQLite (FTS5)
and PostgreSQL (stored, GIN-indexed words), an index-served plan, counts
capped, and indexing done by the worker after publication."""

import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from newsroom.indexing import index_stories
from newsroom.management.commands import rebuild_story_search
from newsroom.models import ArticlePage, StorySearchEntry
from newsroom.models.pages import search_articles
from newsroom.models.search import WORDS_INDEX
from newsroom.search import query_terms
from tests.helpers import host, make_article, make_section, make_unit, paragraph, run_queued_tasks
from tests.shared import built_once

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search words and their GIN index are PostgreSQL's; SQLite searches with FTS5"
)

HEADLINES = [
    ("Đường sắt tốc độ cao Bắc – Nam khởi công năm 2027", "Dự án dài 1.541 km, vốn 67 tỷ USD."),
    ("Đà Nẵng mở rộng cảng biển Liên Chiểu", "Cảng nước sâu đón tàu 100.000 tấn."),
    ("Đắk Lắk được mùa cà phê, giá tăng kỷ lục", "Nông dân Tây Nguyên có lãi lớn."),
    ("Ngân hàng Nhà nước giữ nguyên lãi suất điều hành", "Tỷ giá ổn định trong quý IV."),
    ("Giá vàng trong nước vượt mốc 90 triệu đồng một lượng", "Chênh lệch với thế giới vẫn cao."),
    ("Hà Nội thí điểm vùng phát thải thấp trong nội đô", "Xe máy cũ bị hạn chế vào giờ cao điểm."),
    ("Thủ đô đón 28 triệu lượt khách du lịch", "Phố cổ Hà Nội đông khách cuối tuần."),
    ("Học sinh Đồng Tháp giành huy chương vàng Olympic", "Em học lớp 11 chuyên Toán."),
    ("Dòng vốn ngoại trở lại thị trường chứng khoán", "Khối ngoại mua ròng phiên thứ năm."),
    ("Động đất nhẹ tại Kon Tum, không gây thiệt hại", "Trận động đất 3,2 độ richter."),
    ("Đông Anh lên quận: hạ tầng đi trước một bước", "Cầu Tứ Liên nối đôi bờ sông Hồng."),
    ("Tuyến đường sắt đô thị Nhổn – ga Hà Nội chạy thử", "Đoạn đi ngầm dài 4 km."),
    ("Bảo hiểm xã hội điện tử phủ khắp 63 tỉnh, thành", "Người dân tra cứu trên điện thoại."),
    ("Giá lúa gạo Đồng bằng sông Cửu Long tăng nhẹ", "Gạo thơm xuất khẩu được giá."),
    ("Đi tàu Thống Nhất ngắm đèo Hải Vân", "Hành trình đẹp nhất tuyến đường sắt Bắc – Nam."),
]

# Each query with and without its diacritics (and in capitals): the same
# stories either way.
QUERIES = [
    ("Đường sắt", "duong sat"),
    ("Đà Nẵng", "DA NANG"),
    ("Đắk Lắk", "dak lak"),
    ("giá vàng", "gia vang"),
    ("Hà Nội", "ha noi"),
    ("đồng", "dong"),
    ("Đông Anh", "dong anh"),
    ("1.541 km", "1 541 km"),
    ("đường sắt đô thị", "duong sat do thi"),
    ("Ngân hàng lãi suất", "ngan hang lai suat"),
    ("đèo Hải Vân", "DEO HAI VAN"),
    ("động đất", "dong dat"),
]


def build_corpus():
    unit, home = make_unit("baodientu", "Báo Điện tử Thử", hostname="baothu.localhost")
    news = make_section(home, "Thời sự")
    stories = [make_article(news, title=title, sapo=sapo, body=[paragraph(sapo)]) for title, sapo in HEADLINES]
    return unit, home, news, stories


_module_corpus = built_once("corpus", build_corpus)


@pytest.fixture
def corpus(db, _module_corpus, shared_data):
    return shared_data(_module_corpus, build_corpus)


def _holding(stories, query):
    """The stories whose folded words hold every word of ``query``: what
    search must find, worked out without any index."""
    terms = set(query_terms(query))
    return {s.pk for s in stories if terms <= set(query_terms(f"{s.title} {s.sapo}"))}


@pytest.mark.parametrize(("accented", "plain"), QUERIES)
def test_a_fixed_corpus_finds_the_same_stories_with_or_without_diacritics(corpus, accented, plain):
    unit, home, news, stories = corpus
    expected = _holding(stories, accented)
    assert expected, f"the corpus should hold {accented!r}"
    assert {s.pk for s in search_articles(home, accented)} == expected
    assert {s.pk for s in search_articles(home, plain)} == expected


def test_a_story_published_is_indexed_by_the_worker_and_a_story_taken_down_leaves_at_once(corpus, django_capture_on_commit_callbacks):
    unit, home, news, stories = corpus
    run_queued_tasks()
    story = make_article(news, title="Lâm Đồng khánh thành hồ Tuyền Lâm mới", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert "newsroom.tasks.index_stories" in run_queued_tasks()
    assert [s.pk for s in search_articles(home, "ho tuyen lam")] == [story.pk]

    story.refresh_from_db()
    story.unpublish()
    assert list(search_articles(home, "ho tuyen lam")) == []
    if StorySearchEntry.objects.serves_search():
        assert not StorySearchEntry.objects.filter(page=story).exists()


def test_counts_stop_at_the_limit_and_the_page_says_there_are_more(client, corpus, settings):
    unit, home, news, stories = corpus
    settings.SEARCH_RESULTS_LIMIT = 3
    settings.PAGE_CACHE_SECONDS = 0  # the same address asked twice, under two limits
    assert len(_holding(stories, "duong sat")) == 3
    make_article(news, title="Đường sắt Lào Cai – Hà Nội – Hải Phòng", sapo="Tuyến khổ tiêu chuẩn.")

    response = client.get("/search/", {"q": "duong sat"}, **host(unit))
    assert response.status_code == 200
    assert response.context["result_count"] == 3 and response.context["more_results"]
    status = lxml_html.fromstring(response.content).xpath("string(//p[@role='status'])")
    assert "Hơn 3 kết quả" in status, status
    # Only the three newest matches are ranked: the oldest story drops out.
    assert stories[0].title not in response.content.decode()

    settings.SEARCH_RESULTS_LIMIT = 10
    response = client.get("/search/", {"q": "duong sat"}, **host(unit))
    assert response.context["result_count"] == 4 and not response.context["more_results"]


# --- PostgreSQL: the plan at scale -----------------------------------------

SCALE = 12_000
COMMON = "ngan sach"  # in about a third of the stories
UNCOMMON = "thuy dien"  # in about one in a hundred
RARE = "ia grai"  # in five
START = datetime(2026, 1, 1, tzinfo=UTC)


def _synthetic_entries(home_id):
    """Search entries for SCALE stories that exist only for this test's
    transaction (PostgreSQL checks the deferred page foreign keys at a
    commit that never comes): the plan is what is tested, not the pages."""
    rng = random.Random(13)
    vocabulary = [f"tu{n}" for n in range(3000)]
    rows = []
    for n in range(SCALE):
        headline = " ".join(rng.sample(vocabulary, 8))
        body = rng.sample(vocabulary, 120)
        if n % 3 == 0:
            body += COMMON.split()
        if n % 97 == 0:
            body += UNCOMMON.split()
        if n % (SCALE // 5) == 7:
            headline += " " + RARE
        rows.append((50_000_000 + n, home_id, START + timedelta(minutes=n), None, headline, "", "", " ".join(body)))
    return rows


def _plan(home_id, query):
    return StorySearchEntry.objects.plan(home_id, query_terms(query), 1001)


@postgresql_only
def test_search_is_served_by_an_index_at_twelve_thousand_stories(corpus):
    unit, home, news, stories = corpus
    rows = _synthetic_entries(home.pk)
    StorySearchEntry.objects.store(rows)
    try:
        _assert_index_served(home, rows)
    finally:
        # Their pages never existed: gone before the test's end checks the
        # foreign keys.
        StorySearchEntry.objects.filter(page_id__gte=50_000_000).delete()


def _assert_index_served(home, rows):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE newsroom_storysearchentry")
    # A word in a few stories or in one in a hundred: the GIN index. (A word
    # in a third of them is found by walking the newest stories: at this
    # size a scan is cheaper and PostgreSQL rightly takes it; the bench
    # shows the plan at a million.)
    for query in (RARE, UNCOMMON):
        plan = _plan(home.pk, query)
        assert "Seq Scan" not in plan and WORDS_INDEX in plan, plan

    by_id = {row[0]: set(f"{row[4]} {row[7]}".split()) for row in rows}
    for query in (RARE, UNCOMMON, COMMON, "tu17 tu2"):
        expected = {pk for pk, words in by_id.items() if set(query.split()) <= words}
        found = StorySearchEntry.objects.matching(home.pk, query.split(), SCALE)
        assert set(found) == expected, query
    # Only the newest matches, up to the limit, are ranked.
    newest = sorted((pk for pk, words in by_id.items() if {"ngan", "sach"} <= words), reverse=True)[:50]
    assert set(StorySearchEntry.objects.matching(home.pk, COMMON.split(), 50)) == set(newest)
    # A headline match ranks above body-only ones.
    found = StorySearchEntry.objects.matching(home.pk, ["tu5"], SCALE)
    in_headline = {pk for pk in found if "tu5" in rows[pk - 50_000_000][4].split()}
    assert in_headline and set(found[: len(in_headline)]) == in_headline


# --- PostgreSQL: keeping the words -------------------------------------------


@postgresql_only
def test_indexing_costs_the_same_statements_however_many_stories(corpus):
    unit, home, news, stories = corpus
    ids = [s.pk for s in stories]

    def statements(page_ids):
        with CaptureQueriesContext(connection) as queries:
            assert index_stories(page_ids) == len(page_ids)
        return len(queries)

    assert statements(ids[:2]) == statements(ids)


@postgresql_only
def test_a_rebuild_goes_on_where_it_stopped_and_drops_what_is_no_longer_live(corpus):
    unit, home, news, stories = corpus
    taken_down = stories[-1]
    taken_down.unpublish()
    StorySearchEntry.objects.all().delete()
    # A stale entry of a story no longer live, as a lost take-down would leave.
    StorySearchEntry.objects.store([(taken_down.pk, home.pk, taken_down.first_published_at, None, "tin go", "", "", "")])

    # A rebuild interrupted after the eighth story goes on from the ninth.
    cache.set(rebuild_story_search.CHECKPOINT_KEY, stories[7].pk)
    out = io.StringIO()
    call_command("rebuild_story_search", "--chunk-size", "3", stdout=out)
    assert f"Going on after story {stories[7].pk}" in out.getvalue()
    assert "Indexed 6 live stories" in out.getvalue()
    assert set(StorySearchEntry.objects.values_list("page_id", flat=True)) == {s.pk for s in stories[8:-1]}
    assert cache.get(rebuild_story_search.CHECKPOINT_KEY) is None

    out = io.StringIO()
    call_command("rebuild_story_search", "--chunk-size", "3", stdout=out)
    assert "Indexed 14 live stories" in out.getvalue()
    assert set(StorySearchEntry.objects.values_list("page_id", flat=True)) == {s.pk for s in stories[:-1]}


# Site and unit, the page and its view restrictions, the search, the page
# of stories with their covers' renditions and their sections.
SEARCH_PAGE_QUERY_BUDGET = 11


def test_a_search_page_costs_a_fixed_number_of_queries_whatever_the_front_page_holds(client, corpus, settings):
    unit, home, news, stories = corpus
    settings.PAGE_CACHE_SECONDS = 0
    for title in ("Kinh tế", "Xã hội", "Thế giới"):
        make_article(make_section(home, title), title=f"Đường sắt và {title.lower()}")
    client.get("/search/", {"q": "ha noi"}, **host(unit))  # the process warm, as a server's is
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "duong sat"}, **host(unit))
    assert response.status_code == 200 and len(_titles(response)) == 6
    assert len(queries) <= SEARCH_PAGE_QUERY_BUDGET, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def _titles(response):
    return lxml_html.fromstring(response.content).xpath("//main//article//h2//a")


@postgresql_only
def test_the_admins_search_is_served_by_an_index_at_twelve_thousand_entries(corpus):
    """Wagtail's own backend (admin search, choosers) on PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title_norm, autocomplete, title, body, title_text, body_text)
            SELECT %s, 'synthetic-' || n, 1, '', to_tsvector('simple', 'tin so ' || n), to_tsvector('simple', 'noi dung ' || (n %% 500)), '', ''
            FROM generate_series(1, %s) AS n
            """,
            [ContentType.objects.get_for_model(ArticlePage).pk, SCALE],
        )
        # What autovacuum does after a large load: rows inserted since wait in
        # the GIN index's pending list, which the planner rightly avoids.
        cursor.execute("SELECT gin_clean_pending_list('wagtailsearch_indexentry_words'::regclass)")
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        # This test's few pages would otherwise drive the join (an index
        # lookup per page): at scale the matching entries must, and this
        # shows the index serves the very expression Wagtail filters on.
        cursor.execute("SET LOCAL enable_nestloop = off")
    plan = ArticlePage.objects.all().search("noi dung 17", operator="and").get_queryset().explain()
    assert "wagtailsearch_indexentry_words" in plan and "Seq Scan on wagtailsearch_indexentry" not in plan, plan
