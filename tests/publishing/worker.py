"""Helpers of the delivery engine's tests: a newsroom to publish in, the
story's life (publish, update, correct, take down), running the engine in
this process, and pointing this process's Celery app at another broker."""

import contextlib
import socket
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from newsroom.celery import app as celery_app
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


def states(story):
    return dict(Delivery.objects.filter(story=story).values_list("channel__kind", "state"))


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
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
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
