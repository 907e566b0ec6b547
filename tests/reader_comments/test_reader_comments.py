"""Readers' comments, pre-moderated: closed until the unit opens them; a
reader's comment waits, hidden, until one of the unit's reviewers approves
it; floods, robots, posts from other sites and stopped readers are turned
away without losing what a reader typed; each moderator sees the comments
of the stories they review, and no other unit's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from reader_comments import services
from reader_comments.models import CommentState, ReaderComment
from tests.helpers import client_for, host, make_article, path, refused
from workflows.models import Role

pytestmark = pytest.mark.django_db


def thread_url(story):
    return reverse("reader_comments:story", args=[story.pk])


def send(client, unit, story, name="Minh Anh", text="Bài viết rất hữu ích, cảm ơn tòa soạn.", origin=True, address="203.0.113.7", **extra):
    headers = {**host(unit), "REMOTE_ADDR": address}
    if origin:
        headers["HTTP_ORIGIN"] = f"http://{unit.site.hostname}"
    return client.post(thread_url(story), {"name": name, "text": text, **extra}, **headers)


def comments_section(client, unit, story):
    """The story's page as a reader sees it: the comments part, or None."""
    page = lxml_html.fromstring(client.get(path(story), **host(unit)).content)
    found = page.xpath('//section[@id="binh-luan"]')
    return found[0] if found else None


def shown_texts(section):
    return [" ".join(p.text_content().split()) for p in section.xpath('.//div[@class="comment__text"]')]


