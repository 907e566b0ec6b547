"""The benchmark never drops or uses a PostgreSQL database it did not
create: its database has a name of its own (never the one DATABASE_URL
names), carries the bench's mark from its creation, and one without the
mark is refused, left as it was."""

import argparse
import uuid

import psycopg
import pytest
from django.db import connection

from bench import harness

pytestmark = pytest.mark.django_db


def connect(dbname):
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db.get("PASSWORD") or None, dbname=dbname, autocommit=True
    )


@pytest.fixture
def new_name(monkeypatch):
    """A database name no one uses; whatever the test made under it is
    dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench's own database is a PostgreSQL one: run with DATABASE_URL=postgres://…")
    db = connection.settings_dict
    monkeypatch.setenv("DATABASE_URL", f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    if db.get("PASSWORD"):
        monkeypatch.setenv("PGPASSWORD", db["PASSWORD"])
    name = f"hoitu_bench_t{uuid.uuid4().hex[:8]}"
    yield name
    with connect("postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def workspace(name, reseed=True):
    return harness.Workspace(argparse.Namespace(database=name, ports=None, articles=1, reseed=reseed, keep=False))


def test_a_database_the_bench_did_not_make_is_neither_used_nor_dropped(new_name):
    with connect("postgres") as admin:
        admin.execute(f"CREATE DATABASE {new_name}")
    with connect(new_name) as someone:
        someone.execute("CREATE TABLE ledger (amount int); INSERT INTO ledger VALUES (42)")

    for reseed in (True, False):
        with pytest.raises(harness.BenchError, match="not made by the bench"):
            workspace(new_name, reseed).prepare_database()
    with connect(new_name) as someone:
        assert someone.execute("SELECT amount FROM ledger").fetchone() == (42,)


def test_the_bench_marks_the_database_it_creates_and_drops_only_that(new_name):
    bench = workspace(new_name)
    bench._pg_recreate()
    assert bench._pg_comment().startswith(harness.DATABASE_MARK)
    bench._pg_recreate()  # its own: dropped and made again
    assert bench._pg_comment().startswith(harness.DATABASE_MARK)


def test_never_the_database_database_url_names(new_name):
    with pytest.raises(harness.BenchError, match="never the one DATABASE_URL names"):
        workspace(connection.settings_dict["NAME"])
