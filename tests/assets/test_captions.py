"""Captions of the archive's video and audio: uploaded on the item's page
(WebVTT, or SubRip made WebVTT), refused in words when the file is not
captions; played with the story's video; served as the video is, to
readers once a live story shows it and to its unit's staff before."""

import json
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assets.models import CaptionTrack
from tests.helpers import host, make_article, make_image, make_media, path
from tests.shared import built_once
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (caption files read): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once

VIETNAMESE = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nPháo hoa rực sáng bầu trời Hà Nội.\n\n00:00:03.500 --> 00:00:07.000\nNgười dân chào năm mới.\n"
ENGLISH = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nFireworks light up the sky over Hanoi.\n"
SUBRIP = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Xin chào</i> quý vị <font color=\"red\">khán giả</font>\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\n<script>alert(1)</script>Bản tin <b>thời sự</b>\r\n"
)


def build_captioned(newsroom):
    """A live story and a draft, each showing a video with Vietnamese and
    English captions."""
    economy = newsroom.finance.economy

    def story(title, publish):
        video = make_media("video", title, poster=make_image(f"Poster {title}", size=(320, 180), rendered=True), duration=8)
        vietnamese = CaptionTrack.objects.create(media=video, language="vi", file=ContentFile(VIETNAMESE.encode(), name="phu-de.vtt"))
        english = CaptionTrack.objects.create(media=video, language="en", label="English", file=ContentFile(ENGLISH.encode(), name="en.vtt"))
        page = make_article(economy, title=title, body=[("video", {"video": video, "caption": ""})], publish=publish)
        return SimpleNamespace(page=page, video=video, vietnamese=vietnamese, english=english)

    return SimpleNamespace(live=story("Pháo hoa đêm giao thừa", True), draft=story("Phóng sự chưa duyệt", False))


_module_captioned = built_once("captioned", build_captioned, "newsroom")


@pytest.fixture
def captioned(newsroom, _module_captioned, shared_data):
    return shared_data(_module_captioned, build_captioned, newsroom)


@pytest.fixture
def video(db):
    return make_media("video", "Bản tin thời sự", duration=8)


def edit_form(item, *tracks):
    return nested_form_data(
        {
            "title": item.title, "kind": item.kind, "license": item.license, "collection": item.collection_id,
            "duration": item.duration, "caption": "", "credit": "", "transcript": "",
            "caption_tracks": inline_formset(list(tracks)),
        }
    )  # fmt: skip


def upload(archivist, item, name, content, language="vi"):
    track = {"language": language, "label": "", "file": SimpleUploadedFile(name, content)}
    return archivist.post(f"/admin/snippets/assets/media/edit/{item.pk}/", edit_form(item, track))


def text(response):
    return b"".join(response.streaming_content).decode()


def test_a_subrip_file_uploaded_on_the_items_page_becomes_a_webvtt_track(archivist, video, settings):
    response = upload(archivist, video, "ban-tin.srt", SUBRIP.encode())
    assert response.status_code == 302

    track = video.caption_tracks.get()
    assert (track.language, track.display_label) == ("vi", "Tiếng Việt")
    assert track.file.name.endswith("ban-tin.vtt")
    with track.file.open("rb") as stored:
        webvtt = stored.read().decode()
    assert webvtt.startswith("WEBVTT\n")
    assert "00:00:01.000 --> 00:00:03.500\n<i>Xin chào</i> quý vị khán giả\n" in webvtt
    # Only the tags a player renders are kept: no font, no script.
    assert "00:00:04.000 --> 00:00:06.000\nalert(1)Bản tin <b>thời sự</b>\n" in webvtt
    # The item's page lists it for the next edit, and offers caption files to add.
    page = archivist.get(f"/admin/snippets/assets/media/edit/{video.pk}/").content.decode()
    assert "ban-tin.vtt" in page and "Phụ đề" in page
    assert 'accept=".vtt,.srt,text/vtt"' in page


BAD_FILES = {
    "a bad header": ("phu-de.vtt", "WEBVT\n\n00:00:01.000 --> 00:00:02.000\nXin chào\n".encode(), "tệp WebVTT phải bắt đầu bằng dòng “WEBVTT”"),
    "a binary file": ("phu-de.vtt", bytes(range(256)) * 16, "tệp không phải văn bản lưu bằng mã UTF-8"),
    "captions past the end": (
        "phu-de.vtt",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nXin ch\xc3\xa0o\n\n00:00:10.000 --> 00:00:12.000\nH\xe1\xba\xbft\n",
        "phụ đề kéo dài đến 0:12, quá độ dài của tư liệu (0:08)",
    ),
    "an oversized file": ("phu-de.vtt", b"WEBVTT\n\nNOTE " + b"x" * (2 * 1024 * 1024), "tệp lớn hơn giới hạn 2 MB cho phụ đề"),
    "a subrip without numbers": ("phu-de.srt", b"00:00:01,000 --> 00:00:02,000\nXin chao\n", "dòng 1 không phải một câu phụ đề có số thứ tự"),
    "another kind of file": ("phu-de.txt", b"Xin chao", "chỉ nhận tệp WebVTT (.vtt) và SubRip (.srt)"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_captions_is_refused_in_words_and_nothing_is_stored(archivist, video, settings, case):
    name, content, reason = BAD_FILES[case]
    response = upload(archivist, video, name, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Không dùng được “{name}” làm phụ đề: {reason}" in page
    assert not CaptionTrack.objects.exists()
    assert not (settings.MEDIA_ROOT / "captions").exists()


def test_a_form_posted_without_the_captions_leaves_them_as_they_are(archivist, captioned):
    video = captioned.live.video
    form = {"title": "Pháo hoa", "kind": "video", "license": video.license, "collection": video.collection_id}
    assert archivist.post(f"/admin/snippets/assets/media/edit/{video.pk}/", form).status_code == 302
    assert sorted(video.caption_tracks.values_list("language", flat=True)) == ["en", "vi"]


def test_the_live_storys_video_plays_with_its_captions(client, newsroom, captioned):
    live = captioned.live
    page = client.get(path(live.page), **host(newsroom.finance.unit)).content.decode()
    tracks = re.findall(r"<track kind=\"captions\"[^>]*>", page)
    assert tracks == [
        f'<track kind="captions" src="{live.vietnamese.file.url}" srclang="vi" label="Tiếng Việt" default>',
        f'<track kind="captions" src="{live.english.file.url}" srclang="en" label="English">',
    ]
    # Search engines learn of them too.
    json_ld = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert [caption["inLanguage"] for caption in json_ld["video"][0]["caption"]] == ["vi", "en"]
    assert json_ld["video"][0]["caption"][0]["contentUrl"].endswith(live.vietnamese.file.url)


def test_a_reader_gets_the_captions_once_the_story_is_live_and_not_after(client, captioned):
    live = captioned.live
    response = client.get(live.vietnamese.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt"
    assert text(response) == VIETNAMESE
    live.page.unpublish()
    assert client.get(live.vietnamese.file.url).status_code == 404


def test_the_captions_of_a_draft_are_for_its_units_staff_only(client, captioned, staff):
    url = captioned.draft.vietnamese.file.url
    assert client.get(url).status_code == 404
    client.force_login(staff[Role.REPORTER])
    response = client.get(url)
    assert response.status_code == 200 and text(response) == VIETNAMESE
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.force_login(staff["other_unit_editor_in_chief"])
    assert client.get(url).status_code == 404
