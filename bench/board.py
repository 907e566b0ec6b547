"""Desk board scenario: the board of a unit holding as many stories as the
article scenarios' unit (20,000; 2,000 with --quick), in every stage, against
Wagtail's own page explorer listing the same unit's sections (the baseline:
an admin page of the same weight class, served by the same server).

The stories go into a unit of their own ("bench-board"), bulk-inserted like
seed_bench's articles (valid treebeard paths, no search or reference index)
with the workflow states, task states, revisions, bylines, assignments and
locks the board reads. SQLite runs get a fresh copy of the cached database,
so the unit is seeded each run (a few seconds); a PostgreSQL bench database
persists between runs, so there an existing board unit is moved forward in
time instead ("published today" stays today).

The load generator sends no cookies. The measured server is therefore
started with this module as its gunicorn config (``--config
python:bench.board``): its ``post_worker_init`` hook wraps the WSGI app so
every request carries the session cookie of the unit's managing editor,
created by the seeding step. Nothing outside the benchmark loads this.

``python -m bench.inside board-seed --stories N`` and ``… board-queries
URL…`` (bench/inside/board.py) are the parts that need Django, run in a
subprocess with the bench environment.
"""

import json
import os
import sys

from . import harness
from .scenario import Scenario, Target

BOARD_UNIT = "bench-board"
BOARD_HOST = "bench-board.localhost"
STAFF_USERNAME = "bench-board-editor"
SESSION_ENV = "HOITU_BENCH_ADMIN_COOKIE"
MARKER = b'class="hoitu-board"'
SQL_SAMPLE = 5


# --- the runner's side (no Django here) ---------------------------------------
def _django(ctx, *args):
    """Run a command of bench/inside/board.py under Django with the bench database."""
    output = harness.run([sys.executable, "-m", "bench.inside", *args], ctx.workspace.env(settings="dev"), capture=True)
    lines = [line for line in output.splitlines() if line.strip()]
    return json.loads(lines[-1])


def _seeded(ctx):
    if "board_seed" not in ctx.state:
        harness.log(f"board: seeding a unit with {ctx.options.articles:,} stories in mixed states…")
        ctx.state["board_seed"] = _django(ctx, "board-seed", "--stories", str(ctx.options.articles))
        seed = ctx.state["board_seed"]
        harness.log(f"board: {seed['action']} in {seed['seconds']} s: {seed['stages']}")
        ctx.state["board_server"] = ctx.server(
            "admin-board", GUNICORN_CMD_ARGS="--config python:bench.board", **{SESSION_ENV: seed["cookie"]}
        )
    return ctx.state["board_seed"], ctx.state["board_server"]


def _check(marker):
    def check(response):
        if response.status != 200:
            return f"HTTP {response.status}"
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return f"Content-Type {response.headers.get('Content-Type')!r}"
        if marker not in response.body:
            return "not the expected admin page (logged out?)"
        return None

    return check


def board(ctx):
    seed, server = _seeded(ctx)
    base = f"/admin/workflows/board/{BOARD_UNIT}/"
    # The whole board, then each section's, as a desk filters it.
    paths = [base] + [f"{base}?section={pk}" for pk in seed["sections"]]
    check = _check(MARKER)
    ctx.warm(server, paths, check)
    harness.log("board: counting SQL queries per board request…")
    queries = _django(ctx, "board-queries", *paths[:SQL_SAMPLE])
    return Target(server, paths, check, extra={"board_sql_queries": queries, "board_stages": seed["stages"]})


def explorer(ctx):
    seed, server = _seeded(ctx)
    paths = [f"/admin/pages/{pk}/" for pk in seed["sections"]]
    check = _check(b"data-bulk-action-checkbox")
    ctx.warm(server, paths, check)
    return Target(server, paths, check)


BASELINE = "board_explorer"
SCENARIOS = [
    Scenario("board", "Desk board of a unit (admin, logged in)", board, baseline=BASELINE),
    Scenario(BASELINE, "Wagtail page explorer, same unit's sections (baseline)", explorer, baseline=BASELINE),
]


# --- gunicorn hook (this module is the board server's config) ------------------
def post_worker_init(worker):
    """Give every request the seeded editor's session cookie."""
    cookie = os.environ.get(SESSION_ENV)
    if not cookie:
        return
    app = worker.wsgi

    def with_session(environ, start_response):
        environ["HTTP_COOKIE"] = cookie
        return app(environ, start_response)

    worker.wsgi = with_session
