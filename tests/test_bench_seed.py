"""seed_bench bulk-inserts article pages behind Wagtail's back; these tests
hold that the result is a tree Wagtail itself considers sound and keeps
working on, and pages readers can open."""

import html
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page

from assets.text import fold, reading_minutes
from bench.inside.seed import Command as SeedBench
from newsroom.indexing import index_stories
from newsroom.models import ArticleAuthor, ArticlePage, ArticlePageTag, SectionPage, StorySearchEntry, Unit
from newsroom.models.pages import search_articles
from tests.helpers import make_article

ARTICLES = 300
SECTIONS = 3

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_unit():
    out = io.StringIO()
    # Two small-count pictures keep the AVIF renditions the pages need cheap.
    call_command(SeedBench(), articles=ARTICLES, sections=SECTIONS, images=2, unit_slug="bench", stdout=out)
    assert f"{ARTICLES} articles" in out.getvalue()
    return Unit.objects.select_related("site__root_page").get(slug="bench")


def assert_tree_sound():
    problems = Page.find_problems()
    assert all(not ids for ids in problems), f"treebeard problems: {problems}"


def test_seeded_pages_form_a_sound_wagtail_tree(bench_unit):
    assert_tree_sound()
    home = bench_unit.site.root_page
    sections = list(SectionPage.objects.child_of(home))
    assert home.numchild == len(sections) == SECTIONS
    for section in sections:
        assert section.numchild == ArticlePage.objects.child_of(section).count() > 0

    articles = ArticlePage.objects.descendant_of(home).defer_streamfields()
    assert articles.count() == articles.live().count() == ARTICLES
    by_path = {section.path: section for section in sections}
    for article in articles:
        section = by_path[article.path[: -Page.steplen]]
        assert article.depth == section.depth + 1
        assert article.url_path == f"{section.url_path}{article.slug}/"
        assert article.numchild == 0
        assert article.locale_id == home.locale_id
        assert article.draft_title == article.title
        assert article.first_published_at and article.last_published_at >= article.first_published_at
        assert article.reading_time == reading_minutes(article.word_count) and article.word_count > 300
    assert len({(a.path[: -Page.steplen], a.slug) for a in articles}) == ARTICLES


def test_seeded_articles_are_whole_articles(bench_unit):
    home = bench_unit.site.root_page
    article = ArticlePage.objects.descendant_of(home).order_by("?").first()
    kinds = [block.block_type for block in article.body]
    assert kinds.count("paragraph") >= 7
    assert {"heading", "quote", "image"} <= set(kinds)
    assert all(block.value["image"] is not None for block in article.body if block.block_type == "image")
    assert article.cover_image is not None
    # Bylines and tags on most articles, as on a real site.
    assert ArticleAuthor.objects.filter(article__in=ArticlePage.objects.descendant_of(home)).values("article").distinct().count() > ARTICLES / 2
    assert ArticlePageTag.objects.filter(content_object__in=ArticlePage.objects.descendant_of(home)).values("content_object").distinct().count() > ARTICLES / 2


def test_readers_can_open_seeded_articles(bench_unit, client):
    home = bench_unit.site.root_page
    articles = ArticlePage.objects.descendant_of(home).order_by("path")
    for article in (articles.first(), articles.last()):
        response = client.get(article.relative_url(bench_unit.site), HTTP_HOST=bench_unit.site.hostname)
        assert response.status_code == 200
        page = response.content.decode()
        assert html.escape(article.title) in page
        first_paragraph = next(block.value.source for block in article.body if block.block_type == "paragraph")
        assert first_paragraph[3:60] in page


def test_seeded_articles_are_found_by_search_as_if_published(bench_unit):
    home = bench_unit.site.root_page
    article = ArticlePage.objects.descendant_of(home).filter(article_authors__isnull=False, tags__isnull=False).order_by("path").last()
    byline, tag = article.article_authors.first().author.name, article.tags.first().name
    for query in (fold(article.title), f"{fold(byline)} {fold(tag)} {fold(' '.join(article.sapo.split()[:5]))}"):
        assert article.pk in {story.pk for story in search_articles(home, query)}, query
    if StorySearchEntry.objects.serves_search():
        # The words the seed wrote, and their weights, are those publication
        # would have written (their positions follow the text's order).
        seeded = _words_and_weights(article)
        index_stories([article.pk])
        assert _words_and_weights(article) == seeded


def _words_and_weights(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, weights FROM newsroom_storysearchentry, unnest(words) WHERE page_id = %s", [article.pk]
        )
        return {lexeme: set(weights) for lexeme, weights in cursor.fetchall()}


def test_wagtail_keeps_working_on_the_seeded_tree(bench_unit):
    home = bench_unit.site.root_page
    first, second = SectionPage.objects.child_of(home).order_by("path")[:2]
    before = first.numchild

    added = make_article(first, title="Bài viết thêm sau khi nạp dữ liệu thử tải")
    assert added.path > ArticlePage.objects.child_of(first).exclude(pk=added.pk).order_by("-path").first().path
    first.refresh_from_db()
    assert first.numchild == before + 1

    moved = ArticlePage.objects.child_of(first).order_by("path").first()
    moved.move(second, pos="last-child")

    edited = ArticlePage.objects.child_of(second).order_by("path").first()
    edited.title = "Tiêu đề đã sửa"
    edited.save_revision().publish()
    edited.refresh_from_db()
    assert edited.live and edited.title == "Tiêu đề đã sửa"
    assert_tree_sound()


def test_refuses_to_seed_a_unit_twice(bench_unit):
    with pytest.raises(CommandError, match="already exists"):
        call_command(SeedBench(), articles=1, unit_slug="bench", stdout=io.StringIO())
