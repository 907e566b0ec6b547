"""What a benchmark scenario is, and what it gets to work with.

A scenario is a function that takes the run's ``Context``, serves what it
measures from a gunicorn it starts through ``ctx.server()``, warms it up and
returns ``ctx.measure(...)``'s result (optionally with extra facts). Each
scenario names the baseline it is compared with; ratios against a baseline
measured in the same run are what stays comparable on a shared, noisy machine.
"""

from dataclasses import dataclass
from typing import Callable

from . import harness, load

WARM_UP_SECONDS = 300


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    run: Callable  # (Context) -> Measurement
    baseline: str  # name of the scenario this one is compared with (itself for a baseline)


@dataclass
class Measurement:
    run: load.Run
    server: str
    extra: dict


class Context:
    def __init__(self, options, workspace, articles):
        self.options = options
        self.workspace = workspace
        self.articles = articles  # [{"path": ..., "title": ...}], distinct, in random order
        self.paths = [article["path"] for article in articles]
        self.state = {}  # facts one scenario leaves for another (e.g. the article HTML)

    def server(self, name, **env):
        return harness.serving(self.workspace, name, self.options.workers, **env)

    def warm(self, server, paths, check, on_response=None):
        """One pass over ``paths`` (so every worker has loaded its code and
        caches) that must succeed entirely; not measured."""
        run = load.drive(
            server.port, paths, requests=len(paths), duration=WARM_UP_SECONDS,
            concurrency=self.options.concurrency, check=check, on_response=on_response,
        )  # fmt: skip
        if run.errors or run.requests < len(paths):
            raise harness.BenchError(
                f"warm-up of {server.name} failed ({run.errors} errors of {run.requests}):\n" + "\n".join(run.error_samples)
            )
        return run

    def measure(self, server, paths, check, **extra):
        run = load.drive(
            server.port, paths, requests=self.options.requests, duration=self.options.duration,
            concurrency=self.options.concurrency, check=check,
        )  # fmt: skip
        return Measurement(run=run, server=server.command, extra=extra)
