"""The files that set the project up: docker-compose.yml and the Dockerfile
(Docker does not run here, so their commands are checked against the
project's real entry points), the Makefile, .ci/run, the README's list of
environment variables, and the `runstack` launcher behind `make run`, run
for real."""

import json
import os
import random
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import click
import pytest
import setuptools
import yaml
from celery.app.utils import find_app
from celery.bin.base import CLIContext
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands, load_command_class
from django.urls import resolve
from gunicorn.config import Config as GunicornConfig

import hoitu
from hoitu import views

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "publishing", "beat")
# Read by gunicorn itself (worker count), not by the settings.
GUNICORN_ENVIRONMENT = {"WEB_CONCURRENCY"}
# runstack gives its children 10 s to stop before it kills them.
GRACE_WAIT = 20

# The files and the embedded `make run` stack (which sets its own environment)
# are the same whatever DATABASE_URL and REDIS_URL say: CI checks them once.
pytestmark = pytest.mark.once


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile():
    instructions = []
    for line in re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8")).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def instruction(dockerfile, keyword):
    return [rest for key, rest in dockerfile if key == keyword]


def image_env(dockerfile):
    env = {}
    for rest in instruction(dockerfile, "ENV"):
        for token in shlex.split(rest):
            name, _, value = token.partition("=")
            env[name] = value
    return env


def effective_command(service, dockerfile):
    command = service.get("command")
    if command is None:
        (cmd,) = instruction(dockerfile, "CMD")
        command = json.loads(cmd)
    return shlex.split(command) if isinstance(command, str) else list(command)


def healthcheck_argv(service):
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return shlex.split(test)
    kind, *rest = test
    return shlex.split(rest[0]) if kind == "CMD-SHELL" else rest


def settings_environment_reads(module, **env):
    """Names of the environment variables the settings read when `module` is
    imported with `env` (recorded as they happen, so reads behind a condition
    count only when the condition holds; libraries' own reads are left out)."""
    script = """
import importlib, json, os, sys
reads = set()
def record(key):
    if "/hoitu/settings/" in sys._getframe(2).f_code.co_filename:
        reads.add(key)
class Recording(dict):
    def get(self, key, default=None):
        record(key)
        return super().get(key, default)
    def __getitem__(self, key):
        record(key)
        return super().__getitem__(key)
    def __contains__(self, key):
        record(key)
        return super().__contains__(key)
os.environ = Recording(os.environ)
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(reads)))
"""
    base_env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script, module], cwd=ROOT, env={**base_env, **env}, capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(result.stdout))


PRODUCTION_ENV = {"DJANGO_SECRET_KEY": "k3Yq-8vZ_pL2mN9xR4tW7bC1dF6gH0jS5aE8uI3oP2qT6yU9wX", "DATABASE_URL": "postgres://hoitu@db/hoitu"}


@pytest.fixture(scope="module")
def production_reads():
    return settings_environment_reads("hoitu.settings.production", **PRODUCTION_ENV) | settings_environment_reads(
        "hoitu.settings.production", REDIS_URL="redis://redis:6379/0", **PRODUCTION_ENV
    )


# -- docker-compose.yml -------------------------------------------------------


