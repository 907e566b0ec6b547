"""Publishing scenarios: stories fanned out to every channel kind by ONE
Celery worker (the delivery engine: outbox rows, claim under a row lock,
adapter, outcome), against a baseline loop that POSTs the very requests the
adapters sent to the same fake platform server, directly.

What runs, each in a process of its own:
- ``manage.py fakeplatforms`` on a free port: the platforms' side, so the
  worker is measured without the server it talks to;
- ``celery -A hoitu worker --concurrency 1`` on a queue of its own
  (Redis when REDIS_URL is set, else the file-system broker in the run's
  VAR_DIR), production settings;
- a driver (``python -m bench.inside publishing-driver``,
  bench/inside/publishing.py) that publishes the
  stories through Wagtail, as an editor's approval does, and reads the
  deliveries' times from the database; the runner speaks JSON lines to it.

Each round has two parts, measured for both scenarios:
- fan-out latency: stories published one at a time; for each, the time from
  its outbox rows (written in the publication's transaction) to its last
  channel delivered; the baseline replays that story's requests in order;
- sustained deliveries per second: a batch of stories published in one
  transaction; from its commit to the last delivery; the baseline replays
  the batch's requests back to back.

The stories go into a unit of their own ("bench-publishing"), made afresh
for each run (a PostgreSQL bench database keeps the previous run's).
"""

import json
import secrets
import select
import subprocess
import sys
import time
from urllib.parse import urlencode

from . import harness, load
from .scenario import Scenario, Target

UNIT = "bench-publishing"
HOST = "bench-publishing.localhost"
# Per round: stories published one by one (latency), stories published
# together (throughput); full run, then --quick.
SIZES = {False: (10, 30), True: (3, 8)}
WORKER_CONCURRENCY = 1
# Seconds a publication may take to reach every channel, and more per story
# of a batch.
DELIVERY_TIMEOUT = 120
BATCH_TIMEOUT_PER_STORY = 10
START_TIMEOUT = 60
# Headers the client library sets itself.
REPLAY_SKIP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"}


# --- the runner's side (no Django here) ---------------------------------------
class Process:
    """A child process with its output in a log file under the workspace."""

    def __init__(self, workspace, name, argv, env, stdin=None):
        self.name = name
        self.log_path = workspace.root / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            argv, cwd=harness.PROJECT_DIR, env=env, stdin=stdin or subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdin else self._log, stderr=self._log,
        )  # fmt: skip

    def log_tail(self, lines=30):
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def check_alive(self):
        if self.process.poll() is not None:
            raise harness.BenchError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Driver(Process):
    """The Django side: one command per JSON line in, one JSON line out."""

    def __init__(self, workspace, env):
        super().__init__(workspace, "publishing-driver", [sys.executable, "-m", "bench.inside", "publishing-driver"], env, stdin=subprocess.PIPE)

    def call(self, command, timeout=600, **arguments):
        self.check_alive()
        self.process.stdin.write((json.dumps({"command": command, **arguments}) + "\n").encode())
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 1)
            if ready:
                line = self.process.stdout.readline()
                if not line:
                    break
                answer = json.loads(line)
                if "error" in answer:
                    raise harness.BenchError(f"publishing driver, {command}: {answer['error']}")
                return answer
            self.check_alive()
        self.check_alive()
        raise harness.BenchError(f"publishing driver: no answer to {command} within {timeout} s:\n{self.log_tail()}")


