"""A small HTTP load generator: threads with keep-alive connections to
127.0.0.1, bounded by a request count and a time limit.

Python threads are enough to keep a two-worker server busy; the client's own
CPU use is the reason every result is reported as a ratio against a baseline
driven the same way in the same run.
"""

import http.client
import itertools
import math
import threading
import time
from dataclasses import dataclass, field

HOST_HEADER = "localhost"
USER_AGENT = "hoitu-bench/1"
MAX_ERRORS_KEPT = 10


@dataclass
class Response:
    path: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class Run:
    """What one load run measured. Latencies are in seconds."""

    requests: int
    elapsed: float
    concurrency: int
    latencies: list = field(repr=False)
    errors: int
    error_samples: list
    bytes_received: int

    @classmethod
    def combine(cls, runs):
        """One run out of several rounds against the same server."""
        return cls(
            requests=sum(run.requests for run in runs),
            elapsed=sum(run.elapsed for run in runs),
            concurrency=runs[0].concurrency,
            latencies=[latency for run in runs for latency in run.latencies],
            errors=sum(run.errors for run in runs),
            error_samples=[sample for run in runs for sample in run.error_samples][:MAX_ERRORS_KEPT],
            bytes_received=sum(run.bytes_received for run in runs),
        )

    @property
    def requests_per_second(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p):
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    def summary(self):
        return {
            "requests": self.requests,
            "errors": self.errors,
            "error_samples": self.error_samples,
            "elapsed_s": round(self.elapsed, 3),
            "concurrency": self.concurrency,
            "requests_per_s": round(self.requests_per_second, 1),
            "latency_ms": {
                "p50": round(self.percentile(50), 2),
                "p95": round(self.percentile(95), 2),
                "p99": round(self.percentile(99), 2),
                "mean": round(sum(self.latencies) / len(self.latencies) * 1000, 2) if self.latencies else 0.0,
                "max": round(max(self.latencies) * 1000, 2) if self.latencies else 0.0,
            },
            "mean_response_bytes": round(self.bytes_received / self.requests) if self.requests else 0,
        }


def drive(port, paths, *, requests, duration, concurrency, check=None, on_response=None, start=0):
    """GET ``paths`` round-robin (from the ``start``-th) from ``concurrency``
    threads until ``requests`` were sent or ``duration`` seconds passed.

    ``check(response)`` returns a problem description or None; a request
    that fails, answers anything but what ``check`` accepts, or raises
    counts as an error. ``on_response(response)`` sees every good response.
    """
    if not paths:
        raise ValueError("no paths to request")
    counter = itertools.count()
    deadline = time.perf_counter() + duration
    lock = threading.Lock()
    totals = {"latencies": [], "errors": 0, "samples": [], "bytes": 0}

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors, samples, received = [], 0, [], 0
        try:
            while True:
                index = next(counter)  # atomic under the GIL
                if index >= requests or time.perf_counter() >= deadline:
                    break
                path = paths[(start + index) % len(paths)]
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Host": HOST_HEADER, "User-Agent": USER_AGENT})
                    raw = connection.getresponse()
                    body = raw.read()
                    response = Response(path, raw.status, raw.headers, body)
                    problem = check(response) if check else (None if raw.status == 200 else f"HTTP {raw.status}")
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    response, problem = None, f"{type(error).__name__}: {error}"
                latencies.append(time.perf_counter() - started)
                if problem:
                    errors += 1
                    if len(samples) < MAX_ERRORS_KEPT:
                        samples.append(f"{path}: {problem}")
                else:
                    received += len(response.body)
                    if on_response:
                        on_response(response)
        finally:
            connection.close()
            with lock:
                totals["latencies"].extend(latencies)
                totals["errors"] += errors
                totals["samples"].extend(samples)
                totals["bytes"] += received

    threads = [threading.Thread(target=client, name=f"bench-client-{n}") for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Run(
        requests=len(totals["latencies"]),
        elapsed=elapsed,
        concurrency=concurrency,
        latencies=totals["latencies"],
        errors=totals["errors"],
        error_samples=totals["samples"][:MAX_ERRORS_KEPT],
        bytes_received=totals["bytes"],
    )


def get(port, path, timeout=10):
    """One GET, for readiness checks and spot checks."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST_HEADER, "User-Agent": USER_AGENT})
        raw = connection.getresponse()
        return Response(path, raw.status, raw.headers, raw.read())
    finally:
        connection.close()
