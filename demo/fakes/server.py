"""A real HTTP server that speaks the platforms' APIs, for tests, the
benchmark and `make run`: it records every request, keeps the posts each
platform holds, and injects faults (5xx, 429 with Retry-After, slow answers
that time out, 4xx, dropped connections). For the benchmark it can also
answer every request after a delay (``latency``, as a platform across the
Internet does) and answer a share of them at random with a 429 or a 5xx
(``fault_rate``, drawn from a seeded generator).

Each platform is a module of this package with ``register(server)``, which
adds its routes; ``server.posts[platform]`` holds what that platform
currently shows. The server can be driven from another process through
``/_fake/`` (requests, posts, faults, reset).
"""

import json
import random
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

PLATFORMS = ("zalo", "facebook", "telegram", "x", "youtube", "wordpress", "webhook")
# What a random fault answers: the platform's rate limit, or its servers failing.
RANDOM_FAULTS = ({"status": 429, "retry_after": 1}, {"status": 500}, {"status": 502}, {"status": 503})


@dataclass
class Request:
    platform: str
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes = field(repr=False)
    at: float = 0.0
    status: int = 0
    client: str = ""  # the client's address and port: one per connection

    @property
    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def to_dict(self):
        data = asdict(self)
        data["body"] = self.body.decode("utf-8", "replace") if len(self.body) < 65536 else f"<{len(self.body)} bytes>"
        return data


@dataclass
class Fault:
    """Answer matching requests with ``status`` (and ``body``, ``headers``),
    or wait ``delay`` seconds first, or drop the connection, ``times``
    times (None: until cleared). ``after`` lets that many matching requests
    through first."""

    platform: str = None
    method: str = None
    path: str = None  # regular expression, searched in the path
    status: int = None
    body: object = None
    headers: dict = field(default_factory=dict)
    retry_after: int = None
    delay: float = 0.0
    drop: bool = False
    # Drop the connection only after the request was handled (the platform
    # acted, the client never hears): the "unknown" case.
    drop_after_handling: bool = False
    times: int = 1
    after: int = 0

    def matches(self, platform, method, path):
        return (
            (self.platform is None or self.platform == platform)
            and (self.method is None or self.method == method)
            and (self.path is None or re.search(self.path, path) is not None)
        )


