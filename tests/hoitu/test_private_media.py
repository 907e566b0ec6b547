"""Uploaded files at their storage path (/media/…): renditions for anyone;
a picture as uploaded, a video or an audio for readers only once a live
story out of embargo shows it, before that for staff of the story's unit
alone; documents never (only through /documents/<id>/<name>, which honours
a login-only collection)."""

import os
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images.models import Filter
from wagtail.models import Collection, CollectionViewRestriction

from assets.models import Media
from tests.helpers import host, make_article, make_image, paragraph
from tests.publishing.test_ninjs import make_media
from tests.shared import built_once
from workflows.models import Role

PRIVATE_PDF = b"%PDF-1.4 bien ban giao ban noi bo"
PUBLIC_PDF = b"%PDF-1.4 thong cao bao chi"
EPISODE = bytes(range(256)) * 8


def story_with_files(section, title, **fields):
    """A story showing a cover picture and a video with its poster."""
    poster = make_image(f"Poster {title}", size=(320, 180))
    video = make_media("video", f"Video {title}", poster=poster)
    cover = make_image(f"Bìa {title}", size=(320, 180))
    page = make_article(
        section, title=title, cover_image=cover, body=[("video", {"video": video, "caption": ""}), paragraph("Nội dung.")], **fields
    )
    return SimpleNamespace(page=page, cover=cover, video=video, poster=poster)


def episode(section, title, **fields):
    """A podcast story and its audio, whose every byte tells where it is."""
    audio = Media.objects.create(title=title, kind="audio", file=ContentFile(EPISODE, name="ban-tin.mp3"))
    make_article(section, title=title, format="podcast", body=[("audio", {"audio": audio, "caption": ""}), paragraph("Tập.")], **fields)
    return audio


def build_files(newsroom):
    economy = newsroom.finance.economy
    Document = get_document_model()
    internal = Collection.get_first_root_node().add_child(name="Tài liệu nội bộ")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
    return SimpleNamespace(
        live=story_with_files(economy, "Khánh thành cao tốc"),
        draft=story_with_files(economy, "Bản thảo điều tra", publish=False),
        # Published by some path while its embargo runs: live in the database.
        embargoed=story_with_files(economy, "Số liệu GDP quý", embargo_until=timezone.now() + timedelta(days=1)),
        unused=make_image("Ảnh mới tải lên", size=(320, 180)),
        private_document=Document.objects.create(
            title="Biên bản giao ban", file=ContentFile(PRIVATE_PDF, name="bien-ban-giao-ban.pdf"), collection=internal
        ),
        public_document=Document.objects.create(title="Thông cáo báo chí", file=ContentFile(PUBLIC_PDF, name="thong-cao.pdf")),
        live_episode=episode(economy, "Bản tin trưa"),
        draft_episode=episode(economy, "Bản tin chưa duyệt", publish=False),
    )


_module_files = built_once("files", build_files, "newsroom")


@pytest.fixture
def files(newsroom, _module_files, shared_data):
    return shared_data(_module_files, build_files, newsroom)


def body(response):
    return b"".join(response.streaming_content)


def get(client, url, user):
    client.force_login(user)
    return client.get(url)


def story_files(story):
    """The files a story shows, but renditions, by name: (storage address, file)."""
    return {
        "cover original": (story.cover.file.url, story.cover.file),
        "video": (story.video.file.url, story.video.file),
        "poster original": (story.poster.file.url, story.poster.file),
    }


def test_a_login_only_document_is_refused_to_readers_at_both_addresses(client, files, staff):
    document = files.private_document
    response = client.get(document.url)
    assert response.status_code == 302 and "/login/?next=" in response["Location"]
    assert client.get(document.file.url).status_code == 404
    # Its storage path stays closed to staff as well: only the serve view checks the collection.
    client.force_login(staff[Role.REPORTER])
    assert body(client.get(document.url)) == PRIVATE_PDF
    assert client.get(document.file.url).status_code == 404


