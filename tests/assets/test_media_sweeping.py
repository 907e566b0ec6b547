"""Work a dead media worker left is taken up again: a reading or a part
not heard of within its lease is queued again and the next worker takes
it over, while a part a live worker holds is left to it. At the end, a
real prefork worker killed mid-conversion."""

import os
import re
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assets import sweeping, transcoding
from assets.models import Media, MediaPart
from hoitu.celery import app as celery_app
from tests.helpers import broker_messages
from tests.publishing.worker import Workers

from .media import be_the_media_worker, ffmpeg, needs_ffmpeg, worker_round

pytestmark = [needs_ffmpeg]
HOUR_AGO = timedelta(hours=1)


@pytest.mark.django_db
def test_parts_whose_worker_died_are_queued_again_and_finished(files, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_PART_LEASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Bị bỏ dở", file=ContentFile(files["video"], name="bo-do.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    # A worker took every part's message and died: one part in its hands,
    # the others' messages gone with it.
    taken = broker_messages("media")
    assert [m.headers["task"] for m in taken].count("assets.tasks.transcode_media") == 3
    an_hour_ago = timezone.now() - HOUR_AGO
    MediaPart.objects.filter(media=item).update(queued_at=an_hour_ago)
    MediaPart.objects.filter(media=item, name="picture-000").update(state=MediaPart.State.RUNNING, claim="dead", heard_at=an_hour_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert sweeping.resume_stalled() == {"readings": 0, "parts": 3}
    # Asked again no sooner than the lease: the next sweep queues nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeping.resume_stalled() == {"readings": 0, "parts": 0}
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY, item.failure
    assert set(item.outputs) == {"web", "hls", "sprite", "scrub"}


@pytest.mark.django_db
def test_a_part_a_live_worker_holds_is_left_to_it(files, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_PART_LEASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Đang làm", file=ContentFile(files["video"], name="dang-lam.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    MediaPart.objects.filter(media=item, name="picture-000").update(state=MediaPart.State.RUNNING, claim="alive", heard_at=timezone.now())
    MediaPart.objects.filter(media=item).update(queued_at=timezone.now() - HOUR_AGO)

    # Its message delivered twice: the second copy finds it claimed and stops.
    assert transcoding.make_part(item.pk, item.file.name, "picture-000") is None
    assert MediaPart.objects.get(media=item, name="picture-000").claim == "alive"
    # Heard of lately: nothing of the item is queued again, not even the waiting parts.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeping.resume_stalled() == {"readings": 0, "parts": 0}
    # The assembly is not anyone's before every part is done.
    assert transcoding.make_part(item.pk, item.file.name, "assemble") is None


@pytest.mark.django_db
def test_a_reading_lost_with_its_worker_is_read_again(files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = Media.objects.create(kind="audio", title="Chưa ai đọc", file=ContentFile(files["recording"], name="chua-doc.mp3"))
        begun = Media.objects.create(kind="audio", title="Đọc dở", file=ContentFile(files["recording"], name="doc-do.mp3"))
        recent = Media.objects.create(kind="audio", title="Vừa tải lên", file=ContentFile(files["recording"], name="vua-tai.mp3"))
    broker_messages("media")  # lost with the worker that had taken them
    Media.objects.filter(pk=waiting.pk).update(worked_at=timezone.now() - HOUR_AGO)
    Media.objects.filter(pk=begun.pk).update(state=Media.State.PROCESSING, worked_at=timezone.now() - HOUR_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        assert sweeping.resume_stalled() == {"readings": 2, "parts": 0}
    be_the_media_worker(django_capture_on_commit_callbacks)
    for item, state in ((waiting, Media.State.READY), (begun, Media.State.READY), (recent, Media.State.UPLOADED)):
        item.refresh_from_db()
        assert item.state == state, item.title


def test_the_sweep_runs_every_minute_beside_not_behind_the_conversions(settings):
    assert settings.CELERY_BEAT_SCHEDULE["media-sweep"] == {"task": "assets.tasks.resume_media_work", "schedule": 60.0}
    assert celery_app.amqp.router.route({}, "assets.tasks.resume_media_work")["queue"].name == "celery"
    assert celery_app.amqp.router.route({}, "assets.tasks.transcode_media")["queue"].name == "media"


# --- a real worker killed -------------------------------------------------------


def ffmpeg_converting(name):
    """(pid, parent pid) of each ffmpeg reading the file ``name``."""
    listing = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True).stdout
    return [tuple(map(int, line.split()[:2])) for line in listing.splitlines() if "ffmpeg" in line and name in line]


def files_under(folder):
    found = []
    folders, names = default_storage.listdir(folder)
    found += [f"{folder}/{name}" for name in names]
    for sub in folders:
        found += files_under(f"{folder}/{sub}")
    return found


# A real worker's processes and files, the same on either database.
@pytest.mark.worker
@pytest.mark.once
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_media_worker_killed_mid_conversion_leaves_its_part_to_the_next(tmp_path, settings, monkeypatch):
    var_dir = tmp_path / "var"
    settings.MEDIA_ROOT = var_dir / "test-media"  # the workers' media, under their VAR_DIR
    settings.MEDIA_PART_LEASE_SECONDS = 3
    monkeypatch.setenv("MEDIA_PART_LEASE_SECONDS", "3")
    monkeypatch.setenv("MEDIA_X264_PRESET", "fast")  # slow enough to be caught in the middle
    clip = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=8", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", output=tmp_path / "clip.mp4",
    )  # fmt: skip
    workers = Workers(tmp_path, var_dir, "media", pool="prefork")
    try:
        with workers.broker():
            item = Media.objects.create(kind="video", title="Bị ngắt giữa chừng", file=ContentFile(clip, name="ngat-giua-chung.mp4"))
            workers.start_together(1, threads=1)
            deadline = time.monotonic() + 90
            while not MediaPart.objects.filter(media=item, name="picture-000", state=MediaPart.State.RUNNING, done_fraction__gt=0).exists():
                assert time.monotonic() < deadline, workers.logs()
                time.sleep(0.1)
            [(encoder, pool_process)] = ffmpeg_converting("ngat-giua-chung")
            os.kill(pool_process, signal.SIGKILL)
            # ffmpeg goes with the process that ran it, not on for nobody.
            deadline = time.monotonic() + 5
            while any(pid == encoder for pid, _parent in ffmpeg_converting("ngat-giua-chung")):
                assert time.monotonic() < deadline, "ffmpeg outlived its worker"
                time.sleep(0.1)

            deadline = time.monotonic() + 180
            while Media.objects.get(pk=item.pk).state != Media.State.READY:
                assert time.monotonic() < deadline, workers.logs()
                sweeping.resume_stalled()  # as beat would, every second here
                time.sleep(1)
    finally:
        workers.stop_all()
    # The whole log: stopping the workers adds lines after the kill's.
    whole = workers.logs(tail=None)
    assert "WorkerLostError" in whole or "SIGKILL" in whole, workers.logs()
    item.refresh_from_db()
    # One run's files, every one of them named by the outputs or a playlist:
    # nothing half-written or left over from the killed try.
    found = files_under(f"media-out/{item.pk}")
    folder = item.outputs["hls"]["path"].rsplit("/hls/", 1)[0]
    assert all(path.startswith(f"{folder}/") for path in found), found
    named = {output["path"] for output in item.outputs.values()}
    playlists = [path for path in found if path.endswith(".m3u8")]
    for playlist in playlists:
        base = playlist.rsplit("/", 1)[0]
        with default_storage.open(playlist, "rb") as listed:
            named |= {f"{base}/{line}" for line in listed.read().decode().splitlines() if line and not line.startswith("#")}
    assert set(found) - named == set()
    assert not any(re.search(r"/work/", path) for path in found)
    assert ffmpeg_converting("ngat-giua-chung") == []
