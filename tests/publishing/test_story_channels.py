"""The story editor's Channels tab, through the real admin: the status of
each delivery (and its JSON, polled while a publish is under way, scoped to
the story's unit), the platforms' refusals, the data the counters and
previews work from, and the per-channel copies limited to the story's
unit's channels."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from newsroom.models import ArticlePage
from publishing import services
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article
from tests.publishing.conftest import make_channel
from workflows.models import Role

pytestmark = pytest.mark.django_db

S = DeliveryState


def status_url(story):
    return reverse("publishing_story:deliveries", args=[story.pk])


def edit_url(story):
    return reverse("wagtailadmin_pages:edit", args=[story.pk])


@pytest.fixture
def world(newsroom, fake_platforms):
    """The finance unit's Telegram, X and Zalo channels and a story without a
    cover picture, published: Telegram delivered, X still waiting, Zalo
    refused (it needs a cover)."""
    unit = newsroom.finance.unit
    telegram = make_channel(unit, "telegram", fake_platforms, name="Telegram Tài chính")
    x = make_channel(unit, "x", fake_platforms, name="X Tài chính")
    zalo = make_channel(unit, "zalo", fake_platforms, name="Zalo Tài chính")
    province = make_channel(newsroom.province.unit, "telegram", fake_platforms, name="Telegram Lâm Đồng")
    story = make_article(
        newsroom.finance.economy, title="Giá vàng hôm nay tăng mạnh", sapo="Giá vàng miếng tăng 2 triệu đồng mỗi lượng.",
        authors=[newsroom.reporter],
    )
    deliveries = {d.channel_id: d for d in Delivery.objects.filter(story=story)}
    assert set(deliveries) == {telegram.pk, x.pk, zalo.pk}
    services.process(deliveries[telegram.pk].pk)
    services.process(deliveries[zalo.pk].pk)
    return type("World", (), {"unit": unit, "telegram": telegram, "x": x, "zalo": zalo, "province": province, "story": story, "deliveries": deliveries})


def zalo_refusal(world, language):
    """Why Zalo refuses the story (no cover), in ``language``."""
    adapter = world.zalo.get_adapter()
    with translation.override(language):
        return str(adapter.check(adapter.render(world.story.specific)))


def test_the_status_json_follows_a_publish(client, staff, world):
    client.force_login(staff[Role.REPORTER])  # everyone of the unit sees where its stories went
    data = client.get(status_url(world.story)).json()
    by_channel = {row["channel"]["id"]: row for row in data["deliveries"]}
    assert data["open"] is True
    assert by_channel[world.telegram.pk]["state"] == "delivered"
    assert by_channel[world.telegram.pk]["remote_url"].startswith("https://t.me/")
    assert by_channel[world.x.pk]["state"] == "pending" and by_channel[world.x.pk]["open"] is True
    assert by_channel[world.zalo.pk]["state"] == "failed" and by_channel[world.zalo.pk]["error"] == zalo_refusal(world, world.unit.language)
    assert data["poll_interval_ms"] == 2000

    services.process(world.deliveries[world.x.pk].pk)
    data = client.get(status_url(world.story)).json()
    assert data["open"] is False
    assert {row["channel"]["id"]: row["state"] for row in data["deliveries"]}[world.x.pk] == "delivered"


def test_the_status_json_is_scoped_to_the_storys_unit(client, newsroom, staff, world):
    for person in ("other_unit_editor_in_chief", "other_unit_reporter"):
        client.force_login(staff[person])
        response = client.get(status_url(world.story))
        # Another unit's story does not exist for them.
        assert response.status_code == 404 and "error" in response.json()
    client.force_login(staff[Role.DISTRIBUTION])
    assert client.get(reverse("publishing_story:deliveries", args=[999999])).status_code == 404
    client.logout()
    assert client.get(status_url(world.story)).status_code == 302  # to the sign-in page


def editor(client, story):
    response = client.get(edit_url(story))
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_channels_tab_shows_where_the_story_went_and_what_platforms_refuse(client, newsroom, staff, world):
    client.force_login(staff[Role.MANAGING_EDITOR])
    _response, html = editor(client, world.story)
    assert 'id="hoitu-channel-status"' in html and f'data-url="{status_url(world.story)}"' in html
    assert 'data-open="true"' in html
    states = dict(re.findall(r'<tr data-delivery="\d+" data-state="(\w+)">\s*<td>([^<]+)<', html))
    assert set(states) == {"delivered", "pending", "failed"}
    assert "publishing/story-channels.js" in html and "publishing/publishing.css" in html

    data = json.loads(re.search(r'<script id="hoitu-editor-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert set(data["channels"]) == {str(world.telegram.pk), str(world.x.pk), str(world.zalo.pk)}
    x = data["channels"][str(world.x.pk)]
    assert x["counting"] == {"mode": "weighted", "url_weight": 23, "light_ranges": x["counting"]["light_ranges"]}
    assert x["limits"][0]["max"] == 280
    zalo = data["channels"][str(world.zalo.pk)]
    assert {(limit["field"], limit["max"]) for limit in zalo["limits"]} == {("headline", 150), ("text", 300)}
    assert zalo["refusal"] == zalo_refusal(world, "vi")  # the platform's own check, in the admin's language
    assert data["channels"][str(world.telegram.pk)]["counting"] == {"mode": "characters"}
    assert data["story"]["headline"] == world.story.title and data["story"]["url"].endswith(world.story.url_path.split("/", 2)[-1])


def test_a_story_with_nothing_sent_yet_lists_its_units_channels(client, newsroom, staff, world):
    client.force_login(staff[Role.MANAGING_EDITOR])
    draft = make_article(newsroom.finance.finance, title="Bản nháp chưa đăng", publish=False)
    _response, html = editor(client, draft)
    assert 'data-open="false"' in html
    for channel in (world.telegram, world.x, world.zalo):
        assert f'<li data-channel="{channel.pk}">' in html
    assert f'<li data-channel="{world.province.pk}">' not in html


def channel_choices(html):
    select = re.search(r'<select name="channel_copies-__prefix__-channel".*?</select>', html, re.S)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(0))}


def post_editor(client, story, copies):
    response, html = editor(client, story)
    data = querydict_from_html(html, form_id="page-edit-form")
    live = ArticlePage.objects.get(pk=story.pk)
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text(block.value.source)) for block in live.body])}))
    data["channel_copies-TOTAL_FORMS"] = str(len(copies))
    data["channel_copies-INITIAL_FORMS"] = "0"
    for n, copy in enumerate(copies):
        for key, value in {"include": "default", "headline": "", "text": "", "image": "", "DELETE": "", **copy}.items():
            data[f"channel_copies-{n}-{key}"] = str(value)
    return client.post(edit_url(story), data)


def test_only_the_storys_units_channels_can_be_chosen(client, newsroom, staff, world):
    client.force_login(staff[Role.MANAGING_EDITOR])
    _response, html = editor(client, world.story)
    assert channel_choices(html) == {world.telegram.pk, world.x.pk, world.zalo.pk}

    # Another unit's channel, posted anyway: refused, nothing saved.
    revisions = world.story.revisions.count()
    response = post_editor(client, world.story, [{"channel": world.province.pk, "headline": "Tiêu đề khác"}])
    assert response.status_code == 200  # the editor again, with the error
    assert response.context["form"].formsets["channel_copies"].forms[0].errors["channel"]
    assert world.story.revisions.count() == revisions
    # The same channel twice: refused.
    response = post_editor(client, world.story, [{"channel": world.x.pk}, {"channel": world.x.pk, "include": "never"}])
    assert response.status_code == 200 and response.context["form"].formsets["channel_copies"].non_form_errors()
    assert world.story.revisions.count() == revisions

    # A headline for X only: saved with the story's draft.
    response = post_editor(client, world.story, [{"channel": world.x.pk, "include": "always", "headline": "Vàng lên đỉnh mới"}])
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=world.story.pk).get_latest_revision_as_object()
    assert [(c.channel_id, c.include, c.headline) for c in draft.channel_copies.all()] == [(world.x.pk, "always", "Vàng lên đỉnh mới")]


def test_a_new_storys_channels_tab_offers_its_sections_unit(client, newsroom, staff, world):
    client.force_login(staff[Role.MANAGING_EDITOR])
    response = client.get(reverse("wagtailadmin_pages:add", args=["newsroom", "articlepage", newsroom.finance.economy.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="hoitu-channel-status"' in html and "data-url=" not in html.split('id="hoitu-channel-status"')[1].split(">")[0]
    assert channel_choices(html) == {world.telegram.pk, world.x.pk, world.zalo.pk}
