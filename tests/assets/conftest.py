import pytest
from django.test import Client

from tests.helpers import broker_messages

from .media import ffmpeg


@pytest.fixture(autouse=True)
def media_queue_empty():
    """Each test starts with nothing on the media queue: a test that stops
    after the worker's first round leaves the next task there."""
    broker_messages("media")


@pytest.fixture
def archivist(django_user_model):
    """An administrator's admin session: every archive screen opens."""
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-thu-123"))
    return client


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A landscape video with sound, the same held upright as phones store
    it, and a recording: seconds long, made once per module."""
    folder = tmp_path_factory.mktemp("lavfi")
    video = ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        "-metadata", "creation_time=2026-11-30T08:15:00Z", "-metadata", "location=+10.7769+106.7009/",
        output=folder / "clip.mp4",
    )  # fmt: skip
    # A phone held upright stores its picture sideways and says so.
    (folder / "landscape.mp4").write_bytes(video)
    upright = ffmpeg("-i", str(folder / "landscape.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", output=folder / "upright.mp4")
    recording = ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=3", "-c:a", "libmp3lame", "-ac", "1", output=folder / "talk.mp3")
    return {"video": video, "upright": upright, "recording": recording}
