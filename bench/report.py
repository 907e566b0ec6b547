"""Results: the machine-readable JSON under bench/results/ and the tables in
docs/benchmarks.md (one section per database/cache set-up, replaced in place
between its markers so the rest of the document stays hand-written)."""

import json
import os
import platform
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from .harness import PROJECT_DIR

RESULTS_DIR = PROJECT_DIR / "bench" / "results"
DOCS = PROJECT_DIR / "docs" / "benchmarks.md"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CACHE_NAMES = {"file": "file cache", "redis": "Redis cache"}


def environment():
    def git(*args):
        result = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpus_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {name: version(name) for name in ("django", "wagtail", "gunicorn", "whitenoise")},
        "git_commit": git("rev-parse", "--short=12", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def build(options, workspace, seed, scenarios, measurements, env_before, started):
    results = []
    for scenario in scenarios:
        measurement = measurements[scenario.name]
        results.append({
            "name": scenario.name,
            "title": scenario.title,
            "baseline": scenario.baseline,
            "server": measurement.server,
            **measurement.run.summary(),
            "latency_count": len(measurement.run.latencies),
            **measurement.extra,
        })  # fmt: skip
    by_name = {result["name"]: result for result in results}
    for result in results:
        base = by_name.get(result["baseline"])
        if base and base["requests_per_s"]:
            result["vs_baseline"] = {
                "requests_per_s": round(result["requests_per_s"] / base["requests_per_s"], 4),
                "p50": round(result["latency_ms"]["p50"] / base["latency_ms"]["p50"], 2) if base["latency_ms"]["p50"] else None,
                "p95": round(result["latency_ms"]["p95"] / base["latency_ms"]["p95"], 2) if base["latency_ms"]["p95"] else None,
            }
    sql = next((r["sql_queries"] for r in results if "sql_queries" in r), None)
    return {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": _command(workspace),
        "config": workspace.config_label,
        "database": (sql or {}).get("database", {"vendor": workspace.vendor}),
        "cache_backend": (sql or {}).get("cache_backend", workspace.cache_label),
        "options": {
            "articles": options.articles,
            "sample": options.sample,
            "requests": options.requests,
            "duration_s": options.duration,
            "concurrency": options.concurrency,
            "rounds": options.rounds,
            "workers": options.workers,
            "quick": options.quick,
        },
        "seed": seed,
        "environment": {**env_before, "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "results": results,
        "errors": sum(result["errors"] for result in results),
    }


def _command(workspace):
    """How to repeat this run (server addresses elided: they are local)."""
    env = []
    if workspace.vendor == "postgresql":
        env.append("DATABASE_URL=postgres://…")
    if workspace.redis_url:
        env.append("REDIS_URL=redis://…")
    return " ".join([*env, ".venv/bin/python -m bench", *sys.argv[1:]])


def write_json(report):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = report["started_at"].replace(":", "").replace("-", "")[:15]
    path = RESULTS_DIR / f"{stamp}-{report['config']}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2)
    path.write_text(text)
    (RESULTS_DIR / f"latest-{report['config']}.json").write_text(text)
    return path


def _ratio(value):
    if value is None:
        return "–"
    if value >= 10:
        return f"{value:.0f}×"
    return f"{value:.2g}×" if value < 1 else f"{value:.1f}×"


def _publishing(result):
    return result.get("measures") == "deliveries"


def table(report):
    lines = [
        "| Scenario | Requests | Errors | Requests/s | p50 ms | p95 ms | p99 ms | Req/s vs baseline | p50 vs baseline |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in report["results"]:
        if _publishing(result):
            continue
        latency, ratio = result["latency_ms"], result.get("vs_baseline", {})
        lines.append(
            f"| {result['title']} | {result['requests']:,} | {result['errors']} | {result['requests_per_s']:,.1f} "
            f"| {latency['p50']:.1f} | {latency['p95']:.1f} | {latency['p99']:.1f} "
            f"| {_ratio(ratio.get('requests_per_s'))} | {_ratio(ratio.get('p50'))} |"
        )
    return "\n".join(lines)


def publishing_table(report):
    """Deliveries per second of the one-transaction batches, and fan-out
    latency (publication to its last channel) of stories published one by
    one, each against the scenario it is compared with."""
    lines = [
        "| Scenario | Deliveries | Failed | Deliveries/s | Fan-out p50 ms | Fan-out p95 ms | Stories timed "
        "| Compared with | Deliveries/s ratio | p50 ratio | p95 ratio |",
        "|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|",
    ]
    for result in report["results"]:
        if not _publishing(result):
            continue
        latency, ratio = result["latency_ms"], result.get("vs_baseline", {})
        compared = "–" if result["baseline"] == result["name"] else f"`{result['baseline']}`"
        lines.append(
            f"| {result['title']} (`{result['name']}`) | {result['requests']:,} | {result['errors']} | {result['requests_per_s']:,.1f} "
            f"| {latency['p50']:.1f} | {latency['p95']:.1f} | {result['latency_count']} "
            f"| {compared} | {_ratio(ratio.get('requests_per_s'))} | {_ratio(ratio.get('p50'))} | {_ratio(ratio.get('p95'))} |"
        )
    return "\n".join(lines)


def markdown(report):
    env, options, db = report["environment"], report["options"], report["database"]
    vendor = VENDOR_NAMES.get(db.get("vendor"), db.get("vendor"))
    title = f"{vendor} + {CACHE_NAMES[report['config'].split('-', 1)[1]]}"
    commit = env["git_commit"] + (" with uncommitted changes" if env["git_dirty"] else "")
    lines = [
        f"### {title}",
        "",
        f"Measured {report['started_at'][:16].replace('T', ' ')} UTC, commit `{commit}`; "
        f"{env['cpus_available']} CPUs ({env['cpu_model'] or 'unknown model'}), load average {env['load_average'][0]} at the start "
        f"and {env['load_average_after'][0]} at the end; Python {env['python']}, {vendor} {db.get('version', '')}, "
        f"cache backend {report['cache_backend']}, Django {env['versions']['django']}, Wagtail {env['versions']['wagtail']}, "
        f"gunicorn {env['versions']['gunicorn']} with {options['workers']} sync workers.",
    ]
    if any(not _publishing(r) for r in report["results"]):
        lines += [
            "",
            f"{report['seed']['articles']:,} articles; {options['sample']} distinct article URLs requested round-robin by "
            f"{options['concurrency']} concurrent clients; each scenario stops at {options['requests']:,} requests "
            f"or {options['duration_s']:g} s, measured in {options['rounds']} rounds interleaved with the other scenarios.",
            "",
            table(report),
        ]
    publishing = next((r for r in report["results"] if _publishing(r)), None)
    if publishing:
        skipped = "; ".join(f"{kind} — {why.rstrip('.')}" for kind, why in publishing["skipped_kinds"].items()) or "none"
        lines += [
            "",
            f"Publishing, in {options['rounds']} rounds: publishing workers (`celery worker --pool threads --concurrency "
            f"{publishing['worker_threads']}`, {publishing['broker']}) send to the fake platforms in their own process, on "
            f"{len(publishing['channels'])} channels: {', '.join(publishing['channels'])} (skipped: {skipped}). "
            f"Per round and scenario, {publishing['stories_one_by_one_per_round']} stories published one at a time (fan-out latency) "
            f"and {publishing['stories_together_per_round']} in one transaction (deliveries per second).",
            "",
            publishing_table(report),
        ]
    sql = next((r["sql_queries"] for r in report["results"] if "sql_queries" in r), None)
    if sql:
        lines += [
            "",
            f"SQL queries per uncached article request: median {sql['median']:g} "
            f"(min {sql['min']}, max {sql['max']}) over {sql['requests']} articles.",
        ]
    search = next((r["search"] for r in report["results"] if "search" in r), None)
    if search:
        plans = Counter(query["plan"] for query in search["queries"])
        capped = sum(1 for query in search["queries"] if query["more"])
        lines += [
            "",
            f"Public search in one process ({len(search['queries'])} queries × {search['rounds']}, the search and its first page "
            f"of 20 story cards): p50 {search['p50_ms']:g} ms, p95 {search['p95_ms']:g} ms, max {search['max_ms']:g} ms; "
            f"answered by {', '.join(f'{plan} ({count})' for plan, count in plans.most_common())}; "
            f"{capped} of them past the {search['limit']:,}-result limit.",
        ]
        if search.get("indexing"):
            indexing = search["indexing"]
            lines[-1] += (
                f" Indexing for search (what the worker does after a publication, in chunks of 500): "
                f"{indexing['stories']:,} stories in {indexing['seconds']:g} s, {indexing['per_second']:,} a second."
            )
    seconds = report["seed"].get("seconds", {})
    if seconds:
        lines += [
            "",
            "Seeding (cached between runs): "
            + ", ".join(f"{step} {value:g} s" for step, value in seconds.items())
            + ".",
        ]
    lines += ["", f"Command: `{report['command'].strip()}`"]
    return "\n".join(lines)


def update_docs(report, path=DOCS):
    """Replace this set-up's section of the results, or add it at the end."""
    start, end = f"<!-- bench:{report['config']}:start -->", f"<!-- bench:{report['config']}:end -->"
    block = f"{start}\n{markdown(report)}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
    return path
