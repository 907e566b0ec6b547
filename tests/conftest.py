"""Fixtures of the whole suite.

Shared data: ``newsroom`` is built once for the whole run; ``staff``, and
a module's own fixtures made the same way, once per test module, as
Django's ``TestCase.setUpTestData`` builds its data once per class. The
newsroom is built in a transaction opened before the first test that asks
for it; the module-scoped fixture ``_module_<name> = built_once("<name>",
builder)`` (tests/shared.py) builds a module's data inside a transaction
of the module (a savepoint in the run's, when the module's tests ask for
the newsroom) opened before the first test that asks for it and rolled
back after the module's last; the fixture ``<name>`` hands each test
``shared_data(_module_<name>, builder)``, a deep copy. Every test runs in
a savepoint on top of the module's transaction (pytest-django's ``db``),
so neither its rows nor its changes to the Python objects reach the next
test.

A test sees only the shared data it asks for: the run's plain database
tests that do not ask for the newsroom come first, then those that do
(the run's transaction is rolled back before the first test after them);
within a module, the tests that ask for fewer ``_module_`` fixtures run
first (those that ask for none, then ``newsroom``, then ``newsroom`` and
``staff``...), and each set of data is built on top of the last when the
first test that asks for it starts.

Transactional tests (``transactional_db``, ``live_server``,
``django_db(transaction=True)``) commit for real, which they could not do
inside these transactions: ``shared_data`` runs the builder for them,
test by test. They run after all the plain ones (pytest-django's order),
once the run's and the module's transactions are closed."""

import itertools
import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from modelsearch.backends import get_search_backend

from tests.helpers import build_newsroom, build_staff, verify_second_factor
from tests.shared import ModuleData, RunData, SharedData, built_once, is_transactional, uses_database


