"""The e-mail newsletter: readers subscribe (double opt-in) and unsubscribe
on their unit's site, and each unit's newsletter channel mails a digest of
its new stories at its scheduled times, once."""

import re
import smtplib
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from publishing import newsletters, services
from publishing.adapters.errors import Permanent
from publishing.models import Channel, Delivery, DeliveryAttempt, DeliveryState
from publishing.models.newsletters import IssueState, NewsletterIssue, Subscriber
from tests.helpers import host, make_article, make_image, make_section, make_staff, make_unit
from tests.shared import built_once
from workflows.models import Notification, NotificationKind, Role
from workflows.services import take_down

# Nothing here can differ on PostgreSQL + Redis (a newsletter rendered and sent): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once

S = DeliveryState
ZONE = timezone.get_default_timezone()


# --- builders -----------------------------------------------------------


def local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def day():
    """A day after every row the test writes: the channel exists since 05:00."""
    return timezone.localtime(timezone.now(), ZONE).date() + timedelta(days=1)


def newsletter_channel(unit, day, **config):
    channel = Channel.objects.create(unit=unit, kind="newsletter", name=f"{unit.name} – bản tin", config=config)
    Channel.objects.filter(pk=channel.pk).update(created_at=local(day, 5))
    channel.refresh_from_db()
    return channel


def subscriber(unit, email, confirmed=True, unsubscribed=False):
    now = timezone.now()
    return Subscriber.objects.create(
        unit=unit, email=email, confirmed_at=now if confirmed else None, unsubscribed_at=now if unsubscribed else None
    )


def build_finance():
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    unit.address = "28 Trần Hưng Đạo, Hà Nội"
    unit.save()
    return unit, make_section(home, "Kinh tế")


def build_province():
    unit, home = make_unit("lamdong", "Báo Lâm Đồng")
    return unit, make_section(home, "Thời sự")


_module_finance = built_once("finance", build_finance)
_module_province = built_once("province", build_province)


@pytest.fixture
def finance(db, _module_finance, shared_data):
    return shared_data(_module_finance, build_finance)


