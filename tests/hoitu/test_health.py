import socket
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from hoitu.celery import app as celery_app
from hoitu.health import HEARTBEAT_KEY
from hoitu.tasks import heartbeat

pytestmark = pytest.mark.django_db

COMPONENTS = {"database", "cache", "broker", "worker"}
MONITOR_TOKEN = "giam-sat-7f3c9a"


@pytest.fixture(autouse=True)
def _monitor_token(settings):
    settings.HEALTHZ_TOKEN = MONITOR_TOKEN


def healthz(client, token=MONITOR_TOKEN):
    """What the monitoring sees (with the token), or anyone (token=None)."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get("/healthz", **headers)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]  # load balancers must see the live state
    return response, response.json()


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthy_when_every_component_is_up(client):
    heartbeat()  # what the worker runs every 30 s, run here in-process
    response, body = healthz(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == COMPONENTS
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["vendor"] == connections["default"].vendor
    assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] < 5


def test_missing_heartbeat_is_a_failure(client):
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "error": "no heartbeat yet"}
    assert all(body["checks"][name]["ok"] for name in COMPONENTS - {"worker"})


def test_stale_heartbeat_is_a_failure(client):
    cache.set(HEARTBEAT_KEY, time.time() - settings.WORKER_HEARTBEAT_MAX_AGE - 10, None)
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] > settings.WORKER_HEARTBEAT_MAX_AGE


def test_unreachable_broker_is_a_failure(client, monkeypatch):
    heartbeat()
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{_closed_port()}/0")
    started = time.monotonic()
    response, body = healthz(client)
    assert time.monotonic() - started < 10, "the health check must not hang on a dead broker"
    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection" in body["checks"]["broker"]["error"] or "refused" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


def test_unreachable_database_is_a_failure_not_a_crash(client):
    heartbeat()
    working = connections["default"]
    broken = connections.create_connection("default")
    if broken.vendor == "sqlite":
        broken.settings_dict = {**broken.settings_dict, "NAME": "/nonexistent-directory/hoitu.sqlite3"}
    else:
        broken.settings_dict = {**broken.settings_dict, "HOST": "127.0.0.1", "PORT": _closed_port()}
    connections["default"] = broken
    try:
        response, body = healthz(client)
    finally:
        connections["default"] = working
        broken.close()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["worker"]["ok"] and body["checks"]["cache"]["ok"]


def test_healthz_is_never_page_cached(client):
    heartbeat()
    for _ in range(2):
        response, _body = healthz(client)
        assert "X-Cache" not in response


@pytest.mark.parametrize("token", [None, "doan-sai", ""], ids=["no-token", "wrong-token", "empty-token"])
def test_anyone_else_sees_only_the_status(client, token):
    """Load balancers need the status code; which component failed and its
    error (host names, ports) are for staff and the monitor."""
    response, body = healthz(client, token)
    assert response.status_code == 503 and body == {"status": "fail"}
    heartbeat()
    response, body = healthz(client, token)
    assert response.status_code == 200 and body == {"status": "ok"}


def test_a_token_only_works_when_one_is_set(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response, body = healthz(client, token=" ")
    assert "checks" not in body


def test_staff_signed_in_see_the_details(client, django_user_model):
    reporter = django_user_model.objects.create_user("phongvien", "pv@example.vn", "mat-khau-thu-123")
    client.force_login(reporter)
    assert "checks" not in healthz(client, token=None)[1]  # no admin access: a reader like any other

    client.force_login(django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-thu-123"))
    response, body = healthz(client, token=None)
    assert set(body["checks"]) == COMPONENTS