def clear_caches():
    for alias in settings.CACHES:
        backend = caches[alias]
        if hasattr(backend, "delete_pattern"):
            # django-redis: clear() would FLUSHDB the shared Redis (other test
            # runs, Celery queues); delete only this run's prefixed keys, of
            # every version (Wagtail keeps its site root paths at version 2).
            redis = backend.client.get_client(write=True)
            keys = list(redis.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
            if keys:
                redis.delete(*keys)
        else:
            backend.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file of this run (Django's default
    keeps it in this process's memory), so that the Celery workers a test
    starts (tests/publishing/worker.py) share it as they share PostgreSQL's.
    It costs the suite nothing measurable (tests/publishing/test_engine.py
    takes as long either way): most tests roll back, and with WAL and
    synchronous=NORMAL (the settings) a commit does not wait for the disk."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True, scope="session")
def _leave_no_cache_behind():
    yield
    clear_caches()


@pytest.fixture(autouse=True, scope="session")
def _leave_no_opensearch_index_behind():
    yield
    if os.environ.get("OPENSEARCH_URL"):
        backend = get_search_backend()
        for name in backend.es.indices.get(index=f"{backend.index_prefix}*"):
            backend.es.indices.delete(index=name)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache, Wagtail's site-root cache and the rendition cache would
    # otherwise carry rows from a rolled-back test into the next one.
    clear_caches()
    yield


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Each test writes its files to a folder of its own, which starts with
    the files of the module's shared data (its images and renditions)."""
    media = tmp_path / "media"
    if "module_data" in request.fixturenames:
        shared = request.getfixturevalue("module_data")
        if shared.active and shared.media_root.is_dir():
            shutil.copytree(shared.media_root, media)
    settings.MEDIA_ROOT = media


@pytest.fixture(autouse=True)
def _sign_in_with_second_factor(monkeypatch):
    """The admin asks for a second factor (TWO_FACTOR_REQUIRED is on in
    the test settings): a test client's ``force_login`` and ``login`` also
    verify the session with an authenticator app of the user, as a real
    sign-in does after the code. Client._login is where both end. The
    tests of the second factor itself sign in through the login form."""
    sign_in = Client._login

    def _login(self, user, backend=None):
        sign_in(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "_login", _login)


# -- the tests CI runs once -------------------------------------------------------------


def pytest_itemcollected(item):
    """A test that uses no database gives the same result on PostgreSQL +
    Redis as on the embedded defaults: it is marked ``once``, and CI's
    second pass (``make test-services``) leaves it out."""
    if not uses_database(item):
        item.add_marker(pytest.mark.once)


# -- data shared by a module's tests ---------------------------------------------------


def shared_level(item):
    """How many sets of shared data the test asks for."""
    return sum(name.startswith("_module_") for name in getattr(item, "fixturenames", ()))


def wants_newsroom(item):
    return "_module_newsroom" in getattr(item, "fixturenames", ())


def run_order(item):
    """Plain database tests that do not see the run's newsroom, then those
    that do, then transactional ones, then those without a database."""
    if not uses_database(item):
        return 3
    if is_transactional(item):
        return 2
    return 1 if wants_newsroom(item) else 0


@pytest.hookimpl(trylast=True)  # after pytest-django's own order, which this keeps
def pytest_collection_modifyitems(items):
    """The run's order (``run_order``), modules in their order within each
    part; within each module's run, the tests that ask for less shared data
    first."""
    items.sort(key=run_order)
    runs = itertools.groupby(items, key=lambda item: (item.path, run_order(item)))
    items[:] = [item for _key, run in runs for item in sorted(run, key=shared_level)]


_SETTING_UP = pytest.StashKey[tuple]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: closes the shared transactions the test
    must not run inside. The run's, for a test that uses the database and
    must not see the newsroom (transactional, or not asking for it); the
    module's, for such a test too, for a test that did not ask for all the
    module's data (out of the order above: run with -p randomly, say), and
    for the first test that asks for the newsroom when the module's was
    opened before the run's (the module's later tests then build their own
    data)."""
    transactional, newsroom = is_transactional(item), wants_newsroom(item)
    item.config.stash[_SETTING_UP] = (transactional, newsroom)
    module = ModuleData.open
    run_ends = RunData.open is not None and uses_database(item) and (transactional or not newsroom)
    run_starts = newsroom and not transactional and not RunData.started
    if module is not None and (run_ends or run_starts or transactional or not module.built <= set(item.fixturenames)):
        module.end()
    if run_ends:
        RunData.open.end()


@pytest.fixture(scope="session")
def run_data(django_db_setup, django_db_blocker, tmp_path_factory):
    data = RunData(django_db_blocker, tmp_path_factory.mktemp("run-media"))
    yield data
    data.end()


@pytest.fixture(scope="module")
def module_data(request, run_data, django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's transaction, opened before the first test that asks for
    shared data (unless that test is transactional) and rolled back after
    the module's last; the run's newsroom is built first if that test is
    the run's first to ask for it. Module-scoped fixtures are set up before
    function-scoped ones, so the transaction is open before pytest-django's
    ``db`` opens the test's savepoint."""
    data = ModuleData(django_db_blocker, tmp_path_factory.mktemp("module-media"))
    transactional, newsroom = request.config.stash.get(_SETTING_UP, (False, False))
    if not transactional:
        if newsroom and not RunData.started:
            run_data.start(build_newsroom)
        data.begin()
    yield data
    data.end()


@pytest.fixture
def shared_data(module_data):
    return SharedData(module_data)


@pytest.fixture(scope="module")
def _module_newsroom(module_data, run_data):
    return module_data.build("_module_newsroom", run_data.copy_or, build_newsroom)


_module_staff = built_once("staff", build_staff, "newsroom")


@pytest.fixture
def newsroom(db, _module_newsroom, shared_data):
    """Two press units with a little content each (tests.helpers.build_newsroom)."""
    return shared_data(_module_newsroom, build_newsroom)


@pytest.fixture
def staff(newsroom, _module_staff, shared_data):
    """People of each role (tests.helpers.build_staff): a dict by role."""
    return shared_data(_module_staff, build_staff, newsroom)
