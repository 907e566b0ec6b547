"""Test data built once per module, with a savepoint per test: the
machinery behind the fixtures of tests/conftest.py (its docstring tells how
they fit together)."""

import copy

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django.plugin import validate_django_db


def uses_database(item):
    """pytest-django's own test: the django_db mark or a database fixture."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool({"db", "transactional_db", "live_server"} & fixtures)


def is_transactional(item):
    """Whether pytest-django runs ``item`` without a wrapping transaction
    (the test's writes are committed, then flushed)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


class ModuleData:
    """The transaction holding one module's shared data, and the folder its
    files are written to."""

    open = None  # the ModuleData whose transaction is open, if any

    def __init__(self, blocker, media_root):
        self.blocker, self.media_root = blocker, media_root
        self.built = set()
        self._atomic = None

    @property
    def active(self):
        return self._atomic is not None

    def begin(self):
        with self.blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
        ModuleData.open = self

    def build(self, request, builder, *args):
        """``builder(*args)`` for the ``_module_`` fixture of ``request``,
        kept for the module's tests; None when the module's transaction is
        not open (transactional tests)."""
        if not self.active:
            return None
        with self.blocker.unblock(), override_settings(MEDIA_ROOT=self.media_root):
            value = builder(*args)
        self.built.add(request.fixturename)
        return value

    def end(self):
        if not self.active:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None
        ModuleData.open = None


class SharedData:
    """Hands one test the module's shared data."""

    def __init__(self, module_data):
        self.module_data = module_data
        # One memo for all the test's copies: an object reachable from two
        # fixtures (``newsroom`` and ``staff``) is one object in the test too.
        self.memo = {}

    def __call__(self, shared, builder, *args):
        """A copy of ``shared`` (a ``_module_`` fixture's value), or
        ``builder(*args)`` run for this test alone when the module's
        transaction is not open (transactional tests)."""
        if self.module_data.active and shared is not None:
            return copy.deepcopy(shared, self.memo)
        return builder(*args)


def built_once(name, builder, *needs):
    """The module-scoped fixture ``_module_<name>``: ``builder`` run once for
    the module, in its transaction, given the module's values of the shared
    data named in ``needs``. A module declares the fixture tests ask for
    beside it: ``shared_data(_module_<name>, builder, *needs' values)``."""

    @pytest.fixture(scope="module", name=f"_module_{name}")
    def build(request, module_data):
        return module_data.build(request, builder, *(request.getfixturevalue(f"_module_{need}") for need in needs))

    return build
