"""Video and audio the archive already has, by their content: a copy of a
video resized and converted again is shown as a similar video (its
scrubbing pictures alike, place by place), never merged; the same recording
in another file (other tags) is the same sound; another video is neither;
and another unit's private copy is not named to this one."""

import pytest
from django.core.files.base import ContentFile

from assets import similarity
from assets.models import Media, MediaFrameBand
from newsroom.models import Unit
from tests.helpers import client_for
from workflows.models import Role

from .media import be_the_media_worker, ffmpeg, needs_ffmpeg

# ffmpeg and hashes, the same on every database: run once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.once, needs_ffmpeg]


@pytest.fixture(scope="session")  # files only: made once, however the run orders the module's tests
def recordings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("giong")
    made = {}
    made["report"] = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=10:duration=12", "-f", "lavfi", "-i", "sine=frequency=330:duration=12",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", output=folder / "phong-su.mp4",
    )  # fmt: skip
    # The same report as a social network sends it back: smaller, converted again.
    made["copy"] = ffmpeg(
        "-i", folder / "phong-su.mp4", "-vf", "scale=160:90", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", output=folder / "phong-su-ban-nho.mp4",
    )  # fmt: skip
    made["other"] = ffmpeg(
        "-f", "lavfi", "-i", "mandelbrot=size=320x180:rate=10", "-t", "12", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", output=folder / "khac.mp4",
    )  # fmt: skip
    made["recording"] = ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:a", "libmp3lame", "-b:a", "96k", "-metadata", "title=Bản tin",
        output=folder / "ban-tin.mp3",
    )  # fmt: skip
    # The same recording with other tags: another file, the same sound.
    made["retagged"] = ffmpeg(
        "-i", folder / "ban-tin.mp3", "-c", "copy", "-map_metadata", "-1", "-metadata", "title=Bản tin (bản sửa thẻ)",
        output=folder / "ban-tin-sua-the.mp3",
    )  # fmt: skip
    return made


def put(capture, title, kind, data, name, **fields):
    """An item saved as an upload is: the media worker is asked after the commit."""
    with capture(execute=True):
        return Media.objects.create(title=title, kind=kind, file=ContentFile(data, name=name), **fields)


def test_a_resized_copy_of_a_video_is_similar_and_another_video_is_not(recordings, django_capture_on_commit_callbacks, archivist):
    report = put(django_capture_on_commit_callbacks, "Phóng sự cầu Rồng", "video", recordings["report"], "phong-su.mp4")
    copy = put(django_capture_on_commit_callbacks, "Phóng sự cầu Rồng (bản mạng xã hội)", "video", recordings["copy"], "phong-su-ban-nho.mp4")
    other = put(django_capture_on_commit_callbacks, "Phim hoạt hình", "video", recordings["other"], "khac.mp4")
    be_the_media_worker(django_capture_on_commit_callbacks)
    for item in (report, copy, other):
        item.refresh_from_db()
        assert item.state == Media.State.READY, item.failure
        assert len(item.frame_hashes) in (12, 13) and MediaFrameBand.objects.filter(media=item).exists()  # a picture a second

    assert report.sha256 != copy.sha256  # another file: not an exact duplicate
    [(found, share)] = similarity.similar_videos(copy)
    assert found == report and share >= similarity.SIMILAR_SHARE
    assert [video for video, _share in similarity.similar_videos(other)] == []

    # The archive manager sees it on the copy's page, never merged.
    page = archivist.get(f"/admin/snippets/assets/media/edit/{copy.pk}/").content.decode()
    assert f'/admin/snippets/assets/media/edit/{report.pk}/">Phóng sự cầu Rồng</a>' in page
    assert Media.objects.filter(pk__in=[report.pk, copy.pk]).count() == 2


def test_the_same_recording_with_other_tags_is_the_same_sound(recordings, django_capture_on_commit_callbacks):
    first = put(django_capture_on_commit_callbacks, "Bản tin sáng", "audio", recordings["recording"], "ban-tin.mp3")
    again = put(django_capture_on_commit_callbacks, "Bản tin sáng (sửa thẻ)", "audio", recordings["retagged"], "ban-tin-sua-the.mp3")
    be_the_media_worker(django_capture_on_commit_callbacks)
    first.refresh_from_db()
    again.refresh_from_db()
    assert first.sha256 != again.sha256
    assert len(first.sound_sha256) == 64 and first.sound_sha256 == again.sound_sha256
    assert list(again.duplicates()) == [first]


def test_another_unit_s_private_copy_is_not_named(recordings, django_capture_on_commit_callbacks, newsroom, staff):
    province = Unit.objects.get(pk=newsroom.province.unit.pk)
    report = put(
        django_capture_on_commit_callbacks, "Phóng sự độc quyền", "video", recordings["report"], "phong-su.mp4", collection=province.private_collection
    )
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    copy = put(
        django_capture_on_commit_callbacks, "Bản sao phóng sự", "video", recordings["copy"], "phong-su-ban-nho.mp4",
        collection=finance.archive_collection,
    )  # fmt: skip
    be_the_media_worker(django_capture_on_commit_callbacks)
    copy.refresh_from_db()
    assert [video for video, _share in similarity.similar_videos(copy)] == [report]

    page = client_for(staff[Role.DESK_EDITOR]).get(f"/admin/snippets/assets/media/edit/{copy.pk}/").content.decode()
    assert "Bản sao phóng sự" in page and "Phóng sự độc quyền" not in page

