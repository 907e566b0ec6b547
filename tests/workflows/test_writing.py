"""Where a story starts: "Viết bài mới" first in the menu and on the
dashboard, leading to the editor of a new story in a section of the
person's own unit."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom.models import ArticlePage, Author
from workflows.models import Role

pytestmark = pytest.mark.django_db

WRITE = reverse("hoitu_story_write")


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("newsroom", "articlepage", section.pk))


def menu_names(client):
    props = client.get("/admin/").content.decode()
    start = props.index('id="wagtail-sidebar-props"')
    data = props[props.index(">", start) + 1 : props.index("</script>", start)]
    return json.dumps(json.loads(data))


def test_the_reporter_starts_in_any_section_of_their_unit_from_the_dashboard_and_the_menu(newsroom, staff, client):
    client.force_login(staff[Role.REPORTER])
    finance = newsroom.finance
    dashboard = client.get("/admin/").content.decode()
    assert 'id="hoitu-write-section"' in dashboard
    assert add_url(finance.economy) in dashboard and add_url(finance.finance) in dashboard
    assert add_url(newsroom.province.news) not in dashboard
    assert f'"url": "{WRITE}"' in menu_names(client)

    page = client.get(WRITE)
    assert page.status_code == 200
    listed = page.content.decode()
    assert add_url(finance.economy) in listed and add_url(finance.finance) in listed and add_url(newsroom.province.news) not in listed
    # The link leads to the editor of a new story there.
    assert client.get(add_url(finance.economy)).status_code == 200


def test_a_section_head_goes_straight_to_the_editor_in_their_section(newsroom, staff, client):
    client.force_login(staff[Role.SECTION_HEAD])
    response = client.get(WRITE)
    assert response.status_code == 302 and response["Location"] == add_url(newsroom.finance.economy)


def test_who_does_not_write_is_not_offered_it(newsroom, staff, client):
    client.force_login(staff[Role.DISTRIBUTION])
    assert 'id="hoitu-write-section"' not in client.get("/admin/").content.decode()
    assert f'"url": "{WRITE}"' not in menu_names(client)
    # Opened by its address: says why, offers nothing.
    page = client.get(WRITE)
    assert page.status_code == 200 and add_url(newsroom.finance.economy) not in page.content.decode()


def new_story_data(title, slug, author):
    """The editor's form for a new story as the admin leaves it: the slug
    field filled by its script from the headline, or typed."""
    return nested_form_data(
        {
            "title": title, "slug": slug, "kicker": "", "sapo": "Tóm tắt.", "format": "standard", "language": "vi",
            "cover_caption": "", "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]), "tags": "",
            "seo_title": "", "search_description": "", "og_title": "", "og_description": "",
            "article_authors": inline_formset([{"author": author.pk}], min=1),
            "corrections": inline_formset([]), "channel_copies": inline_formset([]), "comments": inline_formset([]),
        }
    )  # fmt: skip


def test_a_headline_the_section_already_has_gets_the_next_address(newsroom, staff, client):
    """A daily headline ("Giá vàng hôm nay") saves, and autosaves, under the
    next free address instead of stopping at "slug in use"; an address the
    reporter typed is theirs, and a taken one is still refused."""
    reporter = staff[Role.REPORTER]
    author = Author.objects.create(name="Phóng viên Giá Vàng", user=reporter)
    client.force_login(reporter)
    section = newsroom.finance.economy
    title = "Giá vàng hôm nay: đi ngang"
    for _ in range(3):
        response = client.post(add_url(section), new_story_data(title, "gia-vang-hom-nay-di-ngang", author))
        assert response.status_code == 302, response.content.decode()[-800:]
    slugs = sorted(ArticlePage.objects.filter(title=title).values_list("slug", flat=True))
    assert slugs == ["gia-vang-hom-nay-di-ngang", "gia-vang-hom-nay-di-ngang-2", "gia-vang-hom-nay-di-ngang-3"]

    typed = client.post(add_url(section), new_story_data("Vàng miếng tăng giá", "gia-vang-hom-nay-di-ngang", author))
    assert typed.status_code == 200
    assert "đã được dùng" in typed.content.decode()
