"""Run the development stack in one terminal: web server, three Celery
workers (one for the small, time-bound jobs: heartbeat, notifications; one
for media, whose image renditions take minutes after a demo seed; the
publishing worker, whose threads send a story to its channels at the same
time), Celery beat, and the fake platform server the demo channels post to.

`make run` ends here. Each process gets its own session so that Ctrl-C
reaches only this launcher, which then stops all of them in order (a worker
hit by Ctrl-C directly *and* by the launcher would go straight to a cold
shutdown). If the launcher itself is killed, Linux sends the children SIGTERM
(PR_SET_PDEATHSIG), so nothing is left running either way.
"""

import ctypes
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from demo.channels import PARTNER_NAME, partner_token
from demo.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from demo.units import ADMIN_USERNAME, ARCHIVE_STAFF
from demo.units import UNITS as DEMO_UNITS
from hoitu.tasks import heartbeat
from newsroom.models import Unit, User
from publishing.models import Channel, Partner
from publishing.models.partners import hash_token

# Long enough for an idle worker's warm shutdown, short enough that Ctrl-C
# feels immediate; a second Ctrl-C skips the wait.
GRACE_SECONDS = 10
COLOURS = {"stack": "1", "web": "32", "worker": "36", "media": "34", "publishing": "96", "beat": "35", "fake": "33"}
# assets.tasks.* are routed here (CELERY_TASK_ROUTES); everything else goes
# to the other worker.
MEDIA_QUEUE = "media"
DEFAULT_FAKE_PLATFORMS_PORT = 8025
PUBLISHING_THREADS = 8


def _die_with(parent_pid):
    """preexec_fn: deliver SIGTERM to the child when the launcher dies."""

    def preexec():
        prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
        if prctl is not None:
            prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent_pid:  # the launcher died before prctl took effect
            os._exit(1)

    return preexec


def fake_platforms_port():
    value = os.environ.get("FAKE_PLATFORMS_PORT") or str(DEFAULT_FAKE_PLATFORMS_PORT)
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise CommandError(f"FAKE_PLATFORMS_PORT must be a TCP port number, not {value!r}.")
    return int(value)


def worker_queues():
    """(queues of the jobs worker, of the media worker, of the publishing
    worker): between them every queue a task can be sent to."""
    jobs = [q for q in settings.WORKER_QUEUES.split(",") if q not in (MEDIA_QUEUE, settings.PUBLISHING_QUEUE)]
    return jobs, [MEDIA_QUEUE], [settings.PUBLISHING_QUEUE]