class Bench:
    """Everything both publishing scenarios share, started once per run."""

    def __init__(self, ctx):
        workspace, quick = ctx.workspace, ctx.options.quick
        self.each, self.batch = SIZES[quick]
        self.rounds = ctx.options.rounds
        self.processes = []
        self.recorded = {}  # round -> {"stories": [[request, ...], ...], "batch": [request, ...]}
        token = workspace.run_token
        if workspace.redis_url:
            self.broker, self.broker_label = workspace.redis_url, "Redis"
        else:
            self.broker, self.broker_label = "filesystem://localhost//", "file-system broker"
        self.queue = f"bench-publishing-{token}"
        self.env = workspace.env(
            CELERY_BROKER_URL=self.broker,
            PUBLISHING_QUEUE=self.queue,
            CHANNEL_CREDENTIALS_KEYS=_fernet_key(),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        self.workspace = workspace
        try:
            self.fake_url = self._start_fake()
            self.worker = self._start(
                "publishing-worker",
                [
                    sys.executable, "-m", "celery", "-A", "hoitu", "worker", "-Q", self.queue, "-n", f"{self.queue}@%h",
                    "--concurrency", str(WORKER_CONCURRENCY), "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--loglevel", "WARNING",
                ],
            )  # fmt: skip
            self.driver = Driver(workspace, self.env)
            self.processes.append(self.driver)
            stories = 1 + self.rounds * (self.each + self.batch)
            harness.log(f"publishing: a unit with {stories} draft stories and a channel of every kind…")
            self.setup = self.driver.call("prepare", fake_url=self.fake_url, stories=stories)
            harness.log(f"publishing: channels {', '.join(self.setup['kinds'])}; skipped: {self.setup['skipped'] or 'none'}")
            self.drafts = list(self.setup["stories"])
            # One unmeasured publication: the worker imports and connects.
            warm = self.driver.call("publish_each", stories=[self.drafts.pop(0)], timeout=DELIVERY_TIMEOUT + 60)
            _raise_failures(warm["failed"], "warm-up")
        except BaseException:
            self.close()
            raise

    def _start(self, name, argv):
        process = Process(self.workspace, name, argv, self.env)
        self.processes.append(process)
        return process

    def _start_fake(self):
        fake = self._start("fake-platforms", [sys.executable, "manage.py", "fakeplatforms", "--port", "0"])
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            fake.check_alive()
            first = fake.log_path.read_text(errors="replace").splitlines()[:1]
            if first and first[0].startswith("Fake platforms listening on "):
                return first[0].rsplit(" ", 1)[1]
            time.sleep(0.2)
        raise harness.BenchError(f"the fake platform server did not start within {START_TIMEOUT} s:\n{fake.log_tail()}")

    def requests_between(self, windows):
        """The fake's recorded requests, split by the time windows given."""
        records = _get_json(f"{self.fake_url}/_fake/requests")
        return [[r for r in records if start <= r["at"] <= end] for start, end in windows]

    def close(self):
        for process in reversed(self.processes):
            process.stop()
        self.processes = []
        if self.workspace.redis_url:
            import redis

            client = redis.Redis.from_url(self.workspace.redis_url)
            client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")

    # --- the engine ---------------------------------------------------------------
    def engine_round(self, number):
        each = [self.drafts.pop(0) for _ in range(self.each)]
        batch = [self.drafts.pop(0) for _ in range(self.batch)]
        try:
            one_by_one = self.driver.call("publish_each", stories=each, timeout=DELIVERY_TIMEOUT * len(each))
            together = self.driver.call("publish_batch", stories=batch, timeout=DELIVERY_TIMEOUT + BATCH_TIMEOUT_PER_STORY * len(batch) + 60)
        except harness.BenchError as error:
            raise harness.BenchError(
                f"{error}\n--- worker log ---\n{self.worker.log_tail()}\n--- driver log ---\n{self.driver.log_tail()}"
            ) from None
        failed = one_by_one["failed"] + together["failed"]
        windows = [story["window"] for story in one_by_one["stories"]] + [together["window"]]
        *per_story, batch_requests = self.requests_between(windows)
        self.recorded[number] = {"stories": per_story, "batch": batch_requests, "deliveries": together["deliveries"]}
        return load.Run(
            requests=together["deliveries"],
            elapsed=together["seconds"],
            concurrency=WORKER_CONCURRENCY,
            latencies=[story["latency"] for story in one_by_one["stories"]],
            errors=len(failed),
            error_samples=failed[: load.MAX_ERRORS_KEPT],
            bytes_received=0,
        )

    # --- the baseline ---------------------------------------------------------------
    def baseline_round(self, number):
        import requests

        recorded = self.recorded[number]
        errors = []
        with requests.Session() as session:
            forget_x_posts(session, self.fake_url, [r for story in recorded["stories"] for r in story] + recorded["batch"])
            replay = Replay(session, self.fake_url, errors)
            latencies = []
            for story_requests in recorded["stories"]:
                started = time.perf_counter()
                for record in story_requests:
                    replay.send(record)
                latencies.append(time.perf_counter() - started)
            started = time.perf_counter()
            for record in recorded["batch"]:
                replay.send(record)
            elapsed = time.perf_counter() - started
        return load.Run(
            requests=recorded["deliveries"],
            elapsed=elapsed,
            concurrency=1,
            latencies=latencies,
            errors=len(errors),
            error_samples=errors[: load.MAX_ERRORS_KEPT],
            bytes_received=0,
        )

    def facts(self):
        return {
            "measures": "deliveries",
            "broker": self.broker_label,
            "worker_concurrency": WORKER_CONCURRENCY,
            "channel_kinds": self.setup["kinds"],
            "skipped_kinds": self.setup["skipped"],
            "stories_one_by_one_per_round": self.each,
            "stories_together_per_round": self.batch,
        }


class Replay:
    """The baseline client: sends recorded requests again, as they were."""

    def __init__(self, session, base_url, errors):
        self.session, self.base_url, self.errors = session, base_url, errors

    def send(self, record):
        body = record["body"]
        if body.startswith("<") and body.endswith(" bytes>"):
            self.errors.append(f"{record['path']}: body too large for the fake's log, not replayed")
            return
        query = f"?{urlencode(record['query'], doseq=True)}" if record["query"] else ""
        headers = {k: v for k, v in record["headers"].items() if k.lower() not in REPLAY_SKIP_HEADERS}
        url = f"{self.base_url}/{record['platform']}{record['path']}{query}"
        try:
            response = self.session.request(record["method"], url, data=body.encode(), headers=headers, timeout=30)
        except OSError as error:
            self.errors.append(f"{record['method']} {record['path']}: {type(error).__name__}")
            return
        if response.status_code >= 400:
            self.errors.append(f"{record['method']} {record['path']}: HTTP {response.status_code}")


def forget_x_posts(session, base_url, records):
    """Delete the engine's posts on X through X's API before a replay: X,
    as the real one does, refuses a post that repeats a live one word for
    word. (The other platforms take the same post twice, and Zalo's tokens
    and WordPress's media ids in the recorded requests stay valid.)"""
    auth = next((r["headers"].get("Authorization") for r in records if r["platform"] == "x" and r["method"] == "POST"), None)
    if auth is None:
        return
    for tweet_id, post in _get_json(f"{base_url}/_fake/posts").get("x", {}).items():
        if not post.get("deleted"):
            session.delete(f"{base_url}/x/2/tweets/{tweet_id}", headers={"Authorization": auth}, timeout=30).raise_for_status()


def _get_json(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _fernet_key():
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _raise_failures(failed, what):
    if failed:
        raise harness.BenchError(f"publishing {what}: deliveries did not succeed:\n" + "\n".join(failed[:10]))


def _bench(ctx):
    if "publishing" not in ctx.state:
        bench = Bench(ctx)
        ctx.state["publishing"] = bench
        ctx.on_close(bench.close)
    return ctx.state["publishing"]


def engine(ctx):
    bench = _bench(ctx)
    command = f"celery worker --concurrency {WORKER_CONCURRENCY} ({bench.broker_label}) → fakeplatforms"
    return Target(None, [], None, extra=bench.facts(), drive=bench.engine_round, command=command)


def direct(ctx):
    if "publishing" not in ctx.state:
        raise harness.BenchError("the publishing baseline replays what the publishing scenario sent: run them together")
    bench = ctx.state["publishing"]
    return Target(None, [], None, extra=bench.facts(), drive=bench.baseline_round, command="requests.Session → fakeplatforms")


BASELINE = "publishing_direct"
SCENARIOS = [
    Scenario("publishing", "Publication fanned out by one Celery worker", engine, baseline=BASELINE),
    Scenario(BASELINE, "Same requests POSTed directly (baseline)", direct, baseline=BASELINE),
]
