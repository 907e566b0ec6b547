"""The publishing dashboard through the admin, with deliveries made by the
real engine against the fake platforms: what each role sees, the health
strip, filters, the retry / cancel / resolve actions, the admin home
panel, and a query count that does not grow with the list."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article, refused
from tests.publishing.conftest import make_channel
from workflows.models import Role
from workflows.services import take_down

pytestmark = pytest.mark.django_db

S = DeliveryState
CHAT_NOT_FOUND = "Bad Request: chat not found"


def dashboard(unit, **query):
    url = reverse("publishing_dashboard:unit", kwargs={"unit_slug": unit.slug})
    return (url, query) if query else (url,)


def rows(response):
    """{delivery pk: state} of the deliveries table."""
    return {int(pk): state for pk, state in re.findall(r'<tr data-delivery="(\d+)" data-state="(\w+)"', response.content.decode())}


@pytest.fixture
def sent(newsroom, fake_platforms):
    """The finance unit's Telegram channel with one delivered story and one
    the platform refused (its message kept), plus a channel of the province
    unit with its own delivered story."""
    telegram = make_channel(newsroom.finance.unit, "telegram", fake_platforms, name="Telegram Tài chính")
    for story in (newsroom.finance.rail, newsroom.finance.budget):
        # The stories were published before the channel existed: publish again.
        story.save_revision().publish()
    rail = Delivery.objects.get(story=newsroom.finance.rail, channel=telegram)
    budget = Delivery.objects.get(story=newsroom.finance.budget, channel=telegram)
    services.process(rail.pk)
    fake_platforms.inject(
        platform="telegram", status=400, body={"ok": False, "error_code": 400, "description": CHAT_NOT_FOUND}, times=1
    )
    services.process(budget.pk)
    province_channel = make_channel(newsroom.province.unit, "telegram", fake_platforms, name="Telegram Lâm Đồng")
    newsroom.province.bus.save_revision().publish()
    bus = Delivery.objects.get(story=newsroom.province.bus)
    services.process(bus.pk)
    rail.refresh_from_db()
    budget.refresh_from_db()
    bus.refresh_from_db()
    assert (rail.state, budget.state, bus.state) == (S.DELIVERED, S.FAILED, S.DELIVERED)
    return type("Sent", (), {"telegram": telegram, "rail": rail, "budget": budget, "bus": bus, "province_channel": province_channel})


def test_publishers_see_their_units_deliveries_with_the_platforms_words(client, newsroom, staff, sent):
    client.force_login(staff[Role.DISTRIBUTION])
    # One unit: the menu's address leads straight to it.
    assert client.get(reverse("publishing_dashboard:index")).url == dashboard(newsroom.finance.unit)[0]
    response = client.get(*dashboard(newsroom.finance.unit))
    assert response.status_code == 200
    assert rows(response) == {sent.rail.pk: "delivered", sent.budget.pk: "failed"}
    html = response.content.decode()
    assert CHAT_NOT_FOUND in html
    assert sent.rail.remote_url and f'href="{sent.rail.remote_url}"' in html
    assert newsroom.finance.rail.title in html and "Telegram Lâm Đồng" not in html
    # The health strip: one failure in the last day, a last success, nothing waiting.
    assert '<dd class="hoitu-health__failures">1</dd>' in html
    assert '<dd class="hoitu-health__open">0</dd>' in html
    assert f'href="?channel={sent.telegram.pk}&amp;state=failed">1</a>' in html
    # Actions offered by state: a delivered one has none, a failed one all three.
    assert reverse("publishing_dashboard:retry", args=[sent.budget.pk]) in html
    assert reverse("publishing_dashboard:resolve", args=[sent.budget.pk]) in html
    assert reverse("publishing_dashboard:retry", args=[sent.rail.pk]) not in html


def test_filters(client, newsroom, staff, sent):
    client.force_login(staff[Role.MANAGING_EDITOR])
    unit = newsroom.finance.unit
    assert rows(client.get(*dashboard(unit, state="failed"))) == {sent.budget.pk: "failed"}
    assert rows(client.get(*dashboard(unit, channel=sent.telegram.pk, state="delivered"))) == {sent.rail.pk: "delivered"}
    # Story titles match with or without diacritics.
    assert rows(client.get(*dashboard(unit, q="duong sat"))) == {sent.rail.pk: "delivered"}
    assert rows(client.get(*dashboard(unit, q="ĐƯỜNG SẮT"))) == {sent.rail.pk: "delivered"}
    assert rows(client.get(*dashboard(unit, q="ngân sách"))) == {sent.budget.pk: "failed"}
    today = timezone.localdate()
    assert len(rows(client.get(*dashboard(unit, since=today.isoformat(), until=today.isoformat())))) == 2
    assert rows(client.get(*dashboard(unit, until=(today - timezone.timedelta(days=1)).isoformat()))) == {}
    # Another unit's channel is no filter here; a bad value is ignored, not an error.
    response = client.get(*dashboard(unit, channel=sent.province_channel.pk, state="nonsense", since="not-a-date"))
    assert response.status_code == 200 and len(rows(response)) == 2
    empty = client.get(*dashboard(unit, q="không có bài này"))
    assert rows(empty) == {} and 'id="hoitu-deliveries-empty"' in empty.content.decode()


def test_retry_cancel_and_resolve(client, newsroom, staff, sent, fake_platforms):
    client.force_login(staff[Role.DISTRIBUTION])
    back = dashboard(newsroom.finance.unit)[0] + "?state=failed"

    # Retry the refused one (the fault is used up): it goes out.
    response = client.post(reverse("publishing_dashboard:retry", args=[sent.budget.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    after = client.get(back)
    assert [m.level_tag for m in after.context["messages"]] == ["success"]
    # Asking for a retry is no failure of the channel.
    assert '<dd class="hoitu-health__failures">1</dd>' in after.content.decode()
    sent.budget.refresh_from_db()
    assert sent.budget.state == S.PENDING
    services.process(sent.budget.pk)
    sent.budget.refresh_from_db()
    assert sent.budget.state == S.DELIVERED and sent.budget.remote_id

    # A delivered one cannot be retried: a message, not an error page.
    response = client.post(reverse("publishing_dashboard:retry", args=[sent.rail.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    sent.rail.refresh_from_db()
    assert sent.rail.state == S.DELIVERED

    # Unknown: resolved by hand without the post's address, the page says what that means.
    Delivery.objects.filter(pk=sent.rail.pk).update(state=S.UNKNOWN, remote_id="", remote_url="")
    response = client.post(reverse("publishing_dashboard:resolve", args=[sent.rail.pk]), {"post": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["warning", "success"]
    assert "Không có ID bài đăng nên các lần đính chính và việc gỡ bài sau này sẽ không" in response.content.decode()
    sent.rail.refresh_from_db()
    assert sent.rail.state == S.DELIVERED and sent.rail.remote_data == {"by_hand": True}
    assert sent.rail.resolved_by == staff[Role.DISTRIBUTION]

    # Cancel a waiting one.
    Delivery.objects.filter(pk=sent.budget.pk).update(state=S.RETRYING)
    client.post(reverse("publishing_dashboard:cancel", args=[sent.budget.pk]))
    sent.budget.refresh_from_db()
    assert sent.budget.state == S.CANCELLED
    # Actions are POSTs.
    assert client.get(reverse("publishing_dashboard:cancel", args=[sent.budget.pk])).status_code == 405
    # An address elsewhere is not followed back.
    response = client.post(reverse("publishing_dashboard:retry", args=[sent.budget.pk]), {"next": "https://evil.example/"})
    assert response.url == dashboard(newsroom.finance.unit)[0]


def test_a_post_resolved_by_its_address_is_reached_by_the_takedown(client, newsroom, staff, sent, fake_platforms):
    client.force_login(staff[Role.DISTRIBUTION])
    message_id = sent.rail.remote_id
    Delivery.objects.filter(pk=sent.rail.pk).update(state=S.UNKNOWN, remote_id="", remote_url="", remote_data={})
    html = client.get(*dashboard(newsroom.finance.unit)).content.decode()
    assert f'id="resolve-post-{sent.rail.pk}" type="text" name="post"' in html
    assert "Dán địa chỉ hoặc ID của bài đăng để các lần đính chính và việc gỡ bài sau này tới được" in html  # what it is for

    # Bad input: a Vietnamese message on the page, nothing recorded.
    resolve = reverse("publishing_dashboard:resolve", args=[sent.rail.pk])
    for bad, said in (
        ("không rõ", "“không rõ” không phải địa chỉ hay ID của một bài đăng trên Kênh Telegram"),
        ("https://", "Hãy nhập địa chỉ đầy đủ của bài đăng, bắt đầu bằng https://, hoặc ID"),
        ("https://t.me/" + "x" * 1100, "Giá trị này chỉ được có tối đa 1024 ký tự"),
    ):
        response = client.post(resolve, {"post": bad}, follow=True)
        assert response.status_code == 200
        [message] = response.context["messages"]
        assert message.level_tag == "error" and str(message).startswith(said), str(message)
    sent.rail.refresh_from_db()
    assert sent.rail.state == S.UNKNOWN

    # The post's address, as Telegram shows it: its id is kept.
    response = client.post(resolve, {"post": f"https://t.me/kenhthu/{message_id}"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    sent.rail.refresh_from_db()
    assert (sent.rail.state, sent.rail.remote_id, sent.rail.remote_url) == (S.DELIVERED, message_id, f"https://t.me/kenhthu/{message_id}")
    assert "by_hand" not in sent.rail.remote_data

    # The story is taken down: the message the person pointed at is deleted.
    take_down(newsroom.finance.rail, staff[Role.EDITOR_IN_CHIEF], "Sai số liệu")
    services.process(sent.rail.pk)
    sent.rail.refresh_from_db()
    assert sent.rail.state == S.REMOVED, sent.rail.error
    assert fake_platforms.posts["telegram"][message_id]["deleted"]
    [delete] = fake_platforms.requests_to("telegram", path="deleteMessage")
    assert delete.json == {"chat_id": "@kenhthu", "message_id": int(message_id)}


def test_who_may_see_and_act(client, newsroom, staff, sent):
    unit = newsroom.finance.unit
    # A reporter neither opens the dashboard nor acts.
    client.force_login(staff[Role.REPORTER])
    assert refused(client.get(reverse("publishing_dashboard:index")))
    assert refused(client.get(*dashboard(unit)))
    assert client.post(reverse("publishing_dashboard:retry", args=[sent.budget.pk])).status_code == 404
    # Another unit's publisher: this unit's dashboard and deliveries are out of reach.
    client.force_login(staff["other_unit_editor_in_chief"])
    assert refused(client.get(*dashboard(unit)))
    for action in ("retry", "cancel", "resolve"):
        assert client.post(reverse(f"publishing_dashboard:{action}", args=[sent.budget.pk])).status_code == 404
    assert rows(client.get(*dashboard(newsroom.province.unit))) == {sent.bus.pk: "delivered"}
    sent.budget.refresh_from_db()
    assert sent.budget.state == S.FAILED
    # The unit's editors (managing editor, editor-in-chief) may.
    for role in (Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR, Role.UNIT_ADMIN):
        client.force_login(staff[role])
        assert client.get(*dashboard(unit)).status_code == 200


def test_home_panel_and_menu_count_what_needs_attention(client, newsroom, staff, sent):
    Delivery.objects.filter(pk=sent.rail.pk).update(state=S.UNKNOWN)
    client.force_login(staff[Role.DISTRIBUTION])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="hoitu-publishing-section"' in html
    url = dashboard(newsroom.finance.unit)[0]
    assert f'href="{url}?state=failed">1</a>' in html and f'href="{url}?state=unknown">1</a>' in html
    assert "publishing-dashboard" in html and "(2 " in html  # the menu's label carries the count
    # A reporter gets neither.
    client.force_login(staff[Role.REPORTER])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="hoitu-publishing-section"' not in html and "publishing-dashboard" not in html


def test_a_unit_without_channels_is_told_how_to_start(client, newsroom, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    html = client.get(*dashboard(newsroom.finance.unit)).content.decode()
    assert 'id="hoitu-no-channels"' in html and reverse("publishing_channels:choose_kind") in html


def test_queries_do_not_grow_with_the_deliveries(client, newsroom, staff, django_assert_max_num_queries):
    unit = newsroom.finance.unit
    channels = [make_channel(unit, "telegram", name="Kênh Telegram"), make_channel(unit, "facebook", name="Trang Facebook")]
    states = list(S.values)

    def add_stories(count, start):
        for n in range(start, start + count):
            story = make_article(newsroom.finance.economy, title=f"Bài số {n}", publish=False)
            channel = channels[n % 2]
            Delivery.objects.create(story=story, channel=channel, state=states[n % len(states)], error=f"lỗi {n}", attempts=n % 4)

    client.force_login(staff[Role.DISTRIBUTION])
    url = dashboard(unit)[0]
    client.get(url)  # warm up: sessions, site and locale caches
    add_stories(5, 0)
    with django_assert_max_num_queries(60) as few:
        assert len(rows(client.get(url))) == 5
    add_stories(45, 5)  # 50 deliveries, two pages
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(url))) == 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(url, {"p": 2}))) == 20