def test_a_public_document_downloads_through_its_serve_address_only(client, files):
    document = files.public_document
    assert document.url.startswith("/documents/")
    response = client.get(document.url)
    assert response.status_code == 200 and body(response) == PUBLIC_PDF
    assert client.get(document.file.url).status_code == 404
    # Nor by a detour through a folder that is served.
    assert client.get(f"/media/images/../{document.file.name}").status_code == 404


@pytest.mark.parametrize("state", ["draft", "embargoed"])
def test_files_of_a_story_readers_cannot_see_are_for_its_units_staff_only(client, files, staff, state):
    for what, (url, file) in story_files(getattr(files, state)).items():
        assert client.get(url).status_code == 404, f"{what} reached an anonymous reader"
        response = get(client, url, staff[Role.REPORTER])
        assert response.status_code == 200, what
        with open(file.path, "rb") as stored:
            assert body(response) == stored.read()
        # A shared cache in front must not keep it for the next reader.
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert get(client, url, staff["other_unit_editor_in_chief"]).status_code == 404, f"{what} reached another unit"
        client.logout()


def test_a_live_storys_files_reach_every_reader_until_it_is_unpublished(client, files):
    story = files.live
    originals = [url for url, _file in story_files(story).values()]
    for url in [*originals, story.cover.get_rendition("width-200").url, story.poster.get_rendition("width-200").url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" not in response.get("Cache-Control", "")
    story.page.unpublish()
    for url in originals:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("state", ["draft", "embargoed"])
def test_a_hidden_storys_renditions_are_not_where_wagtail_would_name_them(client, files, state):
    spec = "fill-200x100|format-jpeg"
    for picture in (getattr(files, state).cover, getattr(files, state).poster):
        rendition = picture.get_rendition(spec)
        # Wagtail's own name: the original's, a hash of the crop (from the
        # picture's size and focal point), the filter spec, the format.
        stem = os.path.splitext(os.path.basename(picture.file.name))[0]
        guessed = f"images/{stem}.{Filter(spec).get_cache_key(picture)}.{spec.replace('|', '.')}.jpg"
        assert os.path.basename(rendition.file.name) == os.path.basename(guessed)
        assert client.get(f"{settings.MEDIA_URL}{guessed}").status_code == 404, guessed
    # A live story's renditions reach readers at the addresses its pages give.
    live = files.live.cover.get_rendition(spec)
    response = client.get(live.url)
    assert response.status_code == 200
    with open(live.file.path, "rb") as stored:
        assert body(response) == stored.read()


def test_an_upload_no_story_shows_is_for_the_archives_users_only(client, files, staff):
    url = files.unused.file.url
    assert client.get(url).status_code == 404
    assert get(client, url, staff[Role.REPORTER]).status_code == 200


def test_without_serve_media_django_still_judges_originals_but_leaves_renditions_to_the_web_server(client, files, staff, settings):
    settings.SERVE_MEDIA = False
    assert client.get(files.live.cover.get_rendition("width-200").url).status_code == 404
    assert client.get(files.live.video.file.url).status_code == 200
    assert client.get(files.draft.video.file.url).status_code == 404
    assert get(client, files.draft.video.file.url, staff[Role.REPORTER]).status_code == 200


def test_podcast_apps_download_a_published_episode_but_not_an_embargoed_one(client, newsroom):
    section = newsroom.finance.economy
    audio = make_media("audio", "Bản tin sáng")
    held = make_media("audio", "Bản tin ngày mai")
    for title, media, fields in (("Bản tin sáng", audio, {}), ("Bản tin ngày mai", held, {"embargo_until": timezone.now() + timedelta(hours=3)})):
        make_article(section, title=title, format="podcast", body=[("audio", {"audio": media, "caption": ""}), paragraph("Tập.")], **fields)

    feed = feedparser.parse(client.get("/podcast.xml", **host(newsroom.finance.unit)).content)
    [enclosure] = [link for entry in feed.entries for link in entry.enclosures]
    address = urlsplit(enclosure.href).path
    assert address == audio.file.url
    assert client.head(address).status_code == 200
    response = client.get(address)
    assert response.status_code == 200 and body(response) == b"\x00" * 2048
    assert client.get(held.file.url).status_code == 404


def test_a_password_without_the_second_factor_opens_no_private_file(files, staff):
    # Signed in through the form, the code not given yet: a reader still.
    browser = Client()
    reporter = staff[Role.REPORTER]
    assert browser.post(reverse("wagtailadmin_login"), {"username": reporter.username, "password": "pw-test-123"}).status_code == 302
    assert browser.get(files.private_document.url).status_code in (302, 403)
    url, _ = story_files(files.draft)["video"]
    assert browser.get(url).status_code == 404


@pytest.mark.parametrize(
    ("asked", "start", "end"),
    [("bytes=100-199", 100, 199), ("bytes=2000-", 2000, 2047), ("bytes=-10", 2038, 2047), ("bytes=0-0", 0, 0), ("bytes=1000-99999", 1000, 2047)],
)
def test_a_player_gets_the_bytes_it_asks_for_of_a_published_episode(client, files, asked, start, end):
    response = client.get(files.live_episode.file.url, HTTP_RANGE=asked)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(EPISODE)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Content-Type"] == "audio/mpeg"
    assert body(response) == EPISODE[start : end + 1]


def test_a_podcast_app_learns_the_size_and_that_it_may_resume(client, files):
    url = files.live_episode.file.url
    whole = client.head(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(len(EPISODE))
    part = client.head(url, HTTP_RANGE="bytes=1024-")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 1024-2047/2048" and part["Content-Length"] == "1024"
    assert body(part) == b""


@pytest.mark.parametrize("asked", ["bytes=2048-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_past_the_end_is_unsatisfiable(client, files, asked):
    response = client.get(files.live_episode.file.url, HTTP_RANGE=asked)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */2048"


@pytest.mark.parametrize("asked", ["bytes=50-10", "bytes=0-9,20-29", "lines=1-2", "bytes=abc"])
def test_a_range_that_is_not_one_byte_range_gets_the_whole_file(client, files, asked):
    response = client.get(files.live_episode.file.url, HTTP_RANGE=asked)
    # The whole file, still saying that one range of it may be asked for.
    assert response.status_code == 200 and body(response) == EPISODE and response["Accept-Ranges"] == "bytes"


def test_a_part_of_a_file_changed_since_is_not_mixed_with_the_new_one(client, files):
    url = files.live_episode.file.url
    response = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert response.status_code == 200 and body(response) == EPISODE and response["Accept-Ranges"] == "bytes"
    # Unchanged since the client's copy: its part.
    unchanged = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=response["Last-Modified"])
    assert unchanged.status_code == 206 and body(unchanged) == EPISODE[:10]


def test_a_range_opens_no_hidden_episode(client, files, staff):
    url = files.draft_episode.file.url
    assert client.get(url, HTTP_RANGE="bytes=0-9").status_code == 404
    assert client.head(url, HTTP_RANGE="bytes=0-9").status_code == 404
    client.force_login(staff[Role.REPORTER])
    response = client.get(url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == EPISODE[:10]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_with_media_accel_redirect_nginx_sends_what_django_lets_through(client, files, staff, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    live = files.live_episode
    response = client.get(live.file.url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{live.file.name}"
    assert response["Content-Type"] == "audio/mpeg"
    # A file only staff may open: still refused to readers, and never kept by a cache for them.
    hidden = files.draft_episode
    refused_reader = client.get(hidden.file.url)
    assert refused_reader.status_code == 404 and not refused_reader.has_header("X-Accel-Redirect")
    client.force_login(staff[Role.REPORTER])
    response = client.get(hidden.file.url)
    assert response["X-Accel-Redirect"] == f"/protected-media/{hidden.file.name}" and response.content == b""
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
