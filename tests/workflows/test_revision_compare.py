"""Comparing two revisions of a story shows every field the desk changed —
headline, kicker, sapo, cover, authors, body, tags, address, schedule,
breaking-news time and embargo — with times as the newsroom writes them
and tags by their names."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from newsroom.models import ArticleAuthor
from tests.helpers import client_for, make_author, paragraph, story_draft
from workflows.models import Role

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def changed_fields(response):
    """{label: the row's text} of the compare page's table."""
    page = lxml_html.fromstring(response.content)
    rows = {}
    for row in page.xpath('//table[contains(@class, "comparison")]//tr[td]') or page.xpath("//tbody/tr[td]"):
        cells = row.xpath("./td")
        label = " ".join(cells[0].text_content().split()).rstrip(":")
        rows[label] = " ".join(" ".join(cell.text_content().split()) for cell in cells[1:])
    return rows


def test_every_changed_field_is_shown_readably(newsroom, staff):
    reporter = staff[Role.REPORTER]
    story = story_draft(newsroom.finance.economy, reporter, title="Giá xăng giảm", author=make_author("Nguyễn An"))
    before = story.latest_revision
    story.title = "Giá xăng giảm lần thứ ba"
    story.kicker = "Thị trường"
    story.sapo = "Giá xăng RON95 giảm 500 đồng mỗi lít."
    story.body = [paragraph("Liên Bộ Công Thương – Tài chính điều chỉnh giá.")]
    story.cover_image = newsroom.cover
    story.tags.add("xăng dầu")
    story.article_authors.add(ArticleAuthor(author=make_author("Trần Bình")))
    story.slug = "gia-xang-giam-lan-thu-ba"
    story.go_live_at = datetime(2026, 12, 24, 15, 0, tzinfo=HANOI)
    story.breaking_until = datetime(2026, 12, 24, 18, 30, tzinfo=HANOI)
    story.embargo_until = datetime(2026, 12, 24, 14, 0, tzinfo=HANOI)
    after = story.save_revision(user=reporter)

    editor = client_for(staff[Role.EDITOR_IN_CHIEF])
    response = editor.get(reverse("wagtailadmin_pages:revisions_compare", args=[story.pk, before.pk, after.pk]))
    assert response.status_code == 200
    rows = changed_fields(response)
    assert "Giá xăng giảm lần thứ ba" in rows["Tiêu đề"]
    assert "Thị trường" in rows["Tít phụ"]
    assert "RON95" in rows["Sapo"]
    assert "Trần Bình" in rows["Tác giả"]
    assert "Liên Bộ Công Thương" in rows["Nội dung"]
    assert rows["Từ khóa"] == "xăng dầu"  # the name, not its ASCII slug
    assert "gia-xang-giam-lan-thu-ba" in rows["Đường dẫn"]
    assert rows["Thời điểm đăng"].startswith("—") and rows["Thời điểm đăng"].endswith("24/12/2026 15:00")  # from none to the time
    assert rows["Tin nóng đến"].startswith("—") and rows["Tin nóng đến"].endswith("24/12/2026 18:30")  # from none to the time
    assert rows["Cấm đăng đến"].startswith("—") and rows["Cấm đăng đến"].endswith("24/12/2026 14:00")  # from none to the time
    assert newsroom.cover.title in rows["Ảnh đại diện"]
    assert not re.search(r"None|\+07:00|\d{2}:\d{2}:\d{2}\.\d+", " ".join(rows.values()))
