"""Article page scenarios: rendered by Django on every request, served from
the anonymous full-page cache, and the same HTML served as a static file by
the same gunicorn (the baseline)."""

import html

from . import harness
from .scenario import Scenario, Target

CACHE_SECONDS = 600
SQL_SAMPLE = 20
STATIC_DIR = "bench-baseline"


def _problem(response, expect_cache=None):
    if response.status != 200:
        return f"HTTP {response.status}"
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return f"Content-Type {response.headers.get('Content-Type')!r}"
    cache = response.headers.get("X-Cache")
    if expect_cache is not None and cache not in expect_cache:
        return f"X-Cache {cache!r}, expected {' or '.join(map(repr, expect_cache))}"
    return None


def _article_check(ctx, expect_cache):
    """Accept a response only if it is the article that was asked for."""
    titles = {article["path"]: html.escape(article["title"]).encode() for article in ctx.articles}

    def check(response):
        problem = _problem(response, expect_cache)
        if problem is None and titles[response.path] not in response.body:
            problem = "the page does not show the article's title"
        return problem

    return check


def _collect_html(ctx, server):
    pages = {}
    ctx.warm(server, ctx.paths, _article_check(ctx, expect_cache=(None,)), on_response=lambda r: pages.__setitem__(r.path, r.body))
    ctx.state["article_html"] = pages


def uncached(ctx):
    server = ctx.server("article-uncached", PAGE_CACHE_SECONDS=0)
    _collect_html(ctx, server)
    harness.log("counting SQL queries per article request…")
    queries = ctx.workspace.inside("queries", *ctx.paths[:SQL_SAMPLE])
    return Target(server, ctx.paths, _article_check(ctx, expect_cache=(None,)), extra={"sql_queries": queries})


def cached(ctx):
    server = ctx.server("article-cached", PAGE_CACHE_SECONDS=CACHE_SECONDS)
    # The warm-up fills the cache; after it every request must be a hit.
    ctx.warm(server, ctx.paths, _article_check(ctx, expect_cache=("MISS", "HIT")))
    return Target(server, ctx.paths, _article_check(ctx, expect_cache=("HIT",)))


def static_file(ctx):
    if "article_html" not in ctx.state:
        _collect_html(ctx, ctx.server("article-capture", PAGE_CACHE_SECONDS=0))
    directory = ctx.workspace.static_root / STATIC_DIR
    directory.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for number, path in enumerate(ctx.paths, 1):
        static_path = f"/static/{STATIC_DIR}/{number}.html"
        (directory / f"{number}.html").write_bytes(ctx.state["article_html"][path])
        sizes[static_path] = len(ctx.state["article_html"][path])

    def check(response):
        problem = _problem(response)
        if problem is None and len(response.body) != sizes[response.path]:
            problem = f"{len(response.body)} bytes, expected {sizes[response.path]}"
        return problem

    # WhiteNoise indexes STATIC_ROOT when the server starts: files first.
    server = ctx.server("static-file", PAGE_CACHE_SECONDS=0)
    ctx.warm(server, list(sizes), check)
    return Target(server, list(sizes), check, extra={"served_by": "WhiteNoise from STATIC_ROOT"})


BASELINE = "article_static"
SCENARIOS = [
    Scenario("article_uncached", "Article page, rendered (no page cache)", uncached, baseline=BASELINE),
    Scenario("article_cached", "Article page, anonymous page cache hit", cached, baseline=BASELINE),
    Scenario(BASELINE, "Same HTML as a static file (baseline)", static_file, baseline=BASELINE),
]
