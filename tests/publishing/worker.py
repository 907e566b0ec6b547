"""Helpers of the delivery engine's tests: a newsroom to publish in, the
story's life (publish, update, correct, take down), running the engine in
this process, pointing this process's Celery app at another broker, and
real worker processes that share the test's database and broker."""

import contextlib
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from hoitu.celery import app as celery_app
from hoitu.settings import base as base_settings
from newsroom.models import ArticleCorrection
from publishing import services
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article, make_image, make_section, make_unit
from workflows.services import take_down


def build_desk():
    """One unit with two sections and a publisher who may do everything."""
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    publisher = get_user_model().objects.create_superuser("tongbientap", "tbt@example.vn", "pw-test-123")
    return SimpleNamespace(
        unit=unit,
        home=home,
        economy=make_section(home, "Kinh tế"),
        sport=make_section(home, "Thể thao"),
        publisher=publisher,
        cover=make_image("Ảnh bìa", size=(640, 360)),
    )


def publish_story(section, title="Đường sắt Bắc–Nam được phê duyệt", cover=None, **fields):
    return make_article(section, title=title, cover_image=cover, **fields)


def republish(story, title=None, sapo=None, correction=None):
    """A new revision of a live story, published: an update, or a correction
    when ``correction`` (a note) is given."""
    draft = story.get_latest_revision_as_object()
    if title:
        draft.title = title
    if sapo:
        draft.sapo = sapo
    if correction:
        draft.corrections.add(ArticleCorrection(note=correction, corrected_at=timezone.now()))
    draft.save_revision().publish()
    story.refresh_from_db()
    return story


def take_story_down(story, user, reason="Sai sự thật, theo yêu cầu của cơ quan chức năng"):
    return take_down(story, user, reason)


def due_deliveries():
    now = timezone.now()
    return Delivery.objects.filter(
        Q(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING)) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ).order_by("pk")


def drain(rounds=10):
    """Run the engine in this process until nothing is due, as a worker
    would: every due delivery, again while something changed."""
    for _round in range(rounds):
        pks = list(due_deliveries().filter(channel__enabled=True).values_list("pk", flat=True))
        if not pks:
            return
        for pk in pks:
            services.process(pk)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def celery_broker(url, **transport_options):
    """Point this process's Celery app at another broker for a while (the
    test settings use an in-memory one). Its connection pools are dropped so
    the next message goes to ``url``."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.broker_connection_timeout

    def reset_pools():
        # Dropped, not closed: kombu keeps producer pools per connection in a
        # registry of its own, and the old broker's pool comes back after.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url = url
    conf.broker_transport_options = transport_options
    conf.broker_connection_timeout = 1
    try:
        yield
    finally:
        reset_pools()
        conf.broker_url, conf.broker_transport_options, conf.broker_connection_timeout = saved


# --- real workers ----------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")

WORKER_SETTINGS = {
    # Small, so the sweeper and the leases act within a test's time.
    "PUBLISHING_STALE_SECONDS": "1",
    "PUBLISHING_LEASE_SECONDS": "4",
    "PUBLISHING_RETRY_BASE_SECONDS": "0.2",
    "PUBLISHING_RETRY_MAX_SECONDS": "1",
}


def database_url():
    """This test run's database, for a worker process: PostgreSQL's, or the
    SQLite file tests/conftest.py puts it in."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def shared_broker(var_dir):
    """The broker a test and the workers it starts share, as its URL and
    transport options: Redis when REDIS_URL is set, otherwise the
    file-system broker in the folders the settings give a process whose
    VAR_DIR is ``var_dir`` (the settings are run here with the worker's
    environment, so both sides read the same folders)."""
    if REDIS_URL:
        return REDIS_URL, {}
    worker_env = {"VAR_DIR": str(var_dir), "CELERY_BROKER_URL": "filesystem://localhost//"}
    with mock.patch.dict(os.environ, worker_env):
        worker_settings = runpy.run_path(base_settings.__file__)
    return worker_settings["CELERY_BROKER_URL"], worker_settings["CELERY_BROKER_TRANSPORT_OPTIONS"]


class Workers:
    """Celery worker processes started by one test, each in a session of its
    own (so SIGKILL reaches its threads too), all stopped at the end. They
    share this test run's database, the broker of ``shared_broker`` and
    ``var_dir`` (their media, the file-system broker's folders)."""

    def __init__(self, directory, var_dir, queue, pool="threads"):
        self.directory = directory
        self.var_dir = var_dir
        self.queue = queue
        # The publishing worker runs threads; the media workers, prefork.
        self.pool = pool
        self.broker_url, self.transport_options = shared_broker(var_dir)
        self.started = []

    def broker(self):
        """This process sends to the workers' broker for a while."""
        return celery_broker(self.broker_url, **self.transport_options)

    def start(self, broker_url=None):
        return self.start_together(1, broker_url)[0]

    def start_together(self, count, broker_url=None, threads=4):
        """``count`` workers started at once (on ``broker_url``, by default
        the shared broker), each with ``threads`` task threads; returns them
        once every one is ready."""
        # A transaction of this process (a module's shared data) would hold
        # SQLite's write lock while the workers wait for it.
        assert not connection.in_atomic_block, "real workers need a transactional test"
        processes = [self._spawn(broker_url or self.broker_url, threads) for _ in range(count)]
        deadline = time.monotonic() + 60
        for process in processes:
            while b"ready." not in process.log.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"worker {process.log.stem} did not start:\n{process.log.read_text()[-4000:]}")
                time.sleep(0.2)
        return processes

    def _spawn(self, broker_url, threads=4):
        name = f"w{len(self.started) + 1}"
        env = {
            **os.environ,
            **WORKER_SETTINGS,
            "DJANGO_SETTINGS_MODULE": "hoitu.settings.test",
            "VAR_DIR": str(self.var_dir),
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": database_url(),
            "PUBLISHING_QUEUE": self.queue,
        }
        if connection.settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
        command = [
            str(Path(sys.executable).with_name("celery")), "-A", "hoitu", "worker",
            "-Q", self.queue, "-n", f"{self.queue}-{name}@%h", "--pool", self.pool, "--concurrency", str(threads),
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        ]  # fmt: skip
        log = self.directory / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR, start_new_session=True)
        process.log = log
        self.started.append(process)
        return process

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)

    def logs(self, tail=3000):
        """Each worker's log, its last ``tail`` characters (``None``: all of it)."""
        return "\n".join(f"--- {p.log.name} ---\n{p.log.read_text()[-tail if tail else 0:]}" for p in self.started if p.log.exists())


class RedisServer:
    """A private ``redis-server`` on a free port, without persistence, that a
    test may stop and start again on the same port."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