class Response:
    def __init__(self, status=200, body=None, headers=None, raw=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


class DropConnection(Exception):
    pass


class FakePlatforms:
    def __init__(self, host="127.0.0.1", port=0, platforms=PLATFORMS, latency=0.0, fault_rate=0.0, fault_seed=None):
        self.lock = threading.RLock()
        self.configure(latency=latency, fault_rate=fault_rate, fault_seed=fault_seed)
        self.routes = []  # (platform, method, compiled regex, handler)
        self.requests = []
        self.faults = []
        self.posts = {name: {} for name in platforms}
        self.state = {name: {} for name in platforms}  # per-platform scratch (upload sessions...)
        self._ids = {}
        for name in platforms:
            import_module(f"demo.fakes.{name}").register(self)
        self.httpd = _Server((host, port), _handler_for(self))
        self.thread = None

    # --- lifecycle ------------------------------------------------------
    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, platform):
        """What a channel's "API address" is set to for this platform."""
        return f"{self.url}/{platform}"

    def start(self):
        # stop() waits for the serving loop to look up from its poll: 50 ms,
        # not the default half second, for the tests that start one each.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-platforms", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- for platform modules ----------------------------------------------
    def route(self, platform, method, pattern):
        """Decorator: ``pattern`` is matched against the path after
        ``/<platform>``; named groups become keyword arguments."""

        def decorator(handler):
            self.routes.append((platform, method, re.compile(f"^{pattern}$"), handler))
            return handler

        return decorator

    def next_id(self, platform, prefix=""):
        with self.lock:
            self._ids[platform] = self._ids.get(platform, 0) + 1
            return f"{prefix}{self._ids[platform]}"

    def new_token(self):
        return uuid.uuid4().hex

    # --- for tests ----------------------------------------------------------
    def inject(self, **kwargs):
        fault = Fault(**kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def configure(self, latency=None, fault_rate=None, fault_seed=None):
        """Answer every request ``latency`` seconds late; answer a
        ``fault_rate`` share of them (0 to 1) with one of RANDOM_FAULTS,
        drawn from a generator seeded with ``fault_seed``."""
        with self.lock:
            if latency is not None:
                self.latency = float(latency)
            if fault_rate is not None:
                self.fault_rate = float(fault_rate)
            if fault_seed is not None or not hasattr(self, "random"):
                self.random = random.Random(fault_seed)

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            for store in (*self.posts.values(), *self.state.values()):
                store.clear()

    def requests_to(self, platform=None, method=None, path=None):
        with self.lock:
            return [
                r
                for r in self.requests
                if (platform is None or r.platform == platform)
                and (method is None or r.method == method)
                and (path is None or re.search(path, r.path))
            ]

    def live_posts(self, platform):
        with self.lock:
            return {key: value for key, value in self.posts[platform].items() if not value.get("deleted")}

    def wait_for(self, predicate, timeout=30, interval=0.05):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate():
                    return True
            time.sleep(interval)
        return False

    # --- dispatch -----------------------------------------------------------
    def _fault_for(self, platform, method, path):
        with self.lock:
            for fault in self.faults:
                if not fault.matches(platform, method, path):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    return None
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    def dispatch(self, method, raw_path, headers, body, client=""):
        parts = urlsplit(raw_path)
        segments = parts.path.split("/", 2)
        platform = segments[1] if len(segments) > 1 else ""
        path = "/" + (segments[2] if len(segments) > 2 else "")
        query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query).items()}
        if platform == "_fake":
            return self._control(method, path, body, query)
        record = Request(platform, method, path, query, dict(headers), body, time.time(), client=client)
        with self.lock:
            self.requests.append(record)
            latency = self.latency
            fault = self._fault_for(platform, method, path)
            if fault is None and self.fault_rate and self.random.random() < self.fault_rate:
                fault = Fault(**self.random.choice(RANDOM_FAULTS))
        if latency:
            time.sleep(latency)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                record.status = -1
                raise DropConnection
            if fault.status:
                fault_headers = dict(fault.headers)
                if fault.retry_after is not None:
                    fault_headers["Retry-After"] = str(fault.retry_after)
                record.status = fault.status
                return Response(fault.status, fault.body if fault.body is not None else {"error": {"message": f"injected {fault.status}"}}, fault_headers)
        for route_platform, route_method, regex, handler in self.routes:
            if route_platform != platform or route_method != method:
                continue
            match = regex.match(path)
            if match:
                with self.lock:
                    response = handler(record, **match.groupdict())
                record.status = response.status
                if fault is not None and fault.drop_after_handling:
                    raise DropConnection
                return response
        record.status = 404
        return Response(404, {"error": {"message": f"no route {method} /{platform}{path}"}})

    def _control(self, method, path, body, query):
        if path == "/requests":
            since = float(query.get("since", 0))
            with self.lock:
                return Response(200, [r.to_dict() for r in self.requests if r.at >= since])
        if path == "/posts":
            with self.lock:
                return Response(200, self.posts)
        if path == "/faults" and method == "POST":
            self.inject(**json.loads(body or b"{}"))
            return Response(201, {"ok": True})
        if path == "/faults" and method == "DELETE":
            self.clear_faults()
            return Response(200, {"ok": True})
        if path == "/config" and method == "POST":
            self.configure(**json.loads(body or b"{}"))
            return Response(200, {"latency": self.latency, "fault_rate": self.fault_rate})
        if path == "/reset" and method == "POST":
            self.reset()
            return Response(200, {"ok": True})
        return Response(404, {"error": "unknown control path"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A platform's front end accepts many connections at once: with
    # socketserver's backlog of 5, four publishing workers opening their
    # connections together overflowed it, and a connection the server had
    # not accepted was reset after the request went out (an answer lost).
    request_queue_size = 1024


def _handler_for(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Answers go out at once, as a platform's would: with Nagle's
        # algorithm a kept-alive client waited ~40 ms (delayed ACK) for
        # every answer, which the bench's baseline paid and the engine's
        # fresh connections did not.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                response = server.dispatch(self.command, self.path, self.headers, body, client=f"{self.client_address[0]}:{self.client_address[1]}")
            except DropConnection:
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if response.raw is not None:
                payload = response.raw
                content_type = response.headers.pop("Content-Type", "application/octet-stream")
            else:
                payload = json.dumps(response.body, ensure_ascii=False).encode() if response.body is not None else b""
                content_type = "application/json; charset=utf-8"
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    return Handler
