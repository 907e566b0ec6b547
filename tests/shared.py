"""Test data built once per module, with a savepoint per test: the
machinery behind the fixtures of tests/conftest.py (its docstring tells how
they fit together)."""

import copy
import shutil

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


class SharedTransaction:
    """A transaction holding data shared by many tests, and the folder its
    files are written to: the run's (the newsroom, built once) or a
    module's, which nests in the run's as a savepoint when that is open."""

    open = None  # the instance of this class whose transaction is open, if any

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
        type(self).open = self

    def build(self, name, builder, *args):
        """``builder(*args)``, kept for the tests as ``name``; None when the
        transaction is not open (transactional tests)."""
        if not self.active:
            return None
        with self.blocker.unblock(), override_settings(MEDIA_ROOT=self.media_root):
            value = builder(*args)
        self.built.add(name)
        return value

    def end(self):
        if not self.active:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None
        type(self).open = None


class RunData(SharedTransaction):
    """The newsroom of tests.helpers.build_newsroom, built once for the
    whole run (two thirds of the modules ask for it; building it takes
    seconds) in a transaction opened before the first test that asks for
    it and rolled back before the first that must not see it. It is built
    once at most: the tests that ask for it after that (transactional
    ones, or out of the suite's order) have their module's own."""

    open = None
    started = False  # whether it was built in this run

    def start(self, builder):
        RunData.started = True
        self.begin()
        self.value = self.build("newsroom", builder)

    def copy_or(self, builder):
        """A copy of the run's newsroom for a module, or the module's own."""
        return copy.deepcopy(self.value) if self.active else builder()


class ModuleData(SharedTransaction):
    """The transaction holding one module's shared data: a savepoint in the
    run's when that is open, its files starting as a copy of the run's."""

    open = None

    def begin(self):
        run = RunData.open
        if run is not None and run.media_root.is_dir():
            shutil.copytree(run.media_root, self.media_root, dirs_exist_ok=True)
        super().begin()


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
        return module_data.build(request.fixturename, builder, *(request.getfixturevalue(f"_module_{need}") for need in needs))

    return build
