"""`manage.py fakeplatforms`: the fake platform server as a process of its
own, as `make run` and the benchmark start it."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from demo.fakes import channel_setup

STARTUP_SECONDS = 30


def start(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hoitu.settings.test", "PYTHONUNBUFFERED": "1"}
    env.pop("FAKE_PLATFORMS_PORT", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "fakeplatforms", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def fake_process():
    process = start("--port", "0")
    try:
        first = process.stdout.readline()
        assert first.startswith("Fake platforms listening on http://127.0.0.1:"), first + process.stderr.read()
        yield process, first.rsplit(" ", 1)[1].strip()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def call(url, data=None):
    request = urllib.request.Request(url, data=json.dumps(data).encode() if data is not None else None, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_serves_the_platforms_until_sigterm(fake_process):
    process, url = fake_process
    token = channel_setup("telegram")["credentials"]["bot_token"]
    status, body = call(f"{url}/telegram/bot{token}/sendMessage", {"chat_id": "@kenhthu", "text": "Tin mới"})
    assert status == 200 and body["ok"] is True
    message_id = str(body["result"]["message_id"])

    _status, posts = call(f"{url}/_fake/posts")
    assert posts["telegram"][message_id]["text"] == "Tin mới"
    _status, requests = call(f"{url}/_fake/requests")
    assert [(r["platform"], r["method"], r["path"]) for r in requests] == [("telegram", "POST", f"/bot{token}/sendMessage")]

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STARTUP_SECONDS) == 0
    assert "stopped" in process.stdout.read()
    with pytest.raises(OSError):
        call(f"{url}/_fake/posts")


def test_ctrl_c_stops_it_cleanly(fake_process):
    process, _url = fake_process
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=STARTUP_SECONDS) == 0
    assert "Traceback" not in process.stderr.read()


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start("--port", str(port))
        _out, err = process.communicate(timeout=STARTUP_SECONDS)
    assert process.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_platforms_across_the_internet_late_and_failing_at_a_seeded_rate():
    """`--latency` and `--fault-rate` (the benchmark's slow and faulty
    platforms): every answer late, a share of them a 429 with Retry-After
    or a 5xx, the same sequence again for the same seed."""
    process = start("--port", "0", "--latency", "0.2", "--fault-rate", "0.5", "--fault-seed", "7")
    try:
        url = process.stdout.readline().rsplit(" ", 1)[1].strip()
        token = channel_setup("telegram")["credentials"]["bot_token"]

        def answers(count):
            """(status, Retry-After, seconds) of ``count`` posts."""
            seen = []
            for _n in range(count):
                started = time.monotonic()
                try:
                    status, _body = call(f"{url}/telegram/bot{token}/sendMessage", {"chat_id": "@kenhthu", "text": "Tin"})
                    retry_after = None
                except urllib.error.HTTPError as error:
                    status, retry_after = error.code, error.headers.get("Retry-After")
                seen.append((status, retry_after, time.monotonic() - started))
            return seen

        first = answers(12)
        assert all(seconds >= 0.2 for _status, _retry, seconds in first)
        statuses = [(status, retry) for status, retry, _seconds in first]
        assert {status for status, _ in statuses} <= {200, 429, 500, 502, 503}
        assert 2 <= sum(status != 200 for status, _ in statuses) <= 10
        assert all(retry == "1" for status, retry in statuses if status == 429)
        call(f"{url}/_fake/config", {"fault_seed": 7})
        assert [(status, retry) for status, retry, _seconds in answers(12)] == statuses
        call(f"{url}/_fake/config", {"latency": 0, "fault_rate": 0})
        assert all(status == 200 and seconds < 0.2 for status, _retry, seconds in answers(3))
    finally:
        process.kill()
        process.wait()