@pytest.fixture
def province(db, _module_province, shared_data):
    return shared_data(_module_province, build_province)


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def html_of(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


def link_in(text, name):
    match = re.search(rf"https?://[^\s\"<>]+/newsletter/{name}/[^\s\"<>]+/", text)
    assert match, f"no {name} link in the e-mail"
    return urlsplit(match.group(0)).path


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks queued by the code under test run here, at once."""
    from hoitu.celery import app

    app.conf.update(task_always_eager=True)
    yield app
    app.conf.update(task_always_eager=False)


def subscribe(client, data, **extra):
    """Post the subscribe form; what the request queued for after its
    commit (the confirmation mail's task) runs once it has answered."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/newsletter/", data, **extra)


# --- subscribing ----------------------------------------------------------


def test_subscribe_confirm_and_receive(client, finance, province):
    unit, _section = finance
    page = client.get("/newsletter/?email=ban@example.vn", **host(unit))
    assert page.status_code == 200
    assert b'id="newsletter-subscribe-form"' in page.content and b'value="ban@example.vn"' in page.content
    assert "no-cache" in page["Cache-Control"]  # a CSRF token must never be served from the page cache

    answer = subscribe(client, {"email": "  Ban@Example.VN "}, **host(unit))
    assert answer.status_code == 200 and b'id="newsletter-sent"' in answer.content
    reader = Subscriber.objects.get(unit=unit)
    assert reader.email == "ban@example.vn" and not reader.active
    [message] = mail.outbox
    assert message.to == ["ban@example.vn"] and "Thời báo Tài chính" in message.from_email
    confirm_path = link_in(message.body, "confirm")
    assert confirm_path == link_in(html_of(message), "confirm")

    # Following the link (as a mail scanner would) subscribes nobody.
    shown = client.get(confirm_path, **host(unit))
    assert shown.status_code == 200 and b'id="newsletter-confirm-form"' in shown.content
    reader.refresh_from_db()
    assert not reader.active
    # The link is the unit's own: another unit's site does not know it.
    assert client.post(confirm_path, **host(province[0])).status_code == 404

    done = client.post(confirm_path, **host(unit))
    assert done.status_code == 200 and b'id="newsletter-confirmed"' in done.content
    reader.refresh_from_db()
    assert reader.active


def test_subscribing_answers_alike_whoever_the_address_is(client, finance):
    unit, _section = finance
    subscriber(unit, "da.dang.ky@example.vn")
    new = subscribe(client, {"email": "moi@example.vn"}, **host(unit))
    known = subscribe(client, {"email": "da.dang.ky@example.vn"}, **host(unit))
    assert new.status_code == known.status_code == 200
    assert new.content.replace(b"moi@example.vn", b"X") == known.content.replace(b"da.dang.ky@example.vn", b"X")
    # Both get a link (a mail server's log tells no more than the page);
    # confirming again leaves the subscription as it was.
    assert sorted(m.to[0] for m in mail.outbox) == ["da.dang.ky@example.vn", "moi@example.vn"]
    again = client.get(link_in(sent_to("da.dang.ky@example.vn")[0].body, "confirm"), **host(unit))
    assert again.status_code == 200 and b'id="newsletter-already"' in again.content


@pytest.mark.parametrize("value", ["", "khong-phai-email", "a@b", "x" * 250 + "@example.vn"])
def test_bad_address_is_refused_clearly(client, finance, value):
    unit, _section = finance
    with translation.override("en"):
        answer = subscribe(client, {"email": value}, HTTP_ACCEPT_LANGUAGE="en", **host(unit))
    assert answer.status_code == 400
    assert b'id="newsletter-email-error"' in answer.content
    assert not Subscriber.objects.exists() and not mail.outbox


def test_subscribing_needs_the_csrf_token(finance):
    unit, _section = finance
    strict = Client(enforce_csrf_checks=True)
    assert subscribe(strict, {"email": "ban@example.vn"}, **host(unit)).status_code == 403
    assert not Subscriber.objects.exists()


def test_repeated_requests_are_limited(client, finance):
    unit, _section = finance
    for _n in range(newsletters.MAILS_PER_ADDRESS + 2):
        answer = subscribe(client, {"email": "nan.nhan@example.vn"}, REMOTE_ADDR="10.0.0.1", **host(unit))
        assert answer.status_code == 200  # the same answer: nothing to learn, nothing to bomb
    assert len(mail.outbox) == newsletters.MAILS_PER_ADDRESS

    statuses = [
        subscribe(client, {"email": f"r{n}@example.vn"}, REMOTE_ADDR="10.0.0.2", **host(unit)).status_code
        for n in range(newsletters.REQUESTS_PER_CLIENT + 1)
    ]
    assert statuses[:-1] == [200] * newsletters.REQUESTS_PER_CLIENT
    assert statuses[-1] == 429
    # Another reader is not held back by that one.
    assert subscribe(client, {"email": "khac@example.vn"}, REMOTE_ADDR="10.0.0.3", **host(unit)).status_code == 200


def test_behind_a_proxy_readers_are_limited_one_by_one(client, finance, settings):
    unit, _section = finance
    settings.NEWSLETTER_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = {"REMOTE_ADDR": "127.0.0.1", **host(unit)}
    for n in range(newsletters.REQUESTS_PER_CLIENT):
        assert subscribe(client, {"email": f"r{n}@example.vn"}, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 10.0.0.{n}", **proxy).status_code == 200
    assert subscribe(client, {"email": "x@example.vn"}, HTTP_X_FORWARDED_FOR="10.0.0.0", **proxy).status_code == 200
    assert subscribe(client, {"email": "y@example.vn"}, HTTP_X_FORWARDED_FOR="10.0.0.0", **proxy).status_code == 200


def _confirmation_issued_at(reader, moment):
    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(moment.timestamp()))

    return Then(salt=newsletters.CONFIRM_SALT).sign_object({"s": reader.token, "at": int(moment.timestamp() * 1000)}, compress=True)


def test_a_mail_server_outage_never_fails_the_subscription(client, finance, flaky_mail, eager_tasks):
    from publishing.tasks import send_newsletter_confirmation

    unit, _section = finance
    flaky_mail.down_after = 0
    eager_tasks.conf.update(task_always_eager=False)  # the worker is not running yet
    answer = subscribe(client, {"email": "ban@example.vn"}, **host(unit))
    # The reader gets the same answer as ever, at once; the address is kept.
    assert answer.status_code == 200 and b'id="newsletter-sent"' in answer.content
    reader = Subscriber.objects.get(unit=unit, email="ban@example.vn")
    # The worker, with the server still down, tries and gives up without dying.
    send_newsletter_confirmation.apply(args=[reader.pk])
    assert mail.outbox == []
    # Once the server is back, the link goes out.
    flaky_mail.down_after = None
    send_newsletter_confirmation.apply(args=[reader.pk])
    [message] = mail.outbox
    assert message.to == ["ban@example.vn"] and link_in(message.body, "confirm")


def test_bad_and_expired_confirmation_links_get_friendly_pages(client, finance):
    unit, _section = finance
    reader = subscriber(unit, "ban@example.vn", confirmed=False)
    forged = client.get("/newsletter/confirm/khong-hop-le/", **host(unit))
    assert forged.status_code == 404 and b'id="newsletter-link-invalid"' in forged.content
    tampered = newsletters.confirmation_token(reader)[:-2] + "xx"
    assert client.post(f"/newsletter/confirm/{tampered}/", **host(unit)).status_code == 404

    old = _confirmation_issued_at(reader, timezone.now() - newsletters.CONFIRM_MAX_AGE - timedelta(hours=1))
    expired = client.post(f"/newsletter/confirm/{old}/", **host(unit))
    assert expired.status_code == 400 and b'id="newsletter-link-expired"' in expired.content
    reader.refresh_from_db()
    assert not reader.active


def test_a_link_from_before_unsubscribing_does_not_subscribe_again(client, finance):
    unit, _section = finance
    reader = subscriber(unit, "ban@example.vn")
    link = _confirmation_issued_at(reader, timezone.now() - timedelta(hours=2))
    newsletters.unsubscribe(unit, reader.token)
    assert client.post(f"/newsletter/confirm/{link}/", **host(unit)).status_code == 400
    reader.refresh_from_db()
    assert reader.unsubscribed_at is not None

    # Asking again sends a fresh link that does.
    subscribe(client, {"email": "ban@example.vn"}, **host(unit))
    assert client.post(link_in(mail.outbox[-1].body, "confirm"), **host(unit)).status_code == 200
    reader.refresh_from_db()
    assert reader.active


# --- unsubscribing --------------------------------------------------------


def test_unsubscribe_from_the_page(finance, province):
    unit, _section = finance
    reader = subscriber(unit, "ban@example.vn")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/newsletter/unsubscribe/{reader.token}/", **host(unit))
    assert page.status_code == 200 and b'id="newsletter-unsubscribe-form"' in page.content
    reader.refresh_from_db()
    assert reader.active  # looking is not unsubscribing
    assert browser.post(f"/newsletter/unsubscribe/{reader.token}/", **host(province[0])).status_code == 404

    done = browser.post(f"/newsletter/unsubscribe/{reader.token}/", **host(unit))
    assert done.status_code == 200 and b'id="newsletter-unsubscribed"' in done.content
    reader.refresh_from_db()
    assert reader.unsubscribed_at is not None and not reader.active
    first = reader.unsubscribed_at
    again = browser.post(f"/newsletter/unsubscribe/{reader.token}/", **host(unit))
    assert again.status_code == 200
    reader.refresh_from_db()
    assert reader.unsubscribed_at == first


def test_one_click_unsubscribe_from_a_mail_client(finance):
    unit, _section = finance
    reader = subscriber(unit, "ban@example.vn")
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no token: RFC 8058
    answer = mail_client.post(
        f"/newsletter/unsubscribe/{reader.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        **host(unit),
    )
    assert answer.status_code == 200
    reader.refresh_from_db()
    assert not reader.active


def test_unknown_unsubscribe_link_is_a_friendly_404(client, finance):
    unit, _section = finance
    for method in (client.get, client.post):
        answer = method("/newsletter/unsubscribe/khong-co-that/", **host(unit))
        assert answer.status_code == 404 and b'id="newsletter-link-invalid"' in answer.content


def test_the_footer_offers_the_newsletter(client, finance):
    unit, _section = finance
    front = client.get("/", **host(unit))
    assert front.status_code == 200
    assert b'id="newsletter-box"' in front.content and b'action="/newsletter/"' in front.content


# --- the digest -----------------------------------------------------------


def test_digest_goes_out_at_the_scheduled_time_once(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day)
    story = make_article(section, title="Giá vàng tăng mạnh", sapo="Giá vàng miếng vượt 90 triệu đồng.")
    subscriber(unit, "a@example.vn")
    subscriber(unit, "b@example.vn")

    assert newsletters.send_due_digests(now=local(day, 5, 59)) == []
    assert not mail.outbox and not NewsletterIssue.objects.exists()

    [issue] = newsletters.send_due_digests(now=local(day, 6, 1))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn"]
    # A second beat, or the same one a few minutes later: nothing more.
    assert newsletters.send_due_digests(now=local(day, 6, 1)) == []
    assert newsletters.send_due_digests(now=local(day, 6, 6)) == []
    assert len(mail.outbox) == 2

    issue.refresh_from_db()
    assert issue.state == IssueState.SENT and issue.recipients == 2 and issue.scheduled_for == local(day, 6)
    assert [s.pk for s in issue.stories.all()] == [story.pk]
    delivery = Delivery.objects.get(story=story, channel=channel)
    assert delivery.state == S.DELIVERED and delivery.done_generation == delivery.generation
    assert delivery.remote_url == f"http://{unit.site.hostname}/newsletter/issues/{issue.pk}/"
    assert DeliveryAttempt.objects.filter(delivery=delivery, operation="digest", outcome="delivered").count() == 1

    # 17:00 with nothing new: the slot is recorded, nobody is mailed.
    [evening] = newsletters.send_due_digests(now=local(day, 17, 2))
    assert evening.state == IssueState.EMPTY and len(mail.outbox) == 2
    assert newsletters.send_due_digests(now=local(day, 17, 7)) == []


def test_a_new_channel_waits_for_its_next_slot(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day, send_times="08:30")
    Channel.objects.filter(pk=channel.pk).update(created_at=local(day, 9))
    make_article(section)
    subscriber(unit, "a@example.vn")
    assert newsletters.send_due_digests(now=local(day, 12)) == []
    [issue] = newsletters.send_due_digests(now=local(day + timedelta(days=1), 8, 31))
    assert issue.scheduled_for == local(day + timedelta(days=1), 8, 30) and len(mail.outbox) == 1


def test_digest_holds_exactly_the_units_waiting_stories(finance, province, day):
    unit, section = finance
    other_unit, other_section = province
    channel = newsletter_channel(unit, day, subject_prefix="Bản tin Tài chính")
    other_channel = newsletter_channel(other_unit, day)
    cover = make_image("Sàn chứng khoán", size=(640, 360))
    first = make_article(section, title="Thị trường chứng khoán hồi phục", sapo="VN-Index tăng 20 điểm.", cover_image=cover, kicker="Chứng khoán")
    second = make_article(section, title="Ngân hàng giảm lãi suất", sapo="Lãi suất cho vay giảm 0,5 điểm.")
    held = make_article(section, title="Bài đang bị cấm vận", sapo="Chưa được đăng.")
    # Embargoed after it went out to the site: channels wait for its end.
    type(held).objects.filter(pk=held.pk).update(embargo_until=timezone.now() + timedelta(days=3))
    pulled = make_article(section, title="Bài bị gỡ", sapo="Sai sự thật.")
    take_down(pulled, make_staff(unit, Role.EDITOR_IN_CHIEF), "Thông tin sai")
    elsewhere = make_article(other_section, title="Đà Lạt mở tuyến xe buýt điện", sapo="Tuyến mới nối sân bay.")

    readers = [subscriber(unit, "a@example.vn"), subscriber(unit, "b@example.vn")]
    subscriber(unit, "chua.xac.nhan@example.vn", confirmed=False)
    subscriber(unit, "da.huy@example.vn", unsubscribed=True)
    subscriber(other_unit, "lamdong@example.vn")

    issues = newsletters.send_due_digests(now=local(day, 6, 1))
    assert len(issues) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn", "lamdong@example.vn"]
    assert not sent_to("chua.xac.nhan@example.vn") and not sent_to("da.huy@example.vn")

    issue = NewsletterIssue.objects.get(channel=channel)
    for reader in readers:
        [message] = sent_to(reader.email)
        html = html_of(message)
        assert message.subject.startswith("Bản tin Tài chính") and second.title in message.subject  # newest first
        for text in (message.body, html):
            assert first.title in text and second.title in text
            assert held.title not in text and pulled.title not in text and elsewhere.title not in text
            assert f"/newsletter/issues/{issue.pk}/" in text
        assert html.index(second.title) < html.index(first.title)
        assert first.sapo in html and "Chứng khoán" in html and unit.address in html
        thumbnail = re.search(r'<img src="([^"]+)"', html).group(1)
        assert thumbnail.startswith(f"http://{unit.site.hostname}/") and thumbnail.endswith(".jpg")
        # Each reader's own unsubscribe link, in the headers and the text.
        url = f"http://{unit.site.hostname}/newsletter/unsubscribe/{reader.token}/"
        assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body and url in html and reader.email in html
    [lamdong] = sent_to("lamdong@example.vn")
    assert elsewhere.title in lamdong.body and first.title not in lamdong.body

    state = dict(Delivery.objects.filter(channel=channel).values_list("story_id", "state"))
    assert state == {first.pk: S.DELIVERED, second.pk: S.DELIVERED, held.pk: S.PENDING, pulled.pk: S.CANCELLED}
    assert Delivery.objects.get(channel=other_channel).state == S.DELIVERED

    # The embargo ends: the held story goes in the next issue, alone.
    type(held).objects.filter(pk=held.pk).update(embargo_until=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    newsletters.send_due_digests(now=local(day, 17, 1))
    assert len(mail.outbox) == 2 and all(held.title in m.body and first.title not in m.body for m in mail.outbox)


def test_an_issue_takes_the_newest_stories_and_says_why_not_the_rest(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day, max_stories=2)
    stories = [make_article(section, title=f"Tin số {n}") for n in range(3)]
    subscriber(unit, "a@example.vn")
    newsletters.send_due_digests(now=local(day, 6, 1))
    [message] = mail.outbox
    assert stories[2].title in message.body and stories[1].title in message.body and stories[0].title not in message.body
    oldest = Delivery.objects.get(channel=channel, story=stories[0])
    assert oldest.state == S.CANCELLED and oldest.error
    # A later fix to that story does not make it news for the next issue.
    stories[0].sapo = "Sửa lỗi chính tả."
    stories[0].save_revision().publish()
    [evening] = newsletters.send_due_digests(now=local(day, 17, 1))
    assert evening.state == IssueState.EMPTY and len(mail.outbox) == 1
    assert Delivery.objects.get(pk=oldest.pk).state == S.CANCELLED


def test_a_story_taken_down_after_the_digest_stays_delivered_and_leaves_the_web_issue(client, finance, province, day):
    unit, section = finance
    channel = newsletter_channel(unit, day)
    kept = make_article(section, title="Tin còn lại", sapo="Vẫn trên trang.")
    pulled = make_article(section, title="Tin bị gỡ sau", sapo="Gỡ sau khi gửi.")
    subscriber(unit, "a@example.vn")
    [issue] = newsletters.send_due_digests(now=local(day, 6, 1))

    web = client.get(f"/newsletter/issues/{issue.pk}/", **host(unit))
    assert web.status_code == 200 and pulled.title.encode() in web.content and kept.title.encode() in web.content
    assert client.get(f"/newsletter/issues/{issue.pk}/", **host(province[0])).status_code == 404

    editor = make_staff(unit, Role.EDITOR_IN_CHIEF)
    take_down(pulled, editor, "Vi phạm bản quyền")
    delivery = Delivery.objects.get(channel=channel, story=pulled)
    # An e-mail cannot be recalled: the record says it went out, and why it stays.
    assert delivery.state == S.DELIVERED and delivery.error
    web = client.get(f"/newsletter/issues/{issue.pk}/", **host(unit))
    assert web.status_code == 200 and pulled.title.encode() not in web.content and kept.title.encode() in web.content
    assert b'id="newsletter-withdrawn"' in web.content

    take_down(kept, editor, "Sai sự thật")
    assert client.get(f"/newsletter/issues/{issue.pk}/", **host(unit)).status_code == 410


def test_an_updated_story_is_not_mailed_twice(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day)
    story = make_article(section, title="Tin ban đầu")
    subscriber(unit, "a@example.vn")
    newsletters.send_due_digests(now=local(day, 6, 1))
    story.title = "Tin đã cập nhật"
    story.save_revision().publish()
    delivery = Delivery.objects.get(channel=channel, story=story)
    assert delivery.state == S.PENDING  # the engine asks every channel to show the new version

    [evening] = newsletters.send_due_digests(now=local(day, 17, 1))
    assert evening.state == IssueState.EMPTY and len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.done_generation == delivery.generation


def test_the_engine_leaves_newsletter_deliveries_to_the_digest(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day)
    story = make_article(section)
    delivery = Delivery.objects.get(channel=channel, story=story)
    Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=timezone.now() - timedelta(hours=1))
    assert delivery.pk not in services.sweep()
    assert services.process(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.state == S.PENDING and delivery.total_attempts == 0


def test_bad_send_times_disable_the_channel_with_the_reason(finance, day):
    unit, section = finance
    channel = newsletter_channel(unit, day, send_times="6h sáng")
    make_article(section)
    subscriber(unit, "a@example.vn")
    assert newsletters.send_due_digests(now=local(day, 6, 1)) == []
    channel.refresh_from_db()
    assert not channel.enabled and "6h" in channel.disabled_reason
    # Only mail to staff about the disabled channel, nothing to readers.
    assert not sent_to("a@example.vn")


def test_the_channel_form_reads_the_send_times():
    from django.core.exceptions import ValidationError

    from publishing.adapters.newsletter import NewsletterAdapter

    fields = {spec[0]: spec[2] for spec in NewsletterAdapter.config_fields}
    assert fields["send_times"].clean(" 6:00, 17:30;06:00 ") == ["06:00", "17:30"]
    assert fields["send_times"].prepare_value(["06:00", "17:30"]) == "06:00, 17:30"
    for bad in ("25:00", "6h", "06:00, chiều"):
        with pytest.raises(ValidationError):
            fields["send_times"].clean(bad)
    with pytest.raises(ValidationError):
        fields["max_stories"].clean("0")


def test_the_adapter_never_sends_one_story_alone(finance, day):
    unit, section = finance
    adapter = newsletter_channel(unit, day).get_adapter()
    assert adapter.batched and not adapter.can_edit
    assert adapter.send_times() == [time(6), time(17)]
    post = adapter.render(make_article(section))
    assert adapter.check(post) is None
    for call in (lambda: adapter.create(post), lambda: adapter.update(None, post), lambda: adapter.delete(None)):
        with pytest.raises(Permanent):
            call()


# --- sending many, and failures -------------------------------------------


class FlakyMailServer(EmailBackend):
    """A mail server that refuses one address and goes down after a number
    of messages (class attributes set by the test)."""

    refuse = set()
    down_after = None
    accepted = 0

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refuse:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            if self.down_after is not None and FlakyMailServer.accepted >= self.down_after:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            FlakyMailServer.accepted += 1
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailServer"
    FlakyMailServer.refuse, FlakyMailServer.down_after, FlakyMailServer.accepted = set(), None, 0
    return FlakyMailServer


def test_a_mail_server_outage_resumes_where_it_stopped(finance, day, settings, flaky_mail):
    unit, section = finance
    settings.NEWSLETTER_BATCH_SIZE = 2
    newsletter_channel(unit, day)
    make_article(section)
    readers = [subscriber(unit, f"r{n}@example.vn") for n in range(7)]
    flaky_mail.refuse = {"r1@example.vn"}
    flaky_mail.down_after = 3

    [issue] = newsletters.send_due_digests(now=local(day, 6, 1))
    issue.refresh_from_db()
    assert issue.state == IssueState.SENDING and issue.error and issue.recipients == 3 and issue.failures == 1
    assert len(mail.outbox) == 3

    flaky_mail.down_after = None  # the server is back; the next beat resumes
    assert newsletters.send_due_digests(now=local(day, 6, 6)) == []
    issue.refresh_from_db()
    assert issue.state == IssueState.SENT and issue.recipients == 6 and issue.failures == 1 and not issue.error
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers if r.email != "r1@example.vn")


def test_an_issue_given_up_tells_the_units_publishers(finance, day, settings, flaky_mail):
    unit, section = finance
    settings.NEWSLETTER_MAX_BATCH_ATTEMPTS = 2
    distribution = make_staff(unit, Role.DISTRIBUTION)
    reporter = make_staff(unit, Role.REPORTER)
    newsletter_channel(unit, day, subject_prefix="Bản tin sáng")
    make_article(section)
    subscriber(unit, "doc.gia@example.vn")
    flaky_mail.down_after = 0

    [issue] = newsletters.send_due_digests(now=local(day, 6, 1))
    notices = Notification.objects.filter(kind=NotificationKind.DELIVERY_FAILED)
    assert not notices.exists()  # one failed batch is retried, not reported
    newsletters.send_due_digests(now=local(day, 6, 6))
    issue.refresh_from_db()
    assert issue.state == IssueState.FAILED
    [notice] = notices
    assert notice.recipient == distribution and notice.unit == unit
    assert "Bản tin sáng" in notice.message and "Connection unexpectedly closed" in notice.message
    assert not notices.filter(recipient=reporter).exists()


def test_a_subscriber_who_leaves_mid_issue_is_skipped(finance, day, settings, flaky_mail):
    unit, section = finance
    settings.NEWSLETTER_BATCH_SIZE = 1
    newsletter_channel(unit, day)
    make_article(section)
    first, second = subscriber(unit, "a@example.vn"), subscriber(unit, "b@example.vn")
    flaky_mail.down_after = 1
    newsletters.send_due_digests(now=local(day, 6, 1))
    newsletters.unsubscribe(unit, second.token)
    flaky_mail.down_after = None
    newsletters.send_due_digests(now=local(day, 6, 6))
    assert [m.to for m in mail.outbox] == [[first.email]]


def test_disabling_the_channel_stops_an_issue_half_sent(finance, day, settings, flaky_mail):
    unit, section = finance
    settings.NEWSLETTER_BATCH_SIZE = 1
    channel = newsletter_channel(unit, day)
    make_article(section)
    subscriber(unit, "a@example.vn")
    subscriber(unit, "b@example.vn")
    flaky_mail.down_after = 1
    newsletters.send_due_digests(now=local(day, 6, 1))
    flaky_mail.down_after = None
    Channel.objects.filter(pk=channel.pk).update(enabled=False)
    newsletters.send_due_digests(now=local(day, 6, 6))
    assert len(mail.outbox) == 1
    services.enable_channel(channel)
    newsletters.send_due_digests(now=local(day, 6, 11))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn"]


def test_a_story_taken_down_mid_issue_is_not_mailed_to_the_rest(finance, day, settings, flaky_mail):
    unit, section = finance
    settings.NEWSLETTER_BATCH_SIZE = 1
    newsletter_channel(unit, day)
    kept = make_article(section, title="Tin giữ lại")
    pulled = make_article(section, title="Tin gỡ giữa chừng")
    subscriber(unit, "a@example.vn")
    subscriber(unit, "b@example.vn")
    flaky_mail.down_after = 1
    newsletters.send_due_digests(now=local(day, 6, 1))
    take_down(pulled, make_staff(unit, Role.EDITOR_IN_CHIEF), "Sai sự thật")
    flaky_mail.down_after = None
    newsletters.send_due_digests(now=local(day, 6, 6))
    first, second = mail.outbox
    assert pulled.title in first.body and kept.title in first.body
    assert pulled.title not in second.body and kept.title in second.body


def test_queries_do_not_grow_with_the_subscribers(finance, province, day, settings):
    settings.NEWSLETTER_BATCH_SIZE = 25
    counts = []
    for (unit, section), readers in ((finance, 2), (province, 70)):
        newsletter_channel(unit, day)
        cover = make_image(size=(320, 180))
        for n in range(3):
            make_article(section, title=f"Tin {n}", cover_image=cover)
        Subscriber.objects.bulk_create(
            Subscriber(unit=unit, email=f"r{n}@{unit.slug}.vn", confirmed_at=timezone.now()) for n in range(readers)
        )
    for unit, _section in (finance, province):
        # One unit at a time: the other's channel is not due any more.
        Channel.objects.filter(kind="newsletter").exclude(unit=unit).update(enabled=False)
        Channel.objects.filter(unit=unit).update(enabled=True)
        with CaptureQueriesContext(connection) as queries:
            newsletters.send_due_digests(now=local(day, 6, 1))
        counts.append(len(queries))
        Channel.objects.filter(unit=unit).update(enabled=False)
    assert len(mail.outbox) == 72
    # 70 readers in three batches cost a few queries per batch, not per reader.
    assert counts[1] <= counts[0] + 2 * 10, counts


# --- the admin's list of subscribers ----------------------------------------


def test_distribution_sees_and_removes_only_its_units_subscribers(client, finance, province):
    from django.urls import reverse

    unit, _section = finance
    own = subscriber(unit, "doc.gia@example.vn")
    foreign = subscriber(province[0], "ban.doc.lam.dong@example.vn")
    client.force_login(make_staff(unit, Role.DISTRIBUTION))
    listing = client.get(reverse("newsletter_subscribers:index"))
    assert listing.status_code == 200
    assert b"doc.gia@example.vn" in listing.content and b"ban.doc.lam.dong" not in listing.content
    assert client.post(reverse("newsletter_subscribers:delete", args=[foreign.pk])).status_code == 404
    assert Subscriber.objects.filter(pk=foreign.pk).exists()
    assert client.post(reverse("newsletter_subscribers:delete", args=[own.pk])).status_code == 302
    assert not Subscriber.objects.filter(pk=own.pk).exists()
    # Subscriptions are the readers' own: nobody adds or edits one here.
    assert client.get(reverse("newsletter_subscribers:add")).status_code in (302, 403)

    client.force_login(make_staff(unit, Role.REPORTER))
    assert client.get(reverse("newsletter_subscribers:index")).status_code in (302, 403)


def test_distribution_sees_its_units_issues_and_their_failures(client, finance, province, day, flaky_mail):
    from django.urls import reverse

    unit, section = finance
    other_unit, other_section = province
    for some_unit, some_section in (finance, province):
        newsletter_channel(some_unit, day, subject_prefix=f"Bản tin {some_unit.slug}")
        make_article(some_section)
        subscriber(some_unit, f"a@{some_unit.slug}.vn")
    flaky_mail.down_after = 0
    newsletters.send_due_digests(now=local(day, 6, 1))
    client.force_login(make_staff(unit, Role.DISTRIBUTION))
    listing = client.get(reverse("newsletter_issues:index"))
    assert listing.status_code == 200
    assert "Bản tin taichinh".encode() in listing.content and b"Connection unexpectedly closed" in listing.content
    assert "Bản tin lamdong".encode() not in listing.content
    assert client.get(reverse("newsletter_issues:add")).status_code in (302, 403)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_send_each_reader_one_issue(day, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL (SQLite serializes its writers)")
    import threading

    settings.NEWSLETTER_BATCH_SIZE = 3
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    newsletter_channel(unit, day)
    make_article(make_section(home, "Kinh tế"))
    for n in range(10):
        subscriber(unit, f"r{n}@example.vn")
    start = threading.Barrier(2)

    def beat():
        try:
            start.wait()
            newsletters.send_due_digests(now=local(day, 6, 1))
        finally:
            connection.close()

    beats = [threading.Thread(target=beat) for _n in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join()
    assert NewsletterIssue.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"r{n}@example.vn" for n in range(10))
