"""``python -m bench`` (``make bench``): see docs/benchmarks.md."""

import argparse
import os
import sys
from datetime import UTC, datetime

from . import articles, board, harness, publishing, report, search
from .harness import BenchError, log
from .scenario import Context, measure

# Every scenario the runner knows, in the order they run. A later scenario
# may use what an earlier one left in ``ctx.state``. The board goes first:
# seeding its unit clears the page cache the article scenarios warm up.
# Publishing goes last: its baseline replays what its engine round sent.
SCENARIOS = [*board.SCENARIOS, *articles.SCENARIOS, *search.SCENARIOS, *publishing.SCENARIOS]


def port_range(text):
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and 1024 <= int(first) <= int(last) < 65536):
        raise argparse.ArgumentTypeError(f"a range of ports such as 8100-8199, not {text!r}")
    return range(int(first), int(last) + 1)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure article pages against a static-file baseline.")
    parser.add_argument("--articles", type=int, help="articles in the seeded database (default 20000; --quick 2000)")
    parser.add_argument("--requests", type=int, help="request limit per scenario (default 20000; --quick 1500)")
    parser.add_argument("--duration", type=float, help="time limit per scenario in seconds (default 40; --quick 8)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds the limits are split into (default 4; --quick 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--sample", type=int, help="distinct article URLs requested (default 200; --quick 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--scenario", action="append", choices=[s.name for s in SCENARIOS], help="run only these and their baselines (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small and short: checks the harness, does not update the docs")
    parser.add_argument("--reseed", action="store_true", help="seed a new database even if a cached one fits")
    parser.add_argument("--no-docs", dest="docs", action="store_false", help="do not update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace (database, logs) for inspection")
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE") or harness.BENCH_DATABASE,
        help="PostgreSQL: the bench's own database, created and marked by the bench (default $BENCH_DATABASE or hoitu_bench)",
    )  # fmt: skip
    parser.add_argument(
        "--ports", type=port_range, default=os.environ.get("BENCH_PORTS") or None,
        help="FIRST-LAST: the 127.0.0.1 ports the bench's servers may listen on (default $BENCH_PORTS or any free one)",
    )  # fmt: skip
    options = parser.parse_args(argv)
    defaults = {"articles": (20000, 2000), "requests": (20000, 1500), "duration": (40.0, 8.0), "sample": (200, 50), "rounds": (4, 2)}
    for name, (full, quick) in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, quick if options.quick else full)
    if options.quick:
        options.docs = False
    if min(options.articles, options.requests, options.concurrency, options.sample, options.workers, options.rounds) < 1 or options.duration <= 0:
        parser.error("sizes and limits must be positive")
    return options


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    started = datetime.now(UTC)
    env_before = report.environment()
    # A scenario is only ever reported against its baseline: asking for one
    # brings the other.
    wanted = set(options.scenario or [s.name for s in SCENARIOS])
    wanted |= {s.baseline for s in SCENARIOS if s.name in wanted}
    scenarios = [s for s in SCENARIOS if s.name in wanted]
    try:
        workspace = harness.Workspace(options)
    except BenchError as error:
        log(f"failed: {error}")
        return 2
    ctx = None
    log(f"workspace {workspace.root} ({workspace.config_label})")
    try:
        seed = workspace.prepare_database()
        # Only the HTTP scenarios serve static files.
        if any(scenario not in publishing.SCENARIOS for scenario in scenarios):
            workspace.collect_static()
        sample = workspace.inside("sample", "--unit", harness.BENCH_UNIT, "--count", str(options.sample))
        seed = {**seed, "articles": sample["article_count"]}
        ctx = Context(options, workspace, sample["articles"])
        measurements = measure(ctx, scenarios)
        for name, measurement in measurements.items():
            summary = measurement.run.summary()
            log(
                f"{name}: {summary['requests_per_s']} req/s, p50 {summary['latency_ms']['p50']} ms, "
                f"p95 {summary['latency_ms']['p95']} ms, {summary['errors']} errors of {summary['requests']}"
            )
        results = report.build(options, workspace, seed, scenarios, measurements, env_before, started)
    except BenchError as error:
        log(f"failed: {error}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        if ctx is not None:
            ctx.close()
        workspace.close()

    path = report.write_json(results)
    print()
    print(report.markdown(results))
    print()
    log(f"results: {path.relative_to(harness.PROJECT_DIR)}")
    if results["errors"]:
        log(f"{results['errors']} requests failed; docs/benchmarks.md left unchanged")
        return 1
    if options.docs and not options.scenario:
        log(f"updated {report.update_docs(results).relative_to(harness.PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
