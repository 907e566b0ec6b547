"""Publishing scenarios: stories fanned out to eight channels by Celery
workers running the delivery engine (outbox rows, claim under a row lock,
adapter, outcome), against baselines that send the very requests the
adapters sent to the same fake platform server, directly.

What runs, each in a process of its own:
- ``manage.py fakeplatforms`` on 127.0.0.1: the platforms' side, so the
  workers are measured without the server they talk to. Each scenario sets
  how it answers (POST /_fake/config): at once, 200 ms late as a platform
  across the Internet does, or 200 ms late with one request in ten answered
  429 or 5xx at random (seeded per round);
- one, two or four publishing workers, each as production runs it
  (``celery -A hoitu worker --pool threads --concurrency 8``, production
  settings) on a queue of this run (Redis when REDIS_URL is set, else the
  file-system broker in the run's VAR_DIR); a scenario starts or stops
  workers to have its number;
- a driver (``python -m bench.inside publishing-driver``,
  bench/inside/publishing.py) that publishes the stories through Wagtail,
  as an editor's approval does, and reads the deliveries' times from the
  database; the runner speaks JSON lines to it.

Each round of an engine scenario has two parts:
- fan-out latency: stories published one at a time; for each, the time from
  its outbox rows (written in the publication's transaction) to its last
  channel delivered;
- sustained deliveries per second: a batch of stories published in one
  transaction; from its commit to the last delivery.

The baselines replay what the engine sent in the same round: one loop
sending every request back to back (the fast scenario), or, when the
platforms answer in 200 ms, one loop per channel, the channels in parallel
(what a story's fan-out costs at the least).

The stories go into a unit of their own ("bench-publishing"), made afresh
for each run (a PostgreSQL bench database keeps the previous run's).
"""

import json
import os
import secrets
import select
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from . import harness, load
from .scenario import Scenario, Target

UNIT = "bench-publishing"
HOST = "bench-publishing.localhost"
# Per round: stories published one by one (latency), stories published
# together (throughput); full run, then --quick.
SIZES = {False: (10, 30), True: (3, 8)}
# Threads of each publishing worker: as docker-compose.yml's publishing service.
WORKER_THREADS = 8
# Seconds a publication may take to reach every channel, and more per story
# of a batch.
DELIVERY_TIMEOUT = 120
BATCH_TIMEOUT_PER_STORY = 10
START_TIMEOUT = 60
# Headers the client library sets itself.
REPLAY_SKIP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"}
# The fan-out scenario's platforms, and the faults of the one that misbehaves.
SLOW_PLATFORM_SECONDS = 0.2
FAULT_RATE = 0.1
# Retries in the bench wait 0.5–1 s, doubling to at most 4 s (production:
# 30 s, doubling to an hour): the fault scenario measures what the engine
# does with 429s and 5xx, not how long the policy waits.
RETRY_BASE_SECONDS = 0.5
RETRY_MAX_SECONDS = 4
# Channels told apart in a replay by the first segment of their path (a
# second Telegram bot, a second webhook address): see bench/inside/publishing.py.
SPLIT_BY_PATH = {"telegram", "webhook"}


