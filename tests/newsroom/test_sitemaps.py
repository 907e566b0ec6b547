from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from newsroom import views
from tests.helpers import host, make_article

pytestmark = pytest.mark.django_db

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SM, "news": NEWS}


def fetch_xml(client, path, unit):
    response = client.get(path, **host(unit))
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    return etree.fromstring(response.content)


def test_sitemap_lists_only_this_units_live_pages(client, newsroom):
    finance, province = newsroom.finance, newsroom.province
    make_article(finance.economy, title="Bản nháp", publish=False)
    withdrawn = make_article(finance.economy, title="Tin đã gỡ")
    withdrawn.unpublish()

    root = fetch_xml(client, "/sitemap.xml", finance.unit)
    assert root.tag == f"{{{SM}}}urlset"
    locs = root.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert sorted(locs) == sorted(
        page.full_url for page in [finance.home, finance.economy, finance.finance, finance.rail, finance.budget]
    )
    assert root.xpath("//sm:url/sm:lastmod", namespaces=NS)

    locs = fetch_xml(client, "/sitemap.xml", province.unit).xpath("//sm:loc/text()", namespaces=NS)
    assert sorted(locs) == ["http://lamdong.localhost/", "http://lamdong.localhost/thoi-su/", "http://lamdong.localhost/thoi-su/da-lat-mo-tuyen-xe-buyt-dien-dau-tien/"]


def _news_entries(root):
    entries = []
    for url in root.xpath("//sm:url", namespaces=NS):
        entries.append(
            {
                "loc": url.findtext(f"{{{SM}}}loc"),
                "name": url.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication/{{{NEWS}}}name"),
                "language": url.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication/{{{NEWS}}}language"),
                "date": url.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication_date"),
                "title": url.findtext(f"{{{NEWS}}}news/{{{NEWS}}}title"),
            }
        )
    return entries


def test_news_sitemap_has_the_last_48_hours_with_google_news_fields(client, newsroom):
    finance = newsroom.finance
    old = make_article(finance.economy, title="Tin cũ ba ngày trước")
    old.first_published_at = timezone.now() - timedelta(hours=49)
    old.save(update_fields=["first_published_at"])
    tricky = make_article(finance.finance, title='Giá xăng & dầu "giảm" <mạnh>')
    make_article(finance.finance, title="Bản nháp", publish=False)

    root = fetch_xml(client, "/sitemap-news.xml", finance.unit)
    assert root.tag == f"{{{SM}}}urlset"
    entries = _news_entries(root)
    assert [e["title"] for e in entries] == [tricky.title, finance.budget.title, finance.rail.title]
    for entry, article in zip(entries, [tricky, finance.budget, finance.rail], strict=True):
        assert entry["loc"] == article.full_url
        assert (entry["name"], entry["language"]) == ("Thời báo Tài chính", "vi")
        published = datetime.fromisoformat(entry["date"])
        assert published.tzinfo is not None  # Google rejects dates without a zone
        assert abs(published - article.first_published_at) < timedelta(seconds=1)


def test_news_sitemap_is_per_unit(client, newsroom):
    province = newsroom.province
    province.unit.publication_name = "Lâm Đồng Online"
    province.unit.save()
    entries = _news_entries(fetch_xml(client, "/sitemap-news.xml", province.unit))
    assert [(e["title"], e["name"]) for e in entries] == [(province.bus.title, "Lâm Đồng Online")]


def test_news_sitemap_keeps_the_newest_when_over_the_limit(client, newsroom, monkeypatch):
    assert views.NEWS_SITEMAP_LIMIT == 1000  # Google's maximum per news sitemap
    monkeypatch.setattr(views, "NEWS_SITEMAP_LIMIT", 2)
    newest = make_article(newsroom.finance.economy, title="Tin mới nhất")
    entries = _news_entries(fetch_xml(client, "/sitemap-news.xml", newsroom.finance.unit))
    assert [e["title"] for e in entries] == [newest.title, newsroom.finance.budget.title]


def test_empty_news_sitemap_is_still_valid(client, newsroom):
    newsroom.province.bus.unpublish()
    root = fetch_xml(client, "/sitemap-news.xml", newsroom.province.unit)
    assert root.tag == f"{{{SM}}}urlset" and len(root) == 0


@pytest.mark.parametrize("unit_name", ["finance", "province"])
def test_robots_txt_names_both_sitemaps_with_absolute_urls(client, newsroom, unit_name):
    unit = getattr(newsroom, unit_name).unit
    response = client.get("/robots.txt", **host(unit))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    base = f"http://{unit.site.hostname}"
    assert f"Sitemap: {base}/sitemap.xml" in lines
    assert f"Sitemap: {base}/sitemap-news.xml" in lines
    for line in lines:
        if line.startswith("Sitemap: "):
            assert client.get(line.removeprefix("Sitemap: " + base), **host(unit)).status_code == 200


def test_news_sitemap_costs_the_same_queries_however_many_articles(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def queries():
        with CaptureQueriesContext(connection) as captured:
            fetch_xml(client, "/sitemap-news.xml", newsroom.finance.unit)
        return len(captured)

    queries()  # the first request also caches the site's root paths
    before = queries()
    for n in range(5):
        make_article(newsroom.finance.economy, title=f"Tin nhanh số {n}")
    assert queries() == before
