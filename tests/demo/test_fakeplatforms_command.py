"""`manage.py fakeplatforms`: the fake platform server as a process of its
own, as `make run` and the benchmark start it."""

import json
import os
import signal
import socket
import subprocess
import sys
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