class Child:
    def __init__(self, name, argv):
        self.name = name
        self.argv = argv
        self.process = None
        self.pending = b""

    @property
    def pid(self):
        return self.process.pid

    @property
    def returncode(self):
        return self.process.poll()

    def start(self, env, cwd):
        self.process = subprocess.Popen(
            self.argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with(os.getpid()),
        )

    def signal_group(self, signum):
        """Signal the child's whole process group (the worker's pool too)."""
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            pass

    def wait_for_group(self, timeout):
        """Until no process of the group is left: a killed pool process
        whose parent is gone is reaped by init, a moment later."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


class Command(BaseCommand):
    help = (
        "Run the web server, Celery workers for jobs, media and publishing, Celery beat and the fake platform server "
        "together (development only). The fake platforms listen on FAKE_PLATFORMS_PORT (default 8025)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT") or 8000), help="Web server port (default: $PORT or 8000)."
        )
        parser.add_argument(
            "--addr",
            default="127.0.0.1",
            help="Address the web server listens on. The default keeps the debug server off the network; use 0.0.0.0 inside a VM or container.",
        )

    def handle(self, *, port, addr, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "runstack is a development tool; production runs gunicorn, the worker and beat as separate services (see docker-compose.yml)."
            )
        self.colour = self.stdout.isatty()
        self.stop_signal = None
        self.port = port
        self.addr = addr
        self.fake_port = fake_platforms_port()
        self.filesystem_broker = settings.CELERY_BROKER_URL.startswith("filesystem://")
        self._check_port_free(self.addr, self.port, "PORT")
        self._check_port_free("127.0.0.1", self.fake_port, "FAKE_PLATFORMS_PORT")
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "hoitu"]
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        jobs_queues, media_queues, publishing_queues = worker_queues()
        self.children = [
            Child("web", [*manage, "runserver", f"{addr}:{port}", "--noreload"]),
            Child("worker", self._worker(celery, "worker", jobs_queues, concurrency=2)),
            # One process: encoding is CPU-bound and the demo's backlog of
            # renditions must not take the machine (or the memory) from the rest.
            Child("media", self._worker(celery, "media", media_queues, concurrency=1)),
            # As docker-compose.yml's publishing service: deliveries wait on the
            # platforms and the database, so threads, one per delivery.
            Child("publishing", self._worker(celery, "publishing", publishing_queues, concurrency=PUBLISHING_THREADS, pool="threads")),
            Child("beat", [*celery, "beat", "--loglevel=INFO"]),
            Child("fake", [*manage, "fakeplatforms", "--port", str(self.fake_port)]),
        ]
        returncode = self._run()
        if returncode:
            raise CommandError(self.failure, returncode=returncode)

    def _worker(self, celery, name, queues, concurrency, pool="prefork"):
        argv = [*celery, "worker", "--loglevel=INFO", f"--pool={pool}", f"--concurrency={concurrency}", "-Q", ",".join(queues), "-n", f"{name}@%h"]
        if self.filesystem_broker:
            # Gossip, mingle and event heartbeats broadcast to every worker
            # through fanout queues; with local workers they do nothing but
            # leave message files behind for queues nobody reads any more.
            argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        return argv

    def _check_port_free(self, addr, port, variable):
        # Otherwise the banner could point at whatever already listens there.
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((addr.strip("[]"), port))
            except OSError as error:
                raise CommandError(f"Cannot listen on {addr}:{port} ({error.strerror}); set {variable} to a free port.") from error

    # -- process supervision -------------------------------------------------

    def _run(self):
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            "WAGTAILADMIN_BASE_URL": os.environ.get("WAGTAILADMIN_BASE_URL", f"http://localhost:{self.port}"),
        }
        selector = selectors.DefaultSelector()
        self.failure = None
        try:
            for child in self.children:
                child.start(env, cwd=settings.BASE_DIR)
                selector.register(child.process.stdout, selectors.EVENT_READ, child)
                self._say(f"started {child.name} (pid {child.pid}): {' '.join(child.argv[1:])}")
            self._send_first_heartbeat()
            self._supervise(selector)
        finally:
            # Whatever happened, nothing outlives the launcher: this also takes
            # anything a child left in its group (a pool process whose parent
            # was killed).
            for child in self.children:
                if child.process is not None:
                    child.signal_group(signal.SIGKILL)
                    child.process.wait()
                    child.wait_for_group(timeout=5)
            self._pump(selector, timeout=0.5, until_closed=True)
            selector.close()
        if self.failure is None:
            self._say("all processes stopped")
            return 0
        return 1

    def _supervise(self, selector):
        announced = False
        deadline = None  # set once stopping has begun
        while True:
            self._pump(selector, timeout=0.2)
            if deadline is None:
                died = next((c for c in self.children if c.returncode is not None), None)
                if died is not None:
                    self.failure = f"{died.name} exited with code {died.returncode}; stopped the others."
                    self._say(self.failure)
                elif self.stop_signal is not None:
                    self._say(f"{signal.Signals(self.stop_signal).name} received, stopping (Ctrl-C again kills at once)")
                if died is not None or self.stop_signal is not None:
                    for child in self.children:
                        if child.returncode is None:
                            child.process.send_signal(signal.SIGTERM)
                    deadline = time.monotonic() + GRACE_SECONDS
                    self.stop_signal = None
                elif not announced and self._web_is_up():
                    self._announce()
                    announced = True
            elif all(c.returncode is not None for c in self.children):
                return
            elif time.monotonic() > deadline or self.stop_signal is not None:
                for child in self.children:
                    if child.returncode is None:
                        self._say(f"{child.name} did not stop in time, killing it")
                        child.signal_group(signal.SIGKILL)
                deadline = float("inf")
                self.stop_signal = None

    def _on_signal(self, signum, frame):
        self.stop_signal = signum

    def _pump(self, selector, timeout, until_closed=False):
        """Copy the children's output to ours, one prefixed line at a time."""
        end = time.monotonic() + timeout
        if not selector.get_map() and not until_closed:
            time.sleep(timeout)
        while selector.get_map():
            remaining = end - time.monotonic()
            if remaining <= 0:
                return
            events = selector.select(timeout=remaining)
            for key, _ in events:
                child = key.data
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
                    if child.pending:
                        self._emit(child.name, child.pending)
                        child.pending = b""
                    continue
                *lines, child.pending = (child.pending + data).split(b"\n")
                for line in lines:
                    self._emit(child.name, line)
            self.stdout.flush()
            if events and not until_closed:
                return

    def _emit(self, name, raw_line):
        line = raw_line.decode("utf-8", "replace").rstrip("\r")
        prefix = f"{name:<6} |"
        if self.colour:
            prefix = f"\033[{COLOURS[name]}m{prefix}\033[0m"
        self.stdout.write(f"{prefix} {line}")

    def _say(self, message):
        self._emit("stack", message.encode())
        self.stdout.flush()

    # -- start-up --------------------------------------------------------------

    def _send_first_heartbeat(self):
        # Beat's first interval run comes 30 s after it starts; one heartbeat
        # now, through the broker, makes /healthz green as soon as the worker
        # has taken it.
        try:
            heartbeat.apply_async(retry=False)
        except Exception as error:  # the worker's own errors will say more
            self._say(f"could not queue the first heartbeat: {error}")

    def _web_is_up(self):
        host = "127.0.0.1" if self.addr in ("0.0.0.0", "") else self.addr.strip("[]")
        try:
            socket.create_connection((host, self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def _announce(self):
        try:
            self._print_addresses()
        except DatabaseError as error:
            self._say(f"the database is not ready ({error}); run `python manage.py migrate` first.")
        finally:
            connection.close()

    def _publishing_lines(self, units, existing):

        fake = f"http://127.0.0.1:{self.fake_port}"
        lines = [
            f"  Publishing dashboard: http://localhost:{self.port}/admin/publishing/",
            f"  Fake platforms (what the demo channels posted): {fake}/_fake/posts  (requests: {fake}/_fake/requests)",
        ]
        if units and not Channel.objects.filter(base_url__startswith=f"{fake}/").exists():
            lines.append(f"    no channel points at them: seed_demo ran with another FAKE_PLATFORMS_PORT than {self.fake_port}")
        publishers = [f"{unit.slug}.phathanh" for unit in units if f"{unit.slug}.phathanh" in existing]
        if publishers:
            lines.append(f"    deliveries and channels: log in as {', '.join(publishers)}")
        token = partner_token()
        if Partner.objects.filter(name=PARTNER_NAME, token_hash=hash_token(token), active=True).exists():
            lines.append(f"  Content API (ninjs): curl -H 'Authorization: Bearer {token}' http://localhost:{self.port}/api/ninjs/")
        return lines

    def _print_addresses(self):

        demo_logins = {spec.slug: [spec.username(member.role) for member in spec.staff] for spec in DEMO_UNITS}
        candidates = [ADMIN_USERNAME, ARCHIVE_STAFF.role, *(name for names in demo_logins.values() for name in names)]
        existing = set(User.objects.filter(username__in=candidates, is_active=True).values_list("username", flat=True))
        units = list(Unit.objects.select_related("site").order_by("-site__is_default_site", "site__hostname"))
        lines = ["", "Hội Tụ is running. Press Ctrl-C to stop.", ""]
        for unit in units:
            lines.append(f"  {unit.name}: http://{unit.site.hostname}:{self.port}/")
            logins = [name for name in demo_logins.get(unit.slug, []) if name in existing]
            if logins:
                lines.append(f"    logins: {', '.join(logins)}")
        if not units:
            lines.append("  No press units yet: `python manage.py seed_demo` creates the demo units.")
        admin = f" (log in as {ADMIN_USERNAME})" if ADMIN_USERNAME in existing else ""
        lines += [f"  Admin: http://localhost:{self.port}/admin/{admin}", f"  Health: http://localhost:{self.port}/healthz"]
        if ARCHIVE_STAFF.role in existing:
            lines.append(f"  Shared media archive manager: {ARCHIVE_STAFF.role}")
        lines += self._publishing_lines(units, existing)
        if existing:
            lines.append(f"  Demo password: DEMO_PASSWORD as it was when seed_demo created the accounts (default {DEFAULT_DEMO_PASSWORD})")
        lines.append("")
        for line in lines:
            self._say(line)
