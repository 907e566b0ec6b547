"""`python manage.py fakeplatforms --port 8025`: the local stand-in for Zalo,
Facebook, Telegram, X, YouTube, WordPress and webhook receivers
(demo/fakes), in the foreground until Ctrl-C or SIGTERM.

`make run` starts it next to the web server so the demo channels have
somewhere to post; the benchmark starts it so the platforms' side is not
measured inside the worker. What the platforms show: GET /_fake/posts;
every request they received: GET /_fake/requests. `--latency` and
`--fault-rate` make every platform answer late, or a share of requests
with a 429 or a 5xx (POST /_fake/config changes them while it runs).
"""

import os
import signal
import threading
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError

from demo.fakes.server import PLATFORMS, FakePlatforms


def served_platforms():
    """The platforms with a fake module (they land one by one)."""
    return [name for name in PLATFORMS if find_spec(f"demo.fakes.{name}") is not None]


class Command(BaseCommand):
    help = "Run the fake platform server (Zalo, Facebook, Telegram, X, YouTube, WordPress, webhook) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("FAKE_PLATFORMS_PORT") or 8025),
            help="Port to listen on (default: $FAKE_PLATFORMS_PORT or 8025; 0 picks a free one).",
        )
        parser.add_argument("--addr", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--latency", type=float, default=0.0, help="Seconds every answer waits (default 0).")
        parser.add_argument(
            "--fault-rate", type=float, default=0.0, help="Share of requests answered with a 429 (Retry-After: 1) or a 5xx, 0 to 1 (default 0)."
        )
        parser.add_argument("--fault-seed", type=int, default=None, help="Seed of the random faults, to repeat a run's sequence.")

    def handle(self, *, port, addr, latency, fault_rate, fault_seed, **options):
        if not 0 <= port < 65536:
            raise CommandError(f"--port must be a TCP port number, not {port}.")
        if latency < 0 or not 0 <= fault_rate <= 1:
            raise CommandError("--latency must be 0 or more and --fault-rate between 0 and 1.")
        platforms = served_platforms()
        try:
            server = FakePlatforms(host=addr, port=port, platforms=platforms, latency=latency, fault_rate=fault_rate, fault_seed=fault_seed)
        except OSError as error:
            raise CommandError(f"Cannot listen on {addr}:{port} ({error.strerror}); pass --port or set FAKE_PLATFORMS_PORT.") from error
        stop = threading.Event()
        previous = {signum: signal.signal(signum, lambda *_: stop.set()) for signum in (signal.SIGINT, signal.SIGTERM)}
        server.start()
        try:
            # Parsed by runstack and the benchmark: keep the first line's form.
            self.stdout.write(f"Fake platforms listening on {server.url}")
            self.stdout.write(f"  platforms: {', '.join(platforms)}; base URL of a channel: {server.url}/<platform>")
            self.stdout.write(f"  posts: {server.url}/_fake/posts  requests: {server.url}/_fake/requests")
            self.stdout.flush()
            while not stop.wait(1):
                pass
        finally:
            server.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Fake platforms stopped.")