def queue_url(unit, **query):
    url = reverse("reader_comments_moderation", args=[unit.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def opened(newsroom, staff):
    finance = newsroom.finance
    services.set_open(finance.unit, True, staff[Role.MANAGING_EDITOR])
    return finance


def test_closed_until_the_unit_opens_them(newsroom, staff, client):
    finance = newsroom.finance
    assert comments_section(client, finance.unit, finance.rail) is None
    assert client.get(thread_url(finance.rail), **host(finance.unit)).status_code == 404
    assert send(client, finance.unit, finance.rail).status_code == 404
    assert not ReaderComment.objects.exists()

    # A desk editor moderates but does not decide; the managing editor does.
    desk = client_for(staff[Role.DESK_EDITOR])
    assert refused(desk.post(queue_url(finance.unit), {"action": "open"}))
    managing = client_for(staff[Role.MANAGING_EDITOR])
    assert managing.post(queue_url(finance.unit), {"action": "open"}).status_code == 302
    section = comments_section(client, finance.unit, finance.rail)
    assert section is not None
    assert "Chưa có bình luận nào" in section.text_content()
    assert section.xpath('.//form[@id="comment-form"]/@action')[0].startswith(thread_url(finance.rail))


def test_a_comment_waits_for_a_moderator_then_readers_see_it(opened, staff, client, settings):
    settings.PAGE_CACHE_SECONDS = 300  # the story's page is cached, as in production
    story = opened.rail
    before = comments_section(client, opened.unit, story)
    assert shown_texts(before) == []

    sent = send(client, opened.unit, story, text="Mong tòa soạn theo dõi tiếp.\n\nCảm ơn!")
    assert sent.status_code == 303
    thanks = client.get(sent.url, **host(opened.unit))
    assert "Cảm ơn bạn. Bình luận sẽ hiện sau khi biên tập viên đọc" in thanks.content.decode()
    comment = ReaderComment.objects.get()
    assert (comment.state, comment.name, comment.unit, comment.story_id) == (CommentState.PENDING, "Minh Anh", opened.unit, story.pk)
    assert "203.0.113.7" not in comment.reader_key  # the address is kept only as a keyed hash
    assert shown_texts(comments_section(client, opened.unit, story)) == []  # hidden until approved

    desk = client_for(staff[Role.DESK_EDITOR])
    queue = desk.get(queue_url(opened.unit)).content.decode()
    assert "Mong tòa soạn theo dõi tiếp." in queue and story.title in queue
    assert desk.post(queue_url(opened.unit), {"action": "approve", "comment": [comment.pk]}).status_code == 302

    section = comments_section(client, opened.unit, story)  # the cached page was refreshed
    assert shown_texts(section) == ["Mong tòa soạn theo dõi tiếp. Cảm ơn!"]
    assert section.xpath('.//*[@class="comments__count"]/@data-count') == ["1"]
    comment.refresh_from_db()
    assert (comment.state, comment.moderated_by) == (CommentState.APPROVED, staff[Role.DESK_EDITOR])

    # Rejected after all: off the page again.
    desk.post(queue_url(opened.unit, state="approved"), {"action": "reject", "comment": [comment.pk]})
    assert shown_texts(comments_section(client, opened.unit, story)) == []


def test_bad_input_gets_a_vietnamese_answer_and_keeps_the_text(opened, client):
    story = opened.rail
    empty = send(client, opened.unit, story, name=" ", text="")
    assert empty.status_code == 400
    assert "Nhập tên" in empty.content.decode() and "Hãy viết bình luận" in empty.content.decode()

    long_text = "Ý kiến " * 300
    too_long = send(client, opened.unit, story, text=long_text)
    assert too_long.status_code == 400
    page = lxml_html.fromstring(too_long.content)
    assert page.xpath('//textarea[@id="comment-text"]')[0].text_content().strip() == long_text.strip()  # nothing lost
    assert "2 đến 1.500 ký tự" in too_long.content.decode()

    marked_up = send(client, opened.unit, story, text='<script>alert("x")</script> Bài hay')
    assert marked_up.status_code == 303
    comment = ReaderComment.objects.get()
    services.approve([comment], None)
    body = client.get(thread_url(story), **host(opened.unit)).content.decode()
    assert "&lt;script&gt;" in body and '<script>alert("x")' not in body
    assert ReaderComment.objects.count() == 1


def test_posts_from_elsewhere_robots_floods_and_repeats_are_turned_away(opened, client, settings):
    story = opened.rail
    elsewhere = client.post(thread_url(story), {"name": "A", "text": "Bình luận"}, **host(opened.unit), HTTP_ORIGIN="https://evil.example")
    assert elsewhere.status_code == 403
    assert "gửi từ trang bài viết" in elsewhere.content.decode()
    assert send(client, opened.unit, story, origin=False).status_code == 403

    robot = send(client, opened.unit, story, website="http://spam.example")
    assert robot.status_code == 303  # told nothing
    assert not ReaderComment.objects.exists()

    assert send(client, opened.unit, story, text="Lần một").status_code == 303
    again = send(client, opened.unit, story, text="Lần một")
    assert again.status_code == 409 and "đã gửi bình luận này" in again.content.decode()

    settings.READER_COMMENTS_PER_10_MINUTES = 2
    assert send(client, opened.unit, story, text="Lần hai").status_code == 303
    flood = send(client, opened.unit, story, text="Lần ba")
    assert flood.status_code == 429
    assert "chờ một lát" in flood.content.decode()
    assert "Lần ba" in flood.content.decode()  # the text is still in the form
    assert send(client, opened.unit, story, text="Lần ba", address="198.51.100.9").status_code == 303  # another reader
    assert ReaderComment.objects.count() == 3

    links = send(client, opened.unit, story, text="Xem http://a.example và www.b.example", address="198.51.100.10")
    assert links.status_code == 303
    assert ReaderComment.objects.get(text__startswith="Xem").flag == "links"


def test_a_stopped_reader_is_refused_quietly_until_let_back(opened, staff, client, settings):
    settings.READER_COMMENTS_PER_10_MINUTES = 10  # this reader sends four
    story, other = opened.rail, opened.budget
    send(client, opened.unit, story, text="Nội dung vi phạm")
    send(client, opened.unit, other, text="Thêm một bình luận vi phạm")
    first = ReaderComment.objects.get(text="Nội dung vi phạm")
    desk = client_for(staff[Role.DESK_EDITOR])
    assert desk.post(queue_url(opened.unit), {"action": "stop", "comment": [first.pk]}).status_code == 302
    assert set(ReaderComment.objects.values_list("state", flat=True)) == {CommentState.REJECTED}

    later = send(client, opened.unit, story, text="Tôi quay lại")
    assert later.status_code == 303  # the reader is not told
    kept = ReaderComment.objects.get(text="Tôi quay lại")
    assert (kept.state, kept.flag) == (CommentState.REJECTED, "stopped")
    assert "Tôi quay lại" not in desk.get(queue_url(opened.unit)).content.decode()
    stopped_page = desk.get(queue_url(opened.unit, state="stopped")).content.decode()
    assert "Minh Anh" in stopped_page

    stopped = services.stopped_readers(opened.unit).get()
    desk.post(queue_url(opened.unit, state="stopped"), {"action": "lift", "stopped": stopped.pk})
    send(client, opened.unit, story, text="Bình luận đàng hoàng")
    assert ReaderComment.objects.get(text="Bình luận đàng hoàng").state == CommentState.PENDING


def test_each_moderator_sees_what_they_review_and_nothing_of_another_unit(opened, newsroom, staff, client):
    province = newsroom.province
    services.set_open(province.unit, True, staff["other_unit_editor_in_chief"])
    send(client, opened.unit, opened.rail, text="Về đường sắt")  # the Kinh tế section
    send(client, opened.unit, opened.budget, text="Về ngân sách")  # the Tài chính section
    send(client, province.unit, province.bus, text="Zqx về xe buýt")
    theirs = ReaderComment.objects.get(unit=province.unit)

    desk = client_for(staff[Role.DESK_EDITOR])
    page = desk.get(queue_url(opened.unit)).content.decode()
    assert "Về đường sắt" in page and "Về ngân sách" in page and "Zqx" not in page
    assert desk.get(queue_url(province.unit)).status_code == 404
    desk.post(queue_url(opened.unit), {"action": "approve", "comment": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.state == CommentState.PENDING

    head = client_for(staff[Role.SECTION_HEAD])  # of Kinh tế
    page = head.get(queue_url(opened.unit)).content.decode()
    assert "Về đường sắt" in page and "Về ngân sách" not in page

    for role in (Role.REPORTER, Role.CONTRIBUTOR, Role.DISTRIBUTION, Role.UNIT_ADMIN):
        assert refused(client_for(staff[role]).get(queue_url(opened.unit))), role


def test_the_queue_counts_per_story_and_approves_many_at_once(opened, staff, client):
    for n in range(3):
        send(client, opened.unit, opened.rail, text=f"Ý kiến số {n}", address=f"198.51.100.{n}")
    send(client, opened.unit, opened.budget, text="Một ý kiến", address="198.51.100.50")
    desk = client_for(staff[Role.DESK_EDITOR])
    page = lxml_html.fromstring(desk.get(queue_url(opened.unit)).content)
    waiting = [" ".join(li.text_content().split()) for li in page.xpath('//details[@class="hoitu-comments-stories"]//li')]
    assert waiting == [f"{opened.rail.title} (3)", f"{opened.budget.title} (1)"]

    one_story = desk.get(queue_url(opened.unit, story=opened.rail.pk)).content.decode()
    assert "Ý kiến số 0" in one_story and "Một ý kiến" not in one_story
    ids = list(ReaderComment.objects.filter(story=opened.rail).values_list("pk", flat=True))
    desk.post(queue_url(opened.unit), {"action": "approve", "comment": ids})
    section = comments_section(client, opened.unit, opened.rail)
    assert section.xpath('.//*[@class="comments__count"]/@data-count') == ["3"]
    assert shown_texts(section) == ["Ý kiến số 2", "Ý kiến số 1", "Ý kiến số 0"]  # newest first


def test_a_story_shows_its_newest_comments_and_links_to_all(opened, client, settings):
    settings.READER_COMMENTS_SHOWN = 2
    story = make_article(opened.economy, title="Bài nhiều bình luận")
    made = [services.post(story, opened.unit, f"Bạn đọc {n}", f"Ý kiến {n}", key=f"k{n}") for n in range(3)]
    services.approve(made, None)
    section = comments_section(client, opened.unit, story)
    assert shown_texts(section) == ["Ý kiến 2", "Ý kiến 1"]
    assert section.xpath('.//a[contains(., "Xem cả 3 bình luận")]/@href') == [thread_url(story)]
    all_page = lxml_html.fromstring(client.get(thread_url(story), **host(opened.unit)).content)
    assert len(all_page.xpath('//li[@class="comment"]')) == 3


def test_comments_cost_a_story_page_two_queries_however_many(newsroom, staff, client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders the page
    finance = newsroom.finance
    story = finance.budget

    def queries():
        client.get(path(story), **host(finance.unit))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path(story), **host(finance.unit)).status_code == 200
        return len(captured)

    closed = queries()
    services.set_open(finance.unit, True, staff[Role.MANAGING_EDITOR])
    services.approve([services.post(story, finance.unit, "Bạn đọc", "Ý kiến đầu", key="k0")], None)
    one = queries()
    services.approve([services.post(story, finance.unit, f"Bạn đọc {n}", f"Ý kiến {n}", key=f"k{n}") for n in range(1, 40)], None)
    many = queries()
    assert one <= closed + 1  # the comments with the switch's answer
    assert many <= closed + 2  # and their count, past the twenty shown


def test_the_dashboard_says_how_many_wait_and_leads_to_the_queue(opened, staff, client):
    desk = client_for(staff[Role.DESK_EDITOR])
    assert "hoitu-waiting-comments" not in desk.get(reverse("wagtailadmin_home")).content.decode()  # nothing waits
    for n in range(2):
        send(client, opened.unit, opened.rail, text=f"Ý kiến {n}", address=f"198.51.100.{n}")
    page = lxml_html.fromstring(desk.get(reverse("wagtailadmin_home")).content)
    link = page.xpath('//*[@id="hoitu-waiting-comments-section"]//li/a')[0]
    assert " ".join(link.text_content().split()) == f"{opened.unit.name}: 2 bình luận chờ duyệt"
    assert link.get("href") == queue_url(opened.unit)
    reporter = client_for(staff[Role.REPORTER])
    assert "hoitu-waiting-comments" not in reporter.get(reverse("wagtailadmin_home")).content.decode()
