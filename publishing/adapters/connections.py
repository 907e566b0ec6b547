"""Kept-alive connections to the platforms, for the worker's deliveries.

Each delivery has a session of its own (``Adapter.session``: its headers,
authentication, hooks and the engine's ``before_write`` end with it); what
outlives it is the connection pool underneath, one per worker thread and
channel, so the next delivery to that channel from the same thread skips
the TCP and TLS handshakes. The pool is replaced when the channel's
address or credentials change, and dropped after ``IDLE_SECONDS`` unused:
a connection the platform closes while a create is on its way would leave
the create's outcome unknown, and servers commonly close idle connections
after 5 seconds (Apache, Node.js). Every request still goes through
``GuardedSession.send``, so the address check runs on each one."""

import hashlib
import threading
import time

from requests.adapters import HTTPAdapter

# Below the shortest keep-alive timeout in common use (5 s).
IDLE_SECONDS = 4
_local = threading.local()


class _Pool:
    def __init__(self, version):
        self.version = version
        # Hosts a delivery may reach (the API, an upload address).
        self.transport = HTTPAdapter(pool_connections=4, pool_maxsize=1)
        self.used_at = time.monotonic()


def attach(session, channel):
    """Send ``session``'s requests over this thread's connections to ``channel``."""
    pools = _pools()
    now = time.monotonic()
    for pk, pool in list(pools.items()):
        if now - pool.used_at > IDLE_SECONDS:
            pool.transport.close()
            del pools[pk]
    version = hashlib.sha256(f"{channel.base_url}\n{channel.credentials_encrypted}".encode()).hexdigest()
    pool = pools.get(channel.pk)
    if pool is not None and pool.version != version:
        pool.transport.close()
        pool = None
    if pool is None:
        pool = pools[channel.pk] = _Pool(version)
    pool.used_at = now
    for prefix in ("http://", "https://"):
        session.mount(prefix, pool.transport)


def detach(session, channel):
    """The delivery is over: its session closes, the channel's connections
    stay open for the thread's next delivery."""
    pool = _pools().get(channel.pk)
    if pool is not None:
        pool.used_at = time.monotonic()
        for prefix, transport in list(session.adapters.items()):
            if transport is pool.transport:
                del session.adapters[prefix]
    session.close()


def _pools():
    if not hasattr(_local, "pools"):
        _local.pools = {}
    return _local.pools
