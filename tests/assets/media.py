"""Media made at test time with ffmpeg's lavfi sources, and the media
worker's part played here (tasks from the in-memory broker)."""

import shutil
import subprocess

import pytest

from tests.helpers import run_queued_tasks

needs_ffmpeg = pytest.mark.skipif(
    not shutil.which("ffmpeg") or not shutil.which("ffprobe"), reason="ffmpeg and ffprobe read and make the files"
)


def ffmpeg(*arguments, output):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *arguments, str(output)], check=True, timeout=60)
    return output.read_bytes()


def worker_round(capture):
    """Run what waits on the media queue now; what those tasks queue (after
    their commits, captured as the worker's own) waits for the next round."""
    with capture(execute=True):
        return run_queued_tasks(queues=("media",))


def be_the_media_worker(capture):
    """Rounds until the media queue is empty: every task's name, in order."""
    names = []
    while ran := worker_round(capture):
        names += ran
    return names
