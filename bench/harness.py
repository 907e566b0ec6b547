"""The benchmark's workspace: a private database (seeded once and cached),
static files, and gunicorn servers started on free localhost ports.

Nothing here touches the developer's own database, media or cache: every
process gets VAR_DIR, DATABASE_URL, MEDIA_ROOT and STATIC_ROOT pointing into a
temporary directory, PostgreSQL runs use a database of their own
(``hoitu_bench``, or ``--database``/``BENCH_DATABASE``) that the bench marks as
its own when it creates it and refuses to use or drop without that mark, Redis
keys carry a per-run prefix that is deleted afterwards, and servers listen on
127.0.0.1 only (on ``--ports``/``BENCH_PORTS`` when given).
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import load

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEED_CACHE_DIR = PROJECT_DIR / "var" / "bench" / "seed"
BENCH_DATABASE = "hoitu_bench"
# What the bench writes on a PostgreSQL database it created (COMMENT ON
# DATABASE), before anything else: without it a database is not the bench's.
DATABASE_MARK = "hoitu bench"
BENCH_UNIT = "bench"
# Bump when what is seeded changes in a way the hashed files do not show
# (bench.inside.articles.prepare, for one).
SEED_FORMAT = 1
# What the seeded database depends on: its schema and the code that fills it.
SEED_INPUTS = [
    "bench/inside/seed.py",
    "assets/renditions.py",
    "assets/services.py",
    # Public search's stored words, written by the seed.
    "newsroom/models/search.py",
    "newsroom/search.py",
    "assets/text.py",
]
MIGRATION_APPS = ["newsroom", "assets", "workflows", "publishing"]
SERVER_START_TIMEOUT = 60


class BenchError(Exception):
    """The benchmark could not run as asked; the message says why."""


def log(message):
    print(f"[bench] {message}", flush=True)


class Workspace:
    def __init__(self, options):
        """Check the set-up (the database asked for, the bench's own one) and
        only then make the run's temporary folder: a refused run leaves
        nothing behind."""
        self.options = options
        self.run_token = secrets.token_hex(4)
        self.ports = options.ports
        given = os.environ.get("DATABASE_URL", "")
        if not given or given.startswith("sqlite"):
            self.vendor = "sqlite"
        elif urlsplit(given).scheme in ("postgres", "postgresql", "pgsql"):
            self.vendor = "postgresql"
            parts = urlsplit(given)
            self.database_name = options.database
            # Never the database DATABASE_URL names: a dedicated one.
            if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", self.database_name) or self.database_name == parts.path.lstrip("/"):
                raise BenchError(
                    f"The bench database must be a lower-case name of its own, not {self.database_name!r} "
                    "(and never the one DATABASE_URL names): pass --database or set BENCH_DATABASE."
                )
            self.database_url = urlunsplit(parts._replace(path=f"/{self.database_name}"))
            self._refuse_a_database_not_ours()
        else:
            raise BenchError(f"DATABASE_URL must be SQLite or PostgreSQL, not {urlsplit(given).scheme!r}.")
        self.root = Path(tempfile.mkdtemp(prefix="hoitu-bench-"))
        self.media_root = self.root / "media"
        self.static_root = self.root / "static"
        if self.vendor == "sqlite":
            self.database_url = f"sqlite:///{self.root / 'hoitu.sqlite3'}"
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.cache_prefix = f"hoitu-bench-{self.run_token}"
        self.secret_key = secrets.token_urlsafe(40)

    @property
    def cache_label(self):
        return "redis" if self.redis_url else "file"

    @property
    def config_label(self):
        return f"{self.vendor}-{self.cache_label}"

    # --- environment ------------------------------------------------------
    def env(self, settings="production", database_url=None, media_root=None, **extra):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PAGE_CACHE", "CACHE_KEY_PREFIX", "CELERY_", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"))
        }
        env.pop("REDIS_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE=f"hoitu.settings.{settings}",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_DEBUG="false",
            DATABASE_URL=database_url or self.database_url,
            VAR_DIR=str(self.root),
            MEDIA_ROOT=str(media_root or self.media_root),
            STATIC_ROOT=str(self.static_root),
            ALLOWED_HOSTS="localhost,127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            SERVE_MEDIA="true",
            PAGE_CACHE_SECONDS="0",
            # Tasks raised while seeding (image renditions) must not reach a
            # developer's worker, which would run them on another database.
            CELERY_BROKER_URL="memory://localhost/",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.redis_url:
            env.update(REDIS_URL=self.redis_url, CACHE_KEY_PREFIX=self.cache_prefix)
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def manage(self, *args, **env_options):
        run([sys.executable, "manage.py", *args], self.env(**env_options))

    def inside(self, *args, **env_options):
        output = run([sys.executable, "-m", "bench.inside", *args], self.env(**env_options), capture=True)
        lines = [line for line in output.splitlines() if line.strip()]
        return json.loads(lines[-1])

    # --- the seeded database ------------------------------------------------
    def seed_key(self):
        digest = hashlib.sha256(f"{SEED_FORMAT}|{self.options.articles}|{self.vendor}".encode())
        files = [PROJECT_DIR / name for name in SEED_INPUTS]
        for app in MIGRATION_APPS:
            files.extend(sorted((PROJECT_DIR / app / "migrations").glob("*.py")))
        for path in files:
            if path.exists():
                digest.update(str(path.relative_to(PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
        digest.update(f"django {version('django')} wagtail {version('wagtail')}".encode())
        return digest.hexdigest()[:16]

    def prepare_database(self):
        """Give this run a database seeded with ``options.articles`` articles,
        reusing the cached seed when nothing it depends on changed."""
        key = self.seed_key()
        cached = SEED_CACHE_DIR / f"{self.vendor}-{self.options.articles}-{key}"
        reusable = (cached / "ready").exists() and not self.options.reseed
        if self.vendor == "postgresql":
            # The very seeding whose files are cached here: another checkout
            # may have seeded the database since, with other file names.
            reusable = reusable and self._pg_seed_key() == json.loads((cached / "ready").read_text()).get("seeding")
        if reusable:
            log(f"reusing the seeded database {cached.name}")
        else:
            self._seed(cached, key)
        shutil.copytree(cached / "media", self.media_root)
        if self.vendor == "sqlite":
            started = time.perf_counter()
            shutil.copyfile(cached / "hoitu.sqlite3", self.root / "hoitu.sqlite3")
            log(f"copied the database in {time.perf_counter() - started:.1f} s")
        return json.loads((cached / "ready").read_text())

    def _seed(self, cached, key):
        SEED_CACHE_DIR.mkdir(parents=True, exist_ok=True)
        building = SEED_CACHE_DIR / f".building-{self.run_token}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        try:
            if self.vendor == "sqlite":
                database_url = f"sqlite:///{building / 'hoitu.sqlite3'}"
            else:
                self._pg_recreate()
                database_url = self.database_url
            media = building / "media"
            steps = {}
            seeded = {"settings": "dev", "database_url": database_url, "media_root": media}
            for name, action in [
                ("migrate", lambda: self.manage("migrate", "--noinput", "-v0", **seeded)),
                ("seed_bench", lambda: self.inside(
                    "seed", "--articles", str(self.options.articles), "--unit-slug", BENCH_UNIT,
                    "--hostname", "localhost", "--default-site", **seeded,
                )),
                ("renditions", lambda: self.inside("prepare", **seeded)),
            ]:
                started = time.perf_counter()
                log(f"seeding: {name}…")
                action()
                steps[name] = round(time.perf_counter() - started, 1)
            if self.vendor == "sqlite" and (building / "hoitu.sqlite3-wal").exists():
                raise BenchError("the seeded SQLite database still has a write-ahead log; a seeding process did not exit cleanly")
            seeding = f"{key}-{self.run_token}"
            (building / "ready").write_text(json.dumps({"key": key, "seeding": seeding, "articles": self.options.articles, "seconds": steps}))
            shutil.rmtree(cached, ignore_errors=True)
            building.rename(cached)
            if self.vendor == "postgresql":
                self._pg_mark(f"seed {seeding}")
            log(f"seeded in {sum(steps.values()):.0f} s: {steps}")
        finally:
            shutil.rmtree(building, ignore_errors=True)
        # Older seeds of the same size and database are stale now.
        for stale in SEED_CACHE_DIR.glob(f"{self.vendor}-{self.options.articles}-*"):
            if stale != cached:
                shutil.rmtree(stale, ignore_errors=True)

    def _pg_admin(self, sql, params=(), fetch=False):
        import psycopg

        parts = urlsplit(self.database_url)
        with psycopg.connect(
            host=parts.hostname or "localhost",
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchone() if fetch else None

    def _pg_comment(self):
        """The database's comment: None when there is no such database."""
        row = self._pg_admin(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s", (self.database_name,), fetch=True
        )
        return row[0] if row else None

    def _pg_seed_key(self):
        """The seeding the bench's database holds, or None (none yet, or a
        seeding that did not finish). Refuses a database the bench did not make."""
        comment = self._pg_comment()
        if comment is None:
            return None
        self._refuse_unless_marked(comment)
        return comment.rsplit(" ", 1)[-1] if comment.startswith(f"{DATABASE_MARK} seed ") else None

    def _refuse_a_database_not_ours(self):
        """Before anything is made: the bench's database is absent or marked
        as the bench's (seeding and reseeding check again)."""
        import psycopg

        try:
            comment = self._pg_comment()
        except psycopg.Error as error:
            raise BenchError(f"cannot check the bench database {self.database_name!r} on PostgreSQL: {error}") from error
        if comment is not None:
            self._refuse_unless_marked(comment)

    def _refuse_unless_marked(self, comment):
        if not comment.startswith(DATABASE_MARK):
            raise BenchError(
                f"The database {self.database_name!r} exists and was not made by the bench (no {DATABASE_MARK!r} comment): "
                "it is neither used nor dropped. Pass another name with --database or BENCH_DATABASE."
            )

    def _pg_mark(self, what):
        self._pg_admin(f"COMMENT ON DATABASE {self.database_name} IS '{DATABASE_MARK} {what}'")

    def _pg_recreate(self):
        comment = self._pg_comment()
        if comment is not None:
            self._refuse_unless_marked(comment)
            # Only the bench's own database: its last run's processes may linger.
            self._pg_admin(f"DROP DATABASE {self.database_name} WITH (FORCE)")
        self._pg_admin(f"CREATE DATABASE {self.database_name}")
        self._pg_mark("seeding")

    # --- static files -------------------------------------------------------
    def collect_static(self):
        started = time.perf_counter()
        self.manage("collectstatic", "--noinput", "-v0")
        log(f"collected static files in {time.perf_counter() - started:.1f} s")

    # --- tidy-up ---------------------------------------------------------------
    def close(self):
        if self.redis_url:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(f"{self.cache_prefix}*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        if self.options.keep:
            log(f"kept the workspace at {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def run(argv, env, capture=False):
    result = subprocess.run(argv, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE if capture else None, text=True)
    if result.returncode != 0:
        raise BenchError(f"{' '.join(argv[:4])}… failed with exit code {result.returncode}")
    return result.stdout


def free_port(ports=None):
    """A port of 127.0.0.1 nothing listens on: any the system hands out, or
    one of ``ports`` (a range) when the run was given one."""
    for port in ports or [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise BenchError(f"no free port left in {ports.start}-{ports.stop - 1} (--ports)")


class Server:
    """gunicorn serving the project as the production image does (sync
    workers, production settings), on 127.0.0.1. Left out: the access log,
    and --max-requests, whose worker recycling would land inside a
    measurement."""

    def __init__(self, workspace, name, workers, **env):
        self.workspace = workspace
        self.name = name
        self.port = free_port(workspace.ports)
        self.log_path = workspace.root / f"gunicorn-{name}.log"
        self.argv = [
            sys.executable, "-m", "gunicorn", "hoitu.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--timeout", "60",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
        ]  # fmt: skip
        self.env = workspace.env(**env)
        self.process = None

    @property
    def command(self):
        return "gunicorn hoitu.wsgi:application " + " ".join(self.argv[4:10])

    def start(self):
        self.process = subprocess.Popen(self.argv, cwd=PROJECT_DIR, env=self.env, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.name}) exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if load.get(self.port, "/robots.txt", timeout=5).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn ({self.name}) did not answer within {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines=30):
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def serving(workspace, name, workers, **env):
    server = Server(workspace, name, workers, **env)
    try:
        yield server.start()
    finally:
        server.stop()