@dataclass(frozen=True)
class Setup:
    """How an engine scenario runs: its workers, and how the platforms answer."""

    workers: int
    latency: float = 0.0
    fault_rate: float = 0.0
    # The baseline that replays this scenario's requests: "loop", "channels" or None.
    replay: str = None


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
    """Everything the publishing scenarios share, started once per run."""

    def __init__(self, ctx):
        workspace, quick = ctx.workspace, ctx.options.quick
        self.each, self.batch = SIZES[quick]
        self.processes = []
        self.workers = []
        self.drafts = []
        self.recorded = {}  # (scenario, round) -> {"stories": [[request, ...], ...], "batch": [...], "deliveries": n}
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
            # The fakes listen on 127.0.0.1, which production refuses; every
            # request is still checked (publishing/adapters/addresses.py).
            PUBLISHING_ALLOWED_NETWORKS="127.0.0.1/32",
            PUBLISHING_RETRY_BASE_SECONDS=RETRY_BASE_SECONDS,
            PUBLISHING_RETRY_MAX_SECONDS=RETRY_MAX_SECONDS,
        )
        self.workspace = workspace
        try:
            self.fake_url = self._start_fake()
            self.driver = Driver(workspace, self.env)
            self.processes.append(self.driver)
            harness.log("publishing: a unit with draft stories and eight channels…")
            self.setup = self.driver.call("prepare", fake_url=self.fake_url, stories=0)
            harness.log(f"publishing: channels {', '.join(self.setup['channels'])}; skipped: {self.setup['skipped'] or 'none'}")
        except BaseException:
            self.close()
            raise

    def _start(self, name, argv, env=None):
        process = Process(self.workspace, name, argv, env or self.env)
        self.processes.append(process)
        return process

    def _start_fake(self):
        fake = self._start(
            "fake-platforms",
            [sys.executable, "manage.py", "fakeplatforms", "--addr", "127.0.0.1", "--port", str(harness.free_port(self.workspace.ports))],
            # The fakes are the demo's: not installed in production settings.
            self.workspace.env(settings="dev"),
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            fake.check_alive()
            first = fake.log_path.read_text(errors="replace").splitlines()[:1]
            if first and first[0].startswith("Fake platforms listening on "):
                return first[0].rsplit(" ", 1)[1]
            time.sleep(0.2)
        raise harness.BenchError(f"the fake platform server did not start within {START_TIMEOUT} s:\n{fake.log_tail()}")

    def configure_fake(self, latency=0.0, fault_rate=0.0, seed=None):
        _post_json(f"{self.fake_url}/_fake/config", {"latency": latency, "fault_rate": fault_rate, "fault_seed": seed})

    def take(self, count):
        """``count`` draft stories, made in batches as they run out."""
        if len(self.drafts) < count:
            self.drafts += self.driver.call("add_drafts", count=max(count - len(self.drafts), 2 * (self.each + self.batch)))["stories"]
        taken, self.drafts = self.drafts[:count], self.drafts[count:]
        return taken

    # --- the workers --------------------------------------------------------------
    def use_workers(self, count):
        """Exactly ``count`` publishing workers running; new ones warmed up by
        an unmeasured publication (imports, connections)."""
        while len(self.workers) > count:
            worker = self.workers.pop()
            worker.stop()
            self.processes.remove(worker)
        if len(self.workers) == count:
            return
        while len(self.workers) < count:
            name = f"publishing-worker-{len(self.workers) + 1}"
            self.workers.append(
                self._start(
                    name,
                    [
                        sys.executable, "-m", "celery", "-A", "hoitu", "worker", "-Q", self.queue, "-n", f"{name}-{self.workspace.run_token}@%h",
                        "--pool", "threads", "--concurrency", str(WORKER_THREADS), "--without-gossip", "--without-mingle",
                        "--without-heartbeat", "--loglevel", "WARNING",
                    ],
                )  # fmt: skip
            )
        self.configure_fake()
        warm = self.driver.call("publish_each", stories=self.take(count), timeout=DELIVERY_TIMEOUT + START_TIMEOUT)
        _raise_failures(warm["failed"], "warm-up")

    def worker_logs(self):
        return "\n".join(f"--- {worker.name} ---\n{worker.log_tail()}" for worker in self.workers)

    def requests_between(self, windows):
        """The fake's recorded requests, split by the time windows given."""
        records = _get_json(f"{self.fake_url}/_fake/requests?since={min(start for start, _end in windows)}")
        return [[r for r in records if start <= r["at"] <= end] for start, end in windows]

    def close(self):
        for process in reversed(self.processes):
            process.stop()
        self.processes, self.workers = [], []
        if self.workspace.redis_url:
            import redis

            client = redis.Redis.from_url(self.workspace.redis_url)
            client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")

    # --- the engine ---------------------------------------------------------------
    def engine_round(self, name, setup, number):
        self.use_workers(setup.workers)
        self.configure_fake(setup.latency, setup.fault_rate, seed=number)
        each, batch = self.take(self.each), self.take(self.batch)
        try:
            one_by_one = self.driver.call("publish_each", stories=each, timeout=DELIVERY_TIMEOUT * len(each))
            together = self.driver.call("publish_batch", stories=batch, timeout=DELIVERY_TIMEOUT + BATCH_TIMEOUT_PER_STORY * len(batch) + 60)
        except harness.BenchError as error:
            raise harness.BenchError(f"{error}\n{self.worker_logs()}\n--- driver log ---\n{self.driver.log_tail()}") from None
        finally:
            self.configure_fake()
        failed = one_by_one["failed"] + together["failed"]
        if setup.replay:
            windows = [story["window"] for story in one_by_one["stories"]] + [together["window"]]
            *per_story, batch_requests = self.requests_between(windows)
            self.recorded[name, number] = {"stories": per_story, "batch": batch_requests, "deliveries": together["deliveries"]}
        return load.Run(
            requests=together["deliveries"],
            elapsed=together["seconds"],
            concurrency=setup.workers * WORKER_THREADS,
            latencies=[story["latency"] for story in one_by_one["stories"]],
            errors=len(failed),
            error_samples=failed[: load.MAX_ERRORS_KEPT],
            bytes_received=0,
        )

    # --- the baselines ------------------------------------------------------------
    def replay_round(self, name, setup, number):
        import requests

        recorded = self.recorded.get((name, number))
        if recorded is None:
            raise harness.BenchError(f"the baseline replays what {name} sent: run them together")
        errors = []
        self.configure_fake(setup.latency)
        try:
            with requests.Session() as session:
                forget_x_posts(session, self.fake_url, [r for story in recorded["stories"] for r in story] + recorded["batch"])
            if setup.replay == "loop":
                with requests.Session() as session:
                    replay = Replay(_as_the_engine(session), self.fake_url, errors)
                    latencies = [_timed(lambda story=story: [replay.send(r) for r in story]) for story in recorded["stories"]]
                    elapsed = _timed(lambda: [replay.send(r) for r in recorded["batch"]])
            else:
                with ThreadPoolExecutor(max_workers=len(self.setup["channels"])) as pool:
                    latencies = [_timed(lambda story=story: replay_by_channel(pool, self.fake_url, story, errors)) for story in recorded["stories"]]
                    elapsed = _timed(lambda: replay_by_channel(pool, self.fake_url, recorded["batch"], errors))
        finally:
            self.configure_fake()
        return load.Run(
            requests=recorded["deliveries"],
            elapsed=elapsed,
            concurrency=1 if setup.replay == "loop" else len(self.setup["channels"]),
            latencies=latencies,
            errors=len(errors),
            error_samples=errors[: load.MAX_ERRORS_KEPT],
            bytes_received=0,
        )

    def facts(self, setup=None):
        facts = {
            "measures": "deliveries",
            "broker": self.broker_label,
            "worker_threads": WORKER_THREADS,
            "channels": self.setup["channels"],
            "skipped_kinds": self.setup["skipped"],
            "stories_one_by_one_per_round": self.each,
            "stories_together_per_round": self.batch,
        }
        if setup is not None:
            facts.update(workers=setup.workers, platform_latency_s=setup.latency, fault_rate=setup.fault_rate)
        return facts


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


def channel_of(record):
    """Which channel sent a recorded request: its platform, and for the kinds
    the bench has two channels of, the first segment of the path."""
    if record["platform"] in SPLIT_BY_PATH:
        return record["platform"], record["path"].split("/")[1]
    return record["platform"], ""


def replay_by_channel(pool, base_url, records, errors):
    """Each channel's requests in order, the channels at the same time."""
    import requests

    by_channel = defaultdict(list)
    for record in records:
        by_channel[channel_of(record)].append(record)

    def send_all(chain):
        with requests.Session() as session:
            replay = Replay(_as_the_engine(session), base_url, errors)
            for record in chain:
                replay.send(record)

    for future in [pool.submit(send_all, chain) for chain in by_channel.values()]:
        future.result()


def _as_the_engine(session):
    """The replay's session reads its environment as the engine's do
    (publishing/adapters/addresses.py's GuardedSession): the CA bundle
    once, the rest before every request only where a proxy is named."""
    session.trust_env = bool(urllib.request.getproxies())
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    return session


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


def _timed(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _get_json(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _post_json(url, data):
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
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


def engine(name, setup):
    def prepare(ctx):
        bench = _bench(ctx)
        command = (
            f"{setup.workers} × celery worker --pool threads --concurrency {WORKER_THREADS} ({bench.broker_label}) → fakeplatforms"
        )
        return Target(None, [], None, extra=bench.facts(setup), drive=lambda number: bench.engine_round(name, setup, number), command=command)

    return prepare


def replay(name, setup):
    def prepare(ctx):
        bench = _bench(ctx)
        command = "requests.Session → fakeplatforms" if setup.replay == "loop" else "a requests.Session per channel, in parallel → fakeplatforms"
        return Target(None, [], None, extra=bench.facts(setup), drive=lambda number: bench.replay_round(name, setup, number), command=command)

    return prepare


BASELINE = "publishing_direct"
ONE_WORKER = Setup(1, replay="loop")
SLOW = Setup(1, latency=SLOW_PLATFORM_SECONDS, replay="channels")
SCENARIOS = [
    Scenario("publishing", "One publishing worker, platforms answering at once", engine("publishing", ONE_WORKER), baseline=BASELINE),
    Scenario(BASELINE, "Same requests sent in a loop (baseline)", replay("publishing", ONE_WORKER), baseline=BASELINE),
    # Compared with one worker: how the rate grows with workers.
    Scenario("publishing_2_workers", "Two publishing workers, platforms answering at once", engine("publishing_2_workers", Setup(2)), baseline="publishing"),
    Scenario("publishing_4_workers", "Four publishing workers, platforms answering at once", engine("publishing_4_workers", Setup(4)), baseline="publishing"),
    Scenario(
        "publishing_slow", f"One publishing worker, platforms answering in {SLOW_PLATFORM_SECONDS * 1000:.0f} ms",
        engine("publishing_slow", SLOW), baseline="publishing_slow_direct",
    ),  # fmt: skip
    Scenario(
        "publishing_slow_direct", "Same requests, a loop per channel, channels in parallel (baseline)",
        replay("publishing_slow", SLOW), baseline="publishing_slow_direct",
    ),  # fmt: skip
    Scenario(
        "publishing_slow_2_workers", f"Two publishing workers, platforms answering in {SLOW_PLATFORM_SECONDS * 1000:.0f} ms",
        engine("publishing_slow_2_workers", Setup(2, latency=SLOW_PLATFORM_SECONDS)), baseline="publishing_slow",
    ),  # fmt: skip
    Scenario(
        "publishing_slow_4_workers", f"Four publishing workers, platforms answering in {SLOW_PLATFORM_SECONDS * 1000:.0f} ms",
        engine("publishing_slow_4_workers", Setup(4, latency=SLOW_PLATFORM_SECONDS)), baseline="publishing_slow",
    ),  # fmt: skip
    # Compared with the same platforms without faults.
    Scenario(
        "publishing_slow_faults",
        f"One publishing worker, {SLOW_PLATFORM_SECONDS * 1000:.0f} ms, 1 request in {round(1 / FAULT_RATE)} answered 429 or 5xx",
        engine("publishing_slow_faults", Setup(1, latency=SLOW_PLATFORM_SECONDS, fault_rate=FAULT_RATE)), baseline="publishing_slow",
    ),  # fmt: skip
]
