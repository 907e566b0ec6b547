"""Which unit an event belongs to. Units live above this app
(``newsroom.Unit``), so the app that knows them registers the answer:
``workflows`` does, from its ``ready()``."""

from typing import NamedTuple

_unit_resolvers = []


class UnitRef(NamedTuple):
    """A unit as the trail keeps it."""

    pk: int
    slug: str


def register_unit_resolver(resolver):
    """``resolver(obj, actor)`` returns the unit (anything with ``pk`` and
    ``slug``) ``obj`` or, failing that, ``actor`` belongs to, or None."""
    _unit_resolvers.append(resolver)


def resolve_unit(obj, actor):
    for resolver in _unit_resolvers:
        unit = resolver(obj, actor)
        if unit is not None:
            return unit
    return None
