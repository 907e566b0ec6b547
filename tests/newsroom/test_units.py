import pytest
from lxml import html as lxml_html

from newsroom.models import Unit
from tests.helpers import host, make_article, path

pytestmark = pytest.mark.django_db


def page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, lxml_html.fromstring(response.content)


def story_titles(doc):
    return {" ".join(a.text_content().split()) for a in doc.xpath("//main//article//*[self::h1 or self::h2 or self::h3]//a")}


def test_units_answer_on_their_own_hostnames(client, newsroom):
    finance, province = newsroom.finance, newsroom.province
    assert finance.unit.site.hostname == "localhost"
    assert province.unit.site.hostname == "lamdong.localhost"

    response, doc = page(client, "/", HTTP_HOST="localhost:8000")
    assert response.wsgi_request.unit == finance.unit
    assert "Thời báo Tài chính" in doc.findtext(".//title")
    assert story_titles(doc) >= {finance.rail.title, finance.budget.title}
    assert province.bus.title not in story_titles(doc)

    response, doc = page(client, "/", HTTP_HOST="lamdong.localhost:8000")
    assert response.wsgi_request.unit == province.unit
    assert "Báo Lâm Đồng" in doc.findtext(".//title")
    assert story_titles(doc) == {province.bus.title}


def test_unknown_hostname_gets_the_default_unit(client, newsroom):
    response, _doc = page(client, "/", HTTP_HOST="127.0.0.1:8000")
    assert response.wsgi_request.unit == newsroom.finance.unit


def test_a_units_pages_are_not_reachable_through_another_units_hostname(client, newsroom):
    bus_path = path(newsroom.province.bus)
    assert client.get(bus_path, **host(newsroom.province.unit)).status_code == 200
    assert client.get(bus_path, **host(newsroom.finance.unit)).status_code == 404


def test_section_navigation_lists_the_units_own_sections(client, newsroom):
    _response, doc = page(client, "/", **host(newsroom.finance.unit))
    nav_links = {a.text_content().strip(): a.get("href") for a in doc.xpath("//header//nav//a")}
    assert nav_links["Kinh tế"].endswith("/kinh-te/")
    assert nav_links["Tài chính"].endswith("/tai-chinh/")
    assert "Thời sự" not in nav_links


@pytest.mark.parametrize("url_of", [lambda n: "/", lambda n: path(n.province.news), lambda n: path(n.province.bus), lambda n: "/search/?q=xe"])
def test_unit_language_drives_content_language_and_html_lang(client, newsroom, url_of):
    province = newsroom.province
    response, doc = page(client, url_of(newsroom), **host(province.unit))
    assert response["Content-Language"] == "vi"
    assert doc.get("lang") == "vi"

    # Saved the way the settings form saves it, which also refreshes the page cache.
    unit = Unit.objects.get(pk=province.unit.pk)
    unit.language = "en"
    unit.save()
    response, doc = page(client, url_of(newsroom), **host(province.unit))
    assert response["Content-Language"] == "en"
    assert doc.get("lang") == "en"

    # The other unit still speaks Vietnamese.
    response, doc = page(client, "/", **host(newsroom.finance.unit))
    assert (response["Content-Language"], doc.get("lang")) == ("vi", "vi")


def test_article_language_overrides_the_units(client, newsroom):
    article = make_article(newsroom.province.news, title="Da Lat welcomes the first electric bus", sapo="In English.", language="en")
    _response, doc = page(client, path(article), **host(newsroom.province.unit))
    assert doc.xpath("//article[@lang='en'] | //html[@lang='en'] | //main[@lang='en']")
