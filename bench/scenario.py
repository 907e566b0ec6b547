"""What a benchmark scenario is, what it gets to work with, and how the
scenarios of a run are measured.

A scenario's ``prepare(ctx)`` starts what it measures through
``ctx.server()``, warms it up with ``ctx.warm()`` and returns a ``Target``:
the server, the URLs to request and the check every response must pass.
Once every scenario is prepared (all servers up, idle ones cost nothing) they
are measured in interleaved rounds, A B C A B C …, so that a change in the
machine's background load lands on all of them alike. Each scenario names the
baseline it is compared with: on a shared, noisy machine, ratios against a
baseline of the same run are what stays comparable.
"""

import math
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from . import harness, load

WARM_UP_SECONDS = 300


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    prepare: Callable  # (Context) -> Target
    baseline: str  # name of the scenario this one is compared with (itself for a baseline)


@dataclass
class Target:
    server: harness.Server
    paths: list
    check: Callable  # (load.Response) -> problem or None
    extra: dict = field(default_factory=dict)  # facts to report alongside the numbers
    # Scenarios that are not HTTP load (publishing): ``drive(round_number)``
    # measures one round and returns a load.Run; ``command`` says what ran.
    drive: Callable = None
    command: str = ""


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
        self._servers = ExitStack()

    def on_close(self, callback):
        """Stop something a scenario started (processes) when the run ends."""
        self._servers.callback(callback)

    def server(self, name, **env):
        """A gunicorn started for this run, stopped when the run ends."""
        return self._servers.enter_context(harness.serving(self.workspace, name, self.options.workers, **env))

    def close(self):
        self._servers.close()

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


def measure(ctx, scenarios):
    """Prepare every scenario, then measure them in interleaved rounds."""
    options = ctx.options
    targets = {}
    for scenario in scenarios:
        harness.log(f"{scenario.name}: preparing – {scenario.title}")
        targets[scenario.name] = scenario.prepare(ctx)
    runs = {name: [] for name in targets}
    for round_number in range(1, options.rounds + 1):
        harness.log(f"round {round_number} of {options.rounds}…")
        for name, target in targets.items():
            if target.drive is not None:
                runs[name].append(target.drive(round_number))
                continue
            done = sum(run.requests for run in runs[name])
            runs[name].append(
                load.drive(
                    target.server.port, target.paths, start=done,
                    requests=math.ceil(options.requests / options.rounds), duration=options.duration / options.rounds,
                    concurrency=options.concurrency, check=target.check,
                )  # fmt: skip
            )
    return {
        name: Measurement(run=load.Run.combine(runs[name]), server=target.command or target.server.command, extra=target.extra)
        for name, target in targets.items()
    }
