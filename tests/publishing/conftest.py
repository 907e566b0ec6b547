"""Shared fixtures of the publishing tests: the fake platform server and
channels pointed at it."""

import pytest

from demo.fakes import channel_setup
from demo.fakes.server import FakePlatforms
from publishing.models import Channel


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