def test_compose_describes_the_production_services(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    assert services["postgres"]["image"].split(":")[1].startswith("16")
    assert services["redis"]["image"].split(":")[1].startswith("7")
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", name
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "hoitu.settings.production", name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://"), name
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:"), name
        broker = services[name]["environment"].get("CELERY_BROKER_URL", services[name]["environment"]["REDIS_URL"])
        assert broker.startswith("redis://redis:"), name
        assert services[name]["env_file"] == ".env", name  # DJANGO_SECRET_KEY and the other secrets
    for name in ("web", "worker", "publishing", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name


def test_compose_refuses_to_start_without_a_credentials_key(compose, production_reads):
    """Channel credentials are encrypted with CHANNEL_CREDENTIALS_KEYS and
    production never derives a key: `up` must stop at once without one,
    for every service that reads or writes credentials."""
    assert "CHANNEL_CREDENTIALS_KEYS" in production_reads
    for name in APP_SERVICES:
        value = compose["services"][name]["environment"]["CHANNEL_CREDENTIALS_KEYS"]
        assert re.fullmatch(r"\$\{CHANNEL_CREDENTIALS_KEYS:\?[^}]+\}", value), name


def test_compose_volumes_are_declared_and_media_is_shared(compose, dockerfile):
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
                used.add(source)
    assert {"media", "postgres-data"} <= used
    media_root = image_env(dockerfile)["MEDIA_ROOT"]
    for name in ("web", "worker", "publishing"):  # the publishing worker uploads pictures and video
        assert f"media:{media_root}" in compose["services"][name]["volumes"], name
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_web_runs_gunicorn_on_the_project_wsgi_application(compose, dockerfile, migrated_var_dir, tmp_path):
    argv = effective_command(compose["services"]["web"], dockerfile)
    assert argv[0] == "gunicorn"
    options = GunicornConfig().parser().parse_args(argv[1:])  # exits on an unknown option
    (target,) = options.args
    module, _, attribute = target.partition(":")
    (bind,) = options.bind
    assert bind.endswith(":8000") and instruction(dockerfile, "EXPOSE") == ["8000"]

    # Import the target as gunicorn would, under production settings, and
    # serve the healthcheck's request through it.
    probe = f"""
import importlib, io, json, sys
app = getattr(importlib.import_module({module!r}), {attribute!r})
status = []
body = b"".join(app({{
    "REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
    "HTTP_HOST": "news.example.vn", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_AUTHORIZATION": "Bearer giam-sat",
    "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
}}, lambda s, headers, exc_info=None: status.append(s)))
print(json.dumps({{"status": status[0], "body": body.decode()}}))
"""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SECRET_KEY=PRODUCTION_ENV["DJANGO_SECRET_KEY"],
        DATABASE_URL=f"sqlite:///{migrated_var_dir / 'hoitu.sqlite3'}",
        ALLOWED_HOSTS="news.example.vn",
        HEALTHZ_TOKEN="giam-sat",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    response = json.loads(result.stdout.strip().splitlines()[-1])
    # Without a worker's heartbeat the answer is 503, but the database answered.
    assert response["status"].split()[0] in {"200", "503"}
    assert json.loads(response["body"])["checks"]["database"]["ok"] is True


def test_web_healthcheck_probes_the_real_health_url(compose):
    service = compose["services"]["web"]
    argv = healthcheck_argv(service)
    assert argv[:2] == ["python", "-c"]
    (url,) = re.findall(r"http://127\.0\.0\.1:8000(/[^'\"]*)", argv[2])
    assert resolve(url).func is views.healthz
    compile(argv[2], "healthcheck", "exec")
    assert "X-Forwarded-Proto" in argv[2], "production redirects plain HTTP; the probe must speak as the proxy"


def parse_celery(argv):
    assert argv[0] == "celery"
    context = celery_cli.make_context("celery", list(argv[1:]), resilient_parsing=True)
    app_name = context.params["app"]
    subcommand, *rest = [*getattr(context, "_protected_args", []), *context.args]
    return app_name, subcommand, rest


@pytest.mark.parametrize(
    "service,subcommand",
    [("worker", "worker"), ("publishing", "worker"), ("beat", "beat")],
)
def test_celery_services_run_the_project_app(compose, dockerfile, service, subcommand):
    app_name, found, rest = parse_celery(effective_command(compose["services"][service], dockerfile))
    assert app_name == "hoitu"
    assert find_app(app_name) is hoitu.celery_app
    assert found == subcommand
    parent = click.Context(celery_cli, obj=CLIContext(app=hoitu.celery_app, no_color=True, workdir=None, quiet=True))
    celery_cli.commands[found].make_context(found, rest, parent=parent)  # raises on an unknown option


def test_workers_run_the_pool_that_enforces_time_limits(compose, dockerfile):
    """Celery enforces a task's hard time limit only in the prefork pool."""
    from demo.management.commands.runstack import Command as Runstack

    argv = effective_command(compose["services"]["worker"], dockerfile)
    runstack = Runstack()
    runstack.filesystem_broker = True
    launcher = runstack._worker(["celery", "-A", "hoitu"], "worker", ["celery"], concurrency=2)
    for command in (argv, launcher):
        assert pools_of(command) in ([], ["prefork"]), command


def pools_of(command):
    pools = [command[i + 1] for i, arg in enumerate(command) if arg in ("-P", "--pool")]
    return pools + [arg.split("=", 1)[1] for arg in command if arg.startswith("--pool=")]


def test_the_publishing_worker_runs_threads_for_the_deliveries_only(compose, dockerfile):
    """Deliveries wait on the platforms, so the publishing worker runs
    threads, where Celery enforces no hard time limit: only the delivery task
    may go there (each of its requests has a timeout, and its lease hands a
    stalled delivery to another worker)."""
    from django.conf import settings

    from demo.management.commands.runstack import Command as Runstack
    from demo.management.commands.runstack import worker_queues

    argv = effective_command(compose["services"]["publishing"], dockerfile)
    runstack = Runstack()
    runstack.filesystem_broker = True
    launcher = runstack._worker(["celery", "-A", "hoitu"], "publishing", worker_queues()[2], concurrency=8, pool="threads")
    for command in (argv, launcher):
        assert pools_of(command) == ["threads"], command
        assert command[command.index("-Q") + 1] == settings.PUBLISHING_QUEUE, command
        # A story's channels at the same time (the demo's units have up to eight).
        threads = [command[i + 1] for i, arg in enumerate(command) if arg == "--concurrency"]
        threads += [arg.split("=", 1)[1] for arg in command if arg.startswith("--concurrency=")]
        assert [int(n) for n in threads] == [8], command
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert settings.PUBLISHING_QUEUE not in routed


@pytest.mark.parametrize("service", ["worker", "publishing"])
def test_worker_healthcheck_is_a_valid_celery_command(compose, dockerfile, service):
    app_name, subcommand, rest = parse_celery(healthcheck_argv(compose["services"][service]))
    assert (app_name, subcommand) == ("hoitu", "inspect")
    parent = click.Context(celery_cli, obj=CLIContext(app=hoitu.celery_app, no_color=True, workdir=None, quiet=True))
    params = celery_cli.commands["inspect"].make_context("inspect", rest, parent=parent).params
    assert params["command"] == "ping"
    # It pings the service's own worker (named with -n, or celery@ by
    # default; compose writes the shell's $HOSTNAME as $$HOSTNAME).
    argv = effective_command(compose["services"][service], dockerfile)
    name = argv[argv.index("-n") + 1] if "-n" in argv else "celery@%h"
    assert params["destination"] == [name.replace("%h", "$$HOSTNAME")]


def test_manage_py_commands_in_compose_exist(compose, dockerfile):
    commands = get_commands()
    found = 0
    for name, service in compose["services"].items():
        if "build" not in service:
            continue
        argv = effective_command(service, dockerfile)
        if argv[:2] == ["python", "manage.py"]:
            command, *rest = argv[2:]
            assert command in commands, f"{name}: no management command {command!r}"
            load_command_class(commands[command], command).create_parser("manage.py", command).parse_args(rest)
            found += 1
    assert found, "migrations must run somewhere"


def test_compose_sets_only_variables_the_project_reads(compose, production_reads):
    for name in APP_SERVICES:
        for variable in compose["services"][name]["environment"]:
            assert variable in production_reads | GUNICORN_ENVIRONMENT | {"DJANGO_SETTINGS_MODULE"}, f"{name}: {variable}"
    import gunicorn.config

    assert all(variable in Path(gunicorn.config.__file__).read_text(encoding="utf-8") for variable in GUNICORN_ENVIRONMENT)


# -- Dockerfile ----------------------------------------------------------------


def test_dockerfile_builds_the_production_image(dockerfile):
    assert instruction(dockerfile, "FROM") == ["python:3.11-slim"]
    run = " ".join(instruction(dockerfile, "RUN"))
    assert "ffmpeg" in run
    assert "pip install" in run and "collectstatic --noinput" in run
    assert not instruction(dockerfile, "ENTRYPOINT"), "compose's commands assume no entry point wraps them"
    assert image_env(dockerfile)["DJANGO_SETTINGS_MODULE"] == "hoitu.settings.production"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored), "secrets and local state must stay out of the image"

    # collectstatic's environment passes the production settings' own checks
    # (a weak key stops them), as the image build runs it.
    (environment,) = re.findall(r"&& (DJANGO_SECRET_KEY=.*?)\s+python manage\.py collectstatic", run)
    shell = environment.replace("python -c", f"{shlex.quote(sys.executable)} -c")
    probe = f"{shell} DJANGO_SETTINGS_MODULE=hoitu.settings.production {shlex.quote(sys.executable)} -c 'import hoitu.settings.production'"
    build = subprocess.run(["sh", "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert build.returncode == 0, build.stderr[-2000:]


def test_production_installs_no_demo_code():
    """The demo newsroom, runstack and the fake platforms exist for
    development and the tests: production settings do not install them,
    the image does not copy them and the built package does not hold them."""
    probe = """
import json, sys
import django
from django.conf import settings
from django.core.management import get_commands
django.setup()
print(json.dumps({
    "apps": list(settings.INSTALLED_APPS),
    "modules": sorted(name for name in sys.modules if name.split(".")[0] in {"demo", "bench"}),
    "commands": sorted(get_commands()),
}))
"""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="hoitu.settings.production")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert "demo" not in production["apps"]
    assert production["modules"] == []
    assert not {"seed_demo", "runstack", "fakeplatforms"} & set(production["commands"])
    assert "sync_unit_roles" in production["commands"], "the probe sees the product's own commands"

    assert {"demo", "bench", "tests"} <= set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    packages = setuptools.find_packages(
        where=str(ROOT), include=tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]["find"]["include"]
    )
    assert {"hoitu", "newsroom", "workflows", "publishing", "assets", "audit"} <= set(packages)
    assert not [name for name in packages if name.split(".")[0] in {"demo", "bench", "tests"}]


# -- Makefile, .ci/run, README ---------------------------------------------------


def test_makefile_has_the_everyday_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))
    assert {"run", "test", "test-services", "bench", "messages", "clean"} <= targets
    dry_run = subprocess.run(["make", "-n", "run", "test", "test-services", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert dry_run.returncode == 0, dry_run.stderr
    assert "manage.py migrate --noinput" in dry_run.stdout
    assert "manage.py seed_demo" in dry_run.stdout
    assert "manage.py runstack --port" in dry_run.stdout
    assert "-m pytest" in dry_run.stdout
    assert '-m pytest -m "not once"' in dry_run.stdout
    assert "-m bench" in dry_run.stdout


def test_ci_runs_the_suite_on_both_setups():
    path = ROOT / ".ci" / "run"
    text = path.read_text(encoding="utf-8")
    assert os.access(path, os.X_OK)
    assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    assert "set -euo pipefail" in text
    assert re.search(r"apt-get install -y .*chromium", text) or "missing+=(chromium)" in text
    # A call may go on over several lines (a trailing backslash).
    runs = re.findall(r"^\s*start_suite \"(?:.*\\\n)*.*$", text, re.MULTILINE)
    embedded_run, publishing, rest = runs
    # Everything on the embedded defaults, in parts that together are the
    # whole suite (`make test`): publishing's tests; the rest's that use the
    # database; those run once, in three (browsers and the demo, the admin
    # walk, the others).
    assert re.search(r'start_suite "[^"]+" test -u', embedded_run)
    assert "-u DATABASE_URL" in embedded_run and "-u REDIS_URL" in embedded_run and 'PYTEST_ARGS="$2"' in embedded_run
    parts = re.findall(r"^embedded \"[^\"]+\" (.+)$", text, re.MULTILINE)
    assert parts == [
        '"tests/publishing"',
        """'-m "not once" --ignore=tests/publishing'""",
        "'-m once tests/browser tests/demo'",
        "'-m once tests/workflows/test_admin_url_walk.py'",
        "'-m once --ignore=tests/publishing --ignore=tests/browser --ignore=tests/demo --ignore=tests/workflows/test_admin_url_walk.py'",
    ]
    # On PostgreSQL + Redis, every test whose outcome can depend on them
    # (the Makefile's test-services target), in two halves that together are
    # all of tests/.
    services = [publishing, rest]
    for half in services:
        assert re.search(r'start_suite "[^"]+" test-services -u', half)
    assert 'PYTEST_ARGS="tests/publishing tests/workflows"' in publishing
    assert 'PYTEST_ARGS="--ignore=tests/publishing --ignore=tests/workflows"' in rest
    # Each half its own database and Redis database.
    databases = [re.search(r'DATABASE_URL="\$POSTGRES_URL/(\w+)"', half).group(1) for half in services]
    redis_numbers = [re.search(r'REDIS_URL="\$CI_REDIS_URL/(\d+)"', half).group(1) for half in services]
    assert len(set(databases)) == 2 and len(set(redis_numbers)) == 2
    for name in databases:
        assert f'"{name}"' in text, f"CI creates the database {name}"
    # Side by side, each in a temporary folder of its own, and CI waits for
    # all and fails when any does.
    assert all(run.count("--basetemp=$(mktemp -d)") == 1 for run in runs)
    assert 'wait "${pids[$i]}"' in text and "failed=1" in text
    assert re.search(r"^POSTGRES_URL=postgres://postgres@127\.0\.0\.1:5432$", text, re.MULTILINE)
    assert re.search(r"^CI_REDIS_URL=redis://127\.0\.0\.1:6379$", text, re.MULTILINE)
    assert 'env "$@" make "$target"' in text


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(
        r"""(?:os\.environ\.get|os\.getenv|os\.environ\.setdefault|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
        r"""|os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]"""
    )
    variables = set()
    for directory in ("hoitu", "audit", "assets", "newsroom", "workflows", "publishing", "reader_comments", "demo", "bench"):
        for source in (ROOT / directory).rglob("*.py"):
            variables |= {a or b for a, b in pattern.findall(source.read_text(encoding="utf-8"))}
    variables |= settings_environment_reads("hoitu.settings.dev") | settings_environment_reads(
        "hoitu.settings.production", REDIS_URL="redis://r", **PRODUCTION_ENV
    )
    assert {"DATABASE_URL", "REDIS_URL", "PORT", "DJANGO_SETTINGS_MODULE"} <= variables
    undocumented = sorted(v for v in variables if f"`{v}`" not in readme)
    assert not undocumented, f"README does not document {undocumented}"


# -- the runstack launcher, for real ----------------------------------------------


# The stack tests read /healthz's details as a monitor would.
STACK_MONITOR_TOKEN = "giam-sat"


def embedded_env(var_dir):
    """The environment of `make run`: nothing set but a private var/ directory."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PORT", "WAGTAILADMIN_BASE_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="hoitu.settings.dev", VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1", HEALTHZ_TOKEN=STACK_MONITOR_TOKEN)
    return env


STACK_CHILDREN = {"web", "worker", "media", "publishing", "beat", "fake"}


def free_port():
    """A free port below Linux's ephemeral range (32768–60999): no outgoing
    connection of the suites running beside this one can take it before
    the stack binds it."""
    for _attempt in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class Stack:
    def __init__(self, var_dir):
        self.port = free_port()
        self.fake_port = free_port()
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--port", str(self.port)],
            cwd=ROOT,
            env={**embedded_env(var_dir), "FAKE_PLATFORMS_PORT": str(self.fake_port)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self):
        return "\n".join(self.lines)

    def wait_for(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(f"{what} did not happen within {timeout} s; launcher output:\n{self.output[-5000:]}")

    def pids(self):
        return {name: int(pid) for name, pid in re.findall(r"started (\w+) \(pid (\d+)\)", self.output)}

    def healthz(self):
        try:
            request = urllib.request.Request(f"http://localhost:{self.port}/healthz", headers={"Authorization": f"Bearer {STACK_MONITOR_TOKEN}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)
        except OSError:
            return None, None

    def kill(self):
        for pid in self.pids().values():
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=embedded_env(var_dir), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return var_dir


@pytest.fixture
def stack(migrated_var_dir):
    started = Stack(migrated_var_dir)
    yield started
    started.kill()


@pytest.mark.worker
def test_make_run_stack_serves_runs_tasks_and_stops_on_ctrl_c(stack):
    pids = stack.wait_for(lambda: len(stack.pids()) == len(STACK_CHILDREN) and stack.pids(), 30, "starting the stack's processes")
    assert set(pids) == STACK_CHILDREN

    # The launcher's first heartbeat goes through the file-system broker to
    # the worker process, which records it where /healthz looks.
    def healthy():
        status, body = stack.healthz()
        return status == 200 and body

    body = stack.wait_for(healthy, 90, "/healthz reporting a live worker")
    assert body["checks"]["broker"]["transport"] == "filesystem"
    assert body["checks"]["database"]["vendor"] == "sqlite"
    # The launcher prints the addresses once it sees the web server answer;
    # on a loaded machine that can come a moment after /healthz does.
    stack.wait_for(lambda: f"Admin: http://localhost:{stack.port}/admin/" in stack.output, 30, "the addresses printed")
    assert f"http://127.0.0.1:{stack.fake_port}/_fake/posts" in stack.output

    # The fake platforms the demo channels post to answer on their port
    # (their process may still be starting when the web server answers).
    def fake_posts():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{stack.fake_port}/_fake/posts", timeout=5) as response:
                return json.load(response)
        except OSError:
            return None

    assert {"telegram", "webhook"} <= set(stack.wait_for(fake_posts, 30, "the fake platforms answering"))

    # Beat's own 30-second schedule reaches the worker too.
    stack.wait_for(lambda: "Sending due task worker-heartbeat" in stack.output, 60, "beat sending the heartbeat")
    stack.wait_for(
        lambda: len(re.findall(r"Task hoitu\.tasks\.heartbeat\[[^]]+\] succeeded", stack.output)) >= 2,
        30,
        "the worker running beat's heartbeat",
    )

    stack.process.send_signal(signal.SIGINT)
    assert stack.process.wait(timeout=GRACE_WAIT) == 0, stack.output[-3000:]
    assert "all processes stopped" in stack.output
    assert "did not stop in time" not in stack.output
    assert not [name for name, pid in pids.items() if group_alive(pid)], "a process outlived Ctrl-C"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", stack.port), timeout=1).close()


@pytest.mark.worker
def test_make_run_stack_stops_everything_when_one_process_dies(stack):
    pids = stack.wait_for(lambda: len(stack.pids()) == len(STACK_CHILDREN) and stack.pids(), 30, "starting the stack's processes")
    stack.wait_for(lambda: stack.healthz()[0] is not None, 60, "the web server answering")

    os.kill(pids["beat"], signal.SIGKILL)
    assert stack.process.wait(timeout=GRACE_WAIT) != 0
    assert f"beat exited with code -{signal.SIGKILL.value}" in stack.output
    assert not [name for name, pid in pids.items() if group_alive(pid)]


def test_every_routed_queue_has_a_consumer(compose, dockerfile):
    """A task routed to a queue no worker reads would wait forever: the
    production worker and the `make run` worker consume every routed queue."""
    from django.conf import settings

    from demo.management.commands.runstack import worker_queues

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    routed |= {settings.CELERY_TASK_DEFAULT_QUEUE, settings.PUBLISHING_QUEUE}
    production_queues = set()
    for service in ("worker", "publishing"):
        argv = effective_command(compose["services"][service], dockerfile)
        production_queues |= set(argv[argv.index("-Q") + 1].split(","))
    assert routed <= production_queues
    jobs, media, publishing = worker_queues()
    assert routed <= set(jobs) | set(media) | set(publishing)
    # Renditions waiting after a demo seed never hold up publishing or the
    # heartbeat; the publishing worker's threads run deliveries only.
    assert "media" in media and "media" not in jobs
    assert publishing == [settings.PUBLISHING_QUEUE] and settings.PUBLISHING_QUEUE not in jobs
