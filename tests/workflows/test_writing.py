"""Where a story starts: "Viết bài mới" first in the menu and on the
dashboard, leading to the editor of a new story in a section of the
person's own unit."""

import json

import pytest
from django.urls import reverse

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
