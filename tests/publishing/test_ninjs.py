"""Stories as IPTC ninjs 3.1: every format validates against the IPTC
schema, takedowns are canceled, versions only grow, and the body is clean
HTML with absolute addresses. Builders here are shared by the other
partner-facing tests (content API, webhooks)."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.db import reset_queries
from django.utils import timezone
from lxml import html as lxml_html

from newsroom.models import ArticleCorrection
from publishing import ninjs
from publishing.models import StoryEvent
from tests.helpers import image_block, make_article, make_author, make_image, make_media, make_section, make_unit, paragraph
from tests.shared import built_once
from workflows.services import take_down

# Nothing here can differ on PostgreSQL + Redis (a document and its schema): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once

# The IPTC schema as published (MIT licence, beside it), kept in the repo so
# a clone validates on its own; the standards folder beside the checkout,
# where there is one, must hold the very same file.
SCHEMA_PATH = Path(__file__).resolve().parent / "standards" / "ninjs-schema_3.1.json"
SHARED_SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared/standards/ninjs/ninjs-schema_3.1.json"

FORMATS = ("standard", "longform", "photo", "video", "podcast", "infographic")


def ninjs_schema():
    return json.loads(SCHEMA_PATH.read_text())


@pytest.mark.skipif(not SHARED_SCHEMA_PATH.exists(), reason="no IPTC standards folder beside this checkout to compare with")
def test_the_schema_in_the_repo_is_the_published_one():
    assert SCHEMA_PATH.read_bytes() == SHARED_SCHEMA_PATH.read_bytes()


def _format_checker():
    """jsonschema leaves "uri" and "date-time" unchecked without optional
    packages; check them ourselves so a relative address or a naive date
    fails."""
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri")
    def is_uri(value):
        parts = urlsplit(value)
        return bool(parts.scheme) and (parts.scheme == "urn" or bool(parts.netloc))

    @checker.checks("date-time")
    def is_datetime(value):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.tzinfo is not None

    return checker


def ninjs_validator():
    schema = ninjs_schema()
    return jsonschema.Draft202012Validator(schema, format_checker=_format_checker())


def assert_valid_ninjs(document):
    errors = sorted(ninjs_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def format_body(story_format, picture, media=None):
    """A body typical of each format, using every kind of block somewhere."""
    if story_format == "video":
        return [("video", {"video": media, "caption": "Toàn cảnh buổi lễ"}), paragraph("Lễ khánh thành diễn ra sáng nay.")]
    if story_format == "podcast":
        return [("audio", {"audio": media, "caption": "Số 12"}), paragraph("Bản tin âm thanh buổi sáng.")]
    if story_format == "photo":
        return [
            ("gallery", {"title": "Phố cổ", "images": [{"image": picture, "caption": "Phố Hàng Mã"}]}),
            paragraph("Phóng sự ảnh."),
        ]
    if story_format == "infographic":
        chart = {"title": "Thu ngân sách", "chart_type": "bar", "data": "Năm,Thu\n2024,1.7\n2025,2.0", "source": "Bộ Tài chính"}
        return [image_block(picture, caption="Đồ họa"), ("chart", chart)]
    return [
        ("heading", {"text": "Bối cảnh", "level": "h2"}),
        paragraph('Đọc thêm <a href="/kinh-te/">chuyên mục</a> &amp; tin liên quan.'),
        image_block(picture, caption="Công trường", credit="Ảnh: TTXVN"),
        ("quote", {"text": "Dự án mang tính lịch sử.", "attribution": "Bộ trưởng"}),
        ("fact_box", {"title": "Số liệu", "body": "<p>1.541 km</p>"}),
        ("table", {"caption": "Các ga", "table": {"data": [["Ga", "Tỉnh"], ["Ngọc Hồi", "Hà Nội"]], "first_row_is_table_header": True}}),
        ("embed", {"embed": "https://www.youtube.com/watch?v=abc", "caption": "Video"}),
    ]


def stories_of_every_format(section, author):
    picture = make_image("Ảnh bài", size=(320, 180), credit="Ảnh: Minh Đức", caption="Chú thích kho", license="cc-by", rendered=True)
    poster = make_image("Ảnh poster", size=(320, 180), rendered=True)
    video = make_media("video", "Lễ khánh thành", poster=poster, duration=95.5, width=1280, height=720, credit="Video: VTV")
    audio = make_media("audio", "Bản tin sáng", duration=612, transcript="Xin chào quý thính giả.")
    stories = {}
    for story_format in FORMATS:
        media = video if story_format == "video" else audio if story_format == "podcast" else None
        stories[story_format] = make_article(
            section,
            title=f"Bài {story_format}",
            kicker="Nóng" if story_format == "standard" else "",
            body=format_body(story_format, picture, media),
            format=story_format,
            cover_image=picture,
            authors=[author],
            tags=["hạ tầng", "đầu tư"],
        )
    return stories


def build_unit_with_stories():
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Kinh tế")
    author = make_author("Trần Thị Bình")
    return unit, section, stories_of_every_format(section, author)


_module_unit_with_stories = built_once("unit_with_stories", build_unit_with_stories)


@pytest.fixture
def unit_with_stories(db, _module_unit_with_stories, shared_data):
    return shared_data(_module_unit_with_stories, build_unit_with_stories)


@pytest.fixture
def editor_in_chief(django_user_model):
    return django_user_model.objects.create_superuser("tongbientap", "tbt@example.vn", "pw-test-123")


def test_every_format_validates_against_the_ninjs_schema(unit_with_stories):
    unit, section, stories = unit_with_stories
    documents = ninjs.serialize_many(stories.values())
    expected_types = {"standard": "text", "longform": "text", "photo": "picture", "video": "video", "podcast": "audio", "infographic": "graphic"}
    for story_format, document in zip(stories, documents, strict=True):
        assert_valid_ninjs(document)
        story = stories[story_format]
        assert document["uri"] == f"urn:hoitu:taichinh:{story.pk}"
        assert document["type"] == expected_types[story_format]
        assert document["pubStatus"] == "usable"
        assert document["version"] == "1"
        assert document["headlines"][0] == {"role": "main", "contentType": "text/plain", "value": story.title}
        assert document["descriptions"][0]["value"] == story.sapo
        assert document["language"] == "vi"
        assert document["by"] == "Trần Thị Bình"
        assert {"name": "Kinh tế", "rel": "section", "literal": section.slug} in document["subjects"]
        assert {s["name"] for s in document["subjects"] if s["rel"] == "tag"} == {"hạ tầng", "đầu tư"}
        assert document["renditions"][0]["href"] == story.get_full_url()
        assert document["copyrightHolder"] == unit.name
        cover = document["associations"][0]
        assert cover["name"] == "cover" and cover["type"] == "picture"
        assert cover["usageTerms"] == "CC BY 4.0" and cover["by"] == "Ảnh: Minh Đức"
        assert {r["name"] for r in cover["renditions"]} == {"main", "social", "thumbnail"}
        for rendition in cover["renditions"]:
            assert rendition["href"].startswith("http://localhost/") and rendition["contentType"] == "image/jpeg"
            assert rendition["width"] > 0 and rendition["height"] > 0


def test_kicker_and_body_html_are_clean_and_absolute(unit_with_stories):
    _unit, _section, stories = unit_with_stories
    document = ninjs.serialize(stories["standard"])
    assert {"role": "kicker", "contentType": "text/plain", "value": "Nóng"} in document["headlines"]
    body = document["bodies"][0]
    assert body["contentType"] == "text/html"
    tree = lxml_html.fragment_fromstring(body["value"], create_parent="div")
    assert tree.xpath("//h2")[0].text == "Bối cảnh"
    assert tree.xpath("//a[text()='chuyên mục']")[0].get("href") == "http://localhost/kinh-te/"
    img = tree.xpath("//figure/img")[0]
    assert img.get("src").startswith("http://localhost/") and img.get("alt") == "Công trường"
    assert "Ảnh: TTXVN" in tree.xpath("//figure/figcaption")[0].text_content()
    assert tree.xpath("//blockquote/footer")[0].text == "— Bộ trưởng"
    assert [th.text for th in tree.xpath("//table/tr[1]/th")] == ["Ga", "Tỉnh"]
    assert tree.xpath("//a[@href='https://www.youtube.com/watch?v=abc']")
    # Nothing of the site's page furniture: no classes, no scripts, no <picture>.
    assert not tree.xpath("//*[@class] | //script | //picture | //iframe")


def test_video_and_audio_come_from_the_archive(unit_with_stories):
    _unit, _section, stories = unit_with_stories
    video_doc = ninjs.serialize(stories["video"])
    video = next(a for a in video_doc["associations"] if a["name"] == "video-1")
    original = video["renditions"][0]
    assert video["type"] == "video" and original["contentType"] == "video/mp4"
    assert original["duration"] == 95.5 and (original["width"], original["height"]) == (1280, 720)
    assert original["href"].startswith("http://localhost/media/")
    assert any(r["name"] == "poster" for r in video["renditions"])
    tree = lxml_html.fragment_fromstring(video_doc["bodies"][0]["value"], create_parent="div")
    assert tree.xpath("//video")[0].get("src") == original["href"]

    podcast_doc = ninjs.serialize(stories["podcast"])
    audio = next(a for a in podcast_doc["associations"] if a["name"] == "audio-1")
    assert audio["type"] == "audio" and audio["renditions"][0]["contentType"] == "audio/mpeg"
    assert audio["renditions"][0]["duration"] == 612
    assert audio["bodies"][0] == {"role": "transcript", "contentType": "text/plain", "value": "Xin chào quý thính giả."}


def test_takedown_is_canceled_with_minimal_fields(unit_with_stories, editor_in_chief):
    _unit, _section, stories = unit_with_stories
    story = stories["standard"]
    take_down(story, editor_in_chief, "Vi phạm bản quyền ảnh")
    story.refresh_from_db()
    document = ninjs.serialize(story)
    assert_valid_ninjs(document)
    assert document["pubStatus"] == "canceled"
    assert document["uri"] == f"urn:hoitu:taichinh:{story.pk}"
    assert document["version"] == "2"
    # Nothing of the withdrawn content is repeated.
    assert not {"headlines", "bodies", "descriptions", "associations", "renditions"} & set(document)


def test_version_grows_with_every_announced_change(unit_with_stories, editor_in_chief):
    _unit, _section, stories = unit_with_stories
    story = stories["longform"]
    first = ninjs.serialize(story)
    draft = story.get_latest_revision_as_object()
    draft.corrections.add(ArticleCorrection(note="Sửa số liệu: 1.541 km, không phải 1.500 km."))
    draft.save_revision().publish()
    story.refresh_from_db()
    corrected = ninjs.serialize(story)
    assert_valid_ninjs(corrected)
    assert (first["version"], corrected["version"]) == ("1", "2")
    assert corrected["versionCreated"] >= first["versionCreated"]
    assert corrected["firstCreated"] == first["firstCreated"]
    assert corrected["descriptions"][-1]["role"] == "correction"
    assert corrected["descriptions"][-1]["value"].endswith("Sửa số liệu: 1.541 km, không phải 1.500 km.")
    take_down(story, editor_in_chief, "Sai sự thật")
    story.refresh_from_db()
    assert ninjs.serialize(story)["version"] == "3"
    assert StoryEvent.objects.filter(story=story).count() == 3


def test_embargoed_story_says_until_when(db):
    _unit, home = make_unit("lamdong", "Báo Lâm Đồng")
    section = make_section(home, "Thời sự")
    story = make_article(section, title="Kết quả kỳ thi")
    story.embargo_until = timezone.now() + timedelta(hours=3)
    document = ninjs.serialize(story)
    assert_valid_ninjs(document)
    assert document["embargoedUntil"] == ninjs.isodate(story.embargo_until)
    assert document["uri"] == f"urn:hoitu:lamdong:{story.pk}"


def test_uri_round_trips():
    assert ninjs.parse_uri(ninjs.story_uri("taichinh", 42)) == ("taichinh", 42)
    assert ninjs.parse_uri("urn:hoitu:taichinh:abc") is None
    assert ninjs.parse_uri("http://example.com/1") is None


def test_serializing_many_stories_takes_a_fixed_number_of_queries(unit_with_stories, django_assert_max_num_queries):
    _unit, section, stories = unit_with_stories
    ninjs.serialize_many(stories.values())  # renditions are made once, by the first
    reset_queries()  # the log keeps 9,000 queries; making stories fills it
    with django_assert_max_num_queries(14) as few:
        ninjs.serialize_many([stories["standard"], stories["video"], stories["podcast"]])
    few_count = len(few.captured_queries)
    reset_queries()
    with django_assert_max_num_queries(few_count):
        ninjs.serialize_many(stories.values())
