"""The unit's home page arranged from the desk: the spotlight, the top of
the page and the sections' highlights, in order, until a time; what is
left empty the newest stories fill."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from newsroom.models import HomePlacement, HomePosition
from tests.helpers import client_for, host, make_article, path, refused, story_draft
from workflows.models import Role

pytestmark = pytest.mark.django_db


def screen(unit):
    return reverse("workflows_home_page", args=[unit.slug])


def front(client, unit):
    """(the lead, the top stories) as a reader sees them: their addresses."""
    page = lxml_html.fromstring(client.get("/", **host(unit)).content)
    lead = page.xpath('//div[@class="front__lead"]//*[@class="card__title"]/a/@href')
    top = page.xpath('//ol[@class="front__top"]//*[@class="card__title"]/a/@href')
    return (lead[0] if lead else None), top


def section_block(client, unit, section):
    page = lxml_html.fromstring(client.get("/", **host(unit)).content)
    return page.xpath(f'//section[@aria-labelledby="section-{section.pk}"]//*[@class="card__title"]/a/@href')


def place(client, unit, story, position, section=None, until=None):
    data = {"action": "place", "story": story.pk, "position": position, "section": section.pk if section else "", "until": until or ""}
    return client.post(screen(unit), data)


@pytest.fixture
def stories(newsroom):
    finance = newsroom.finance
    made = [make_article(finance.economy, title=f"Tin kinh tế số {n}") for n in range(1, 5)]
    return finance, made


def test_the_managing_editor_arranges_the_front_and_readers_see_it(newsroom, staff, stories, client):
    finance, (first, second, third, fourth) = stories
    editor = client_for(staff[Role.MANAGING_EDITOR])
    assert front(client, finance.unit)[0] == path(fourth)  # the newest leads while nothing is placed

    assert place(editor, finance.unit, first, HomePosition.SPOTLIGHT).status_code == 302
    assert place(editor, finance.unit, third, HomePosition.TOP).status_code == 302
    assert place(editor, finance.unit, second, HomePosition.TOP).status_code == 302
    lead, top = front(client, finance.unit)
    assert lead == path(first)
    assert top[:2] == [path(third), path(second)]  # in the order placed, then the newest
    assert path(fourth) in top[2:]

    # Moved: the second placed goes first.
    second_placed = HomePlacement.objects.get(story=second, position=HomePosition.TOP)
    editor.post(screen(finance.unit), {"action": "up", "placement": second_placed.pk})
    assert front(client, finance.unit)[1][:2] == [path(second), path(third)]

    # A new spotlight replaces the old; what is taken off makes room for the newest.
    place(editor, finance.unit, fourth, HomePosition.SPOTLIGHT)
    assert list(HomePlacement.objects.filter(position=HomePosition.SPOTLIGHT).values_list("story", flat=True)) == [fourth.pk]
    editor.post(screen(finance.unit), {"action": "take_off", "placement": second_placed.pk})
    lead, top = front(client, finance.unit)
    assert lead == path(fourth) and top[0] == path(third)

    # The desk's screen lists it all, with who placed it.
    page = editor.get(screen(finance.unit)).content.decode()
    listing = page[page.index('class="hoitu-home-place"') : page.index('id="place-form"')]
    assert "Tiêu điểm" in listing and fourth.title in listing and third.title in listing and second.title not in listing
    assert "Đến khi gỡ xuống" in listing


def test_a_placement_ends_at_its_time_and_a_section_highlight_leads_its_section(newsroom, staff, stories, client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    finance, (first, second, _third, _fourth) = stories
    editor = client_for(staff[Role.EDITOR_IN_CHIEF])
    place(editor, finance.unit, first, HomePosition.SECTION, section=finance.economy)
    block = section_block(client, finance.unit, finance.economy)
    assert block == [path(first)]  # kept out of the top for its section

    # Placed until a time already gone (as the clock moves): readers no longer see it.
    HomePlacement.objects.update(until=timezone.now() - timedelta(seconds=1))
    place(editor, finance.unit, second, HomePosition.SPOTLIGHT, until=(timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    assert front(client, finance.unit)[0] == path(second)
    lead_placement = HomePlacement.objects.get(story=second)
    assert lead_placement.until > timezone.now() + timedelta(hours=1)


def test_what_may_not_go_there_is_refused_in_words(newsroom, staff, stories):
    finance, (first, *_rest) = stories
    editor = client_for(staff[Role.MANAGING_EDITOR])
    other_unit_story = newsroom.province.bus
    draft = story_draft(finance.economy, staff[Role.REPORTER], title="Bản nháp chưa duyệt")
    for story, position, section, message in (
        (other_unit_story, HomePosition.TOP, None, "Chỉ bài đã xuất bản của đơn vị"),
        (draft, HomePosition.TOP, None, "Chỉ bài đã xuất bản của đơn vị"),
        (first, HomePosition.SECTION, None, "Hãy chọn một chuyên mục"),
        (first, HomePosition.SECTION, finance.finance, "phải là bài của chính chuyên mục đó"),
    ):
        answer = place(editor, finance.unit, story, position, section=section)
        assert answer.status_code == 200
        assert message in answer.content.decode() or "Hãy chọn một lựa chọn hợp lệ" in answer.content.decode()
    assert not HomePlacement.objects.exists()
    assert editor.post(screen(finance.unit), {"action": "take_off", "placement": "không-phải-số"}).status_code == 404
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert "Thời điểm ghim đến phải ở tương lai" in place(editor, finance.unit, first, HomePosition.TOP, until=past).content.decode()


def test_the_desk_sees_the_front_and_only_its_arrangers_change_it(newsroom, staff, stories):
    finance, (first, *_rest) = stories
    desk = client_for(staff[Role.DESK_EDITOR])
    page = desk.get(screen(finance.unit))
    assert page.status_code == 200 and "Đặt bài lên trang chủ" not in page.content.decode()
    assert refused(place(desk, finance.unit, first, HomePosition.TOP))
    assert client_for(staff["other_unit_editor_in_chief"]).get(screen(finance.unit)).status_code == 404
    assert refused(client_for(staff[Role.REPORTER]).get(screen(finance.unit)))
    assert not HomePlacement.objects.exists()
    # The board says how many stories are placed, and leads here.
    place(client_for(staff[Role.MANAGING_EDITOR]), finance.unit, first, HomePosition.TOP)
    board = desk.get(reverse("workflows_board", args=[finance.unit.slug])).content.decode()
    assert "Trang chủ: 1 bài được đặt" in board and screen(finance.unit) in board
