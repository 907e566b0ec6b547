"""Shared fixtures of the publishing tests: the fake platform server and
channels pointed at it."""

import pytest

from demo.fakes import channel_setup
from demo.fakes.server import FakePlatforms
from publishing.models import Channel
from tests.shared import built_once


@pytest.fixture
def fake_platforms():
    """A real HTTP server speaking every platform's API, for one test."""
    with FakePlatforms() as server:
        yield server


def make_channel(unit, kind, fake=None, name=None, credentials=None, config=None, **fields):
    """A channel of ``unit`` on ``kind``, pointed at the fake server when
    given, with the credentials and settings the fake accepts."""
    setup = channel_setup(kind)
    channel = Channel(
        unit=unit,
        kind=kind,
        name=name or f"{unit.name} – {kind}",
        base_url=fake.base_url(kind) if fake else "",
        config={**setup["config"], **(config or {})},
        **fields,
    )
    channel.credentials = {**setup["credentials"], **(credentials or {})}
    channel.save()
    return channel


# --- the fault tests (tests/publishing/faults.py) ----------------------------


@pytest.fixture(scope="module", name="_module_fault_platforms")
def module_fault_platforms():
    """The fake platforms, one server for a module of fault tests (its
    address is in the module's channels)."""
    with FakePlatforms() as server:
        yield server


def _build_fault_newsrooms(fake):
    # Imported here: faults.py imports make_channel from this module.
    from tests.publishing.faults import build_newsrooms

    return build_newsrooms(fake)


_module_fault_newsrooms = built_once("fault_newsrooms", _build_fault_newsrooms, "fault_platforms")


@pytest.fixture
def fault_platforms(_module_fault_platforms):
    _module_fault_platforms.reset()
    return _module_fault_platforms


@pytest.fixture
def fault_newsrooms(db, settings, _module_fault_newsrooms, fault_platforms, shared_data):
    """One unit per platform with one channel each on ``fault_platforms``;
    retries a second apart (the tests move time on anyway), and tried again
    at once twice as in production (a 429's pause is not waited in the
    worker unless a test asks: it costs a second)."""
    settings.PUBLISHING_RETRY_BASE_SECONDS = 1
    settings.PUBLISHING_RETRY_MAX_SECONDS = 2
    settings.PUBLISHING_MAX_ATTEMPTS = 8
    settings.PUBLISHING_QUICK_RETRIES = 2
    settings.PUBLISHING_QUICK_RETRY_MAX_WAIT = 0
    return shared_data(_module_fault_newsrooms, _build_fault_newsrooms, fault_platforms)
