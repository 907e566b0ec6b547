"""A real Celery worker process, fed through real Redis.

The test settings send tasks raised by code under test to an in-memory
broker, so this module starts its own worker on a private Redis queue and
publishes to it explicitly. Celery lets ``CELERY_BROKER_URL`` in the
environment win over the settings, which is how the worker gets Redis.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings

from assets.models import ArchiveRendition
from assets.renditions import all_filter_specs
from assets.tasks import generate_renditions
from hoitu.celery import app as celery_app
from hoitu.tasks import heartbeat
from tests.helpers import make_image

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"),
]

# The MEDIA_ROOT the worker gets from the test settings (the autouse fixture
# moves the test process's own to a temporary directory).
WORKER_MEDIA_ROOT = Path(sys.modules[os.environ.get("DJANGO_SETTINGS_MODULE", "hoitu.settings.test")].MEDIA_ROOT)


def _wait_for(predicate, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    details = f"\n--- worker log ---\n{log.read_text()[-4000:]}" if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{details}")


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """``celery -A hoitu worker`` on a queue of its own, sharing this
    test run's database (PostgreSQL) and Redis."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        else:
            # The SQLite test database is a file of the run (tests/conftest.py): the worker shares it.
            database_url = f"sqlite:///{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hoitu.settings.test",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": database_url,
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "hoitu", "worker",
        "-Q", queue, "-n", f"{queue}@%h", "--pool", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)
    try:
        _wait_for(lambda: b"ready." in log.read_bytes() or process.poll() is not None, 90, "the worker to start", log)
        assert process.poll() is None, f"the worker exited with {process.returncode}:\n{log.read_text()[-4000:]}"
        yield process, queue, log
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        client = redis.Redis.from_url(REDIS_URL)
        leftovers = [*client.scan_iter(f"*{queue}*"), *client.scan_iter(f"hoitu-test-{process.pid}*")]
        if leftovers:
            client.delete(*leftovers)


def send(task, queue, *args):
    with celery_app.connection_for_write(REDIS_URL) as broker:
        task.apply_async(args=args, queue=queue, connection=broker)


@pytest.mark.django_db
def test_worker_heartbeat_reaches_healthz(worker, client):
    process, queue, log = worker
    # The worker's cache keys carry its own prefix (test settings derive it
    # from the process id); read the heartbeat the way /healthz would in a
    # deployment where web and worker share one prefix.
    shared = {
        alias: {**config, "KEY_PREFIX": f"hoitu-test-{process.pid}" + ("-r" if alias == "renditions" else "")}
        for alias, config in settings.CACHES.items()
    }
    monitor = {"HTTP_AUTHORIZATION": "Bearer giam-sat"}
    with override_settings(CACHES=shared, HEALTHZ_TOKEN="giam-sat"):
        response = client.get("/healthz", **monitor)
        assert response.json()["checks"]["worker"]["ok"] is False

        send(heartbeat, queue)

        _wait_for(lambda: client.get("/healthz", **monitor).json()["checks"]["worker"]["ok"], 30, "the heartbeat to arrive", log)
        response = client.get("/healthz", **monitor)
        assert response.status_code == 200, response.json()
        assert response.json()["checks"]["worker"]["last_heartbeat_seconds_ago"] < 30
    assert b"hoitu.tasks.heartbeat" in log.read_bytes()


# Serialized rollback restores the root page Wagtail's migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_generates_renditions_of_a_new_image(worker, settings):
    _process, queue, log = worker
    settings.MEDIA_ROOT = WORKER_MEDIA_ROOT
    image = make_image("Ảnh cho worker", size=(800, 450))
    try:
        assert not ArchiveRendition.objects.filter(image=image).exists()

        send(generate_renditions, queue, image.pk)

        expected = len(all_filter_specs())
        _wait_for(lambda: ArchiveRendition.objects.filter(image=image).count() == expected, 90, "the renditions", log)
        for rendition in ArchiveRendition.objects.filter(image=image):
            assert (WORKER_MEDIA_ROOT / rendition.file.name).is_file()
    finally:
        image.delete()  # Wagtail removes the files once the deletion commits
