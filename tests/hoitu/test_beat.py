"""Celery beat starts on a fresh checkout with Redis configured: nothing
but the file-system broker used to make var/celery/, where beat keeps its
schedule, so beat stopped at once and its supervisor restarted it forever."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from tests.publishing.worker import free_port


def test_beat_makes_its_schedule_on_a_fresh_checkout_with_redis(tmp_path):
    var_dir = tmp_path / "var"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    # Beat sends nothing in its first 30 s: no Redis needs to listen.
    env.update(DJANGO_SETTINGS_MODULE="hoitu.settings.dev", VAR_DIR=str(var_dir), REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    log = tmp_path / "beat.log"
    command = [str(Path(sys.executable).with_name("celery")), "-A", "hoitu", "beat", "--loglevel", "INFO"]
    with log.open("wb") as out:
        beat = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while beat.poll() is None and time.monotonic() < deadline and not list(var_dir.glob("celery/beat-schedule*")):
            time.sleep(0.2)
        time.sleep(1)
        assert beat.poll() is None, log.read_text()[-3000:]
        assert list(var_dir.glob("celery/beat-schedule*"))
    finally:
        beat.terminate()
        beat.wait(timeout=30)
