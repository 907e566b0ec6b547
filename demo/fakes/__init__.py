"""Local stand-ins for the platforms (see server.py). Each platform module
also says how a channel is set up to talk to it (``CHANNEL_SETUP``: the
credentials and settings the fake accepts), for tests, the benchmark and
the demo."""

from importlib import import_module


def channel_setup(kind):
    """{"credentials": {...}, "config": {...}} for a channel of ``kind``
    pointed at the fake server."""
    try:
        module = import_module(f"demo.fakes.{kind}")
    except ModuleNotFoundError:
        # No platform behind it (the newsletter sends e-mail).
        return {"credentials": {}, "config": {}}
    return getattr(module, "CHANNEL_SETUP", {"credentials": {}, "config": {}})
