"""The benchmark never drops or uses a PostgreSQL database it did not
create: its database has a name of its own (never the one DATABASE_URL
names), carries the bench's mark from its creation, and one without the
mark is refused, left as it was. A run refused for its set-up is refused
before it makes its temporary folder, so it leaves none behind."""

import argparse
import tempfile
import uuid

import psycopg
import pytest
from django.db import connection

from bench import harness, report
from bench.__main__ import main as bench_main

# Port 1 of the loopback: no PostgreSQL there, the connection is refused.
UNREACHABLE = "postgres://bench@127.0.0.1:1/hoitu"


@pytest.fixture(autouse=True)
def bench_temp(tmp_path, monkeypatch):
    """The bench's temporary folders go to a folder of the test's own (not
    the shared /tmp, where other runs make theirs), and none is left there."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield temp
    assert not bench_folders(temp), "the bench's temporary folder was left behind"


def bench_folders(temp):
    return sorted(temp.glob("hoitu-bench-*"))


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


@pytest.fixture
def workspace():
    """Makes a workspace as the bench does; each one is closed (its folder
    removed) after the test."""
    made = []

    def make(name=harness.BENCH_DATABASE, reseed=True, keep=False):
        made.append(harness.Workspace(argparse.Namespace(database=name, ports=None, articles=1, reseed=reseed, keep=keep)))
        return made[-1]

    yield make
    for bench in made:
        bench.options.keep = False
        bench.close()


def test_a_valid_set_up_makes_one_folder_that_closing_removes(workspace, bench_temp, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    bench = workspace()
    assert bench_folders(bench_temp) == [bench.root]
    assert bench.database_url == f"sqlite:///{bench.root / 'hoitu.sqlite3'}"
    bench.close()
    assert not bench_folders(bench_temp)


@pytest.mark.parametrize(
    "database_url,name,reason",
    [
        (UNREACHABLE, "hoitu", "never the one DATABASE_URL names"),
        (UNREACHABLE, "Hoitu-Bench", "lower-case name of its own"),
        ("mysql://bench@127.0.0.1:1/hoitu", harness.BENCH_DATABASE, "SQLite or PostgreSQL"),
        # Whether the bench's database is its own is checked first too.
        (UNREACHABLE, harness.BENCH_DATABASE, "cannot check the bench database"),
    ],
    ids=["database-url-names-it", "bad-name", "not-sqlite-nor-postgresql", "postgresql-unreachable"],
)
def test_a_refused_set_up_leaves_no_temporary_folder(workspace, bench_temp, monkeypatch, database_url, name, reason):
    monkeypatch.setenv("DATABASE_URL", database_url)
    with pytest.raises(harness.BenchError, match=reason):
        workspace(name, keep=True)  # not even with --keep
    assert not bench_folders(bench_temp)


def test_the_bench_refuses_a_bad_set_up_before_making_its_folder(bench_temp, monkeypatch, capsys):
    monkeypatch.delenv("BENCH_DATABASE", raising=False)
    monkeypatch.delenv("BENCH_PORTS", raising=False)
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    assert bench_main(["--quick", "--keep", "--database", "hoitu"]) == 2
    assert "failed: The bench database must be" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        bench_main(["--quick", "--keep", "--ports", "80-90"])
    assert "a range of ports" in capsys.readouterr().err
    assert not bench_folders(bench_temp)


@pytest.mark.django_db
def test_a_database_the_bench_did_not_make_is_neither_used_nor_dropped(new_name, workspace, bench_temp):
    with connect("postgres") as admin:
        admin.execute(f"CREATE DATABASE {new_name}")
    with connect(new_name) as someone:
        someone.execute("CREATE TABLE ledger (amount int); INSERT INTO ledger VALUES (42)")

    for reseed in (True, False):
        with pytest.raises(harness.BenchError, match="not made by the bench"):
            workspace(new_name, reseed, keep=True).prepare_database()
    assert not bench_folders(bench_temp)  # refused before making its folder, even with --keep
    with connect(new_name) as someone:
        assert someone.execute("SELECT amount FROM ledger").fetchone() == (42,)


@pytest.mark.django_db
def test_the_bench_marks_the_database_it_creates_and_drops_only_that(new_name, workspace):
    bench = workspace(new_name)
    bench._pg_recreate()
    assert bench._pg_comment().startswith(harness.DATABASE_MARK)
    bench._pg_recreate()  # its own: dropped and made again
    assert bench._pg_comment().startswith(harness.DATABASE_MARK)


@pytest.mark.django_db
def test_never_the_database_database_url_names(new_name, workspace):
    with pytest.raises(harness.BenchError, match="never the one DATABASE_URL names"):
        workspace(connection.settings_dict["NAME"])


def test_the_report_says_how_fast_search_was_and_what_answered_it():
    search = {
        "rounds": 5, "limit": 1000, "p50_ms": 12.3, "p95_ms": 14.5, "max_ms": 30.1,
        "queries": [
            {"query": "ha noi", "found": 1000, "more": True, "median_ms": 12.0, "plan": "newest first (B-tree)"},
            {"query": "kho bac", "found": 1000, "more": True, "median_ms": 12.2, "plan": "newest first (B-tree)"},
            {"query": "trai phieu", "found": 816, "more": False, "median_ms": 9.7, "plan": "GIN"},
        ],
        "indexing": {"stories": 5000, "seconds": 4.8, "per_second": 1042},
    }  # fmt: skip
    run = {"requests": 10, "errors": 0, "requests_per_s": 20.0, "latency_ms": {"p50": 100.0, "p95": 150.0, "p99": 160.0}}
    text = report.markdown({
        "started_at": "2026-12-05T12:00:00+00:00", "config": "postgresql-redis", "command": ".venv/bin/python -m bench",
        "database": {"vendor": "postgresql", "version": "15"}, "cache_backend": "Redis",
        "environment": {"git_commit": "abc", "git_dirty": False, "cpus_available": 2, "cpu_model": "EPYC", "load_average": [1.0],
                        "load_average_after": [1.2], "python": "3.11", "versions": {"django": "5.2", "wagtail": "8.0", "gunicorn": "27"}},
        "options": {"sample": 200, "concurrency": 4, "requests": 10, "duration_s": 8, "rounds": 2, "workers": 2},
        "seed": {"articles": 1_000_000},
        "results": [{"name": "search", "title": "Public search", "baseline": "search", "latency_count": 10, **run, "search": search}],
    })  # fmt: skip
    assert "1,000,000 articles" in text
    assert "p50 12.3 ms, p95 14.5 ms" in text
    assert "newest first (B-tree) (2), GIN (1)" in text
    assert "2 of them past the 1,000-result limit" in text
    assert "5,000 stories in 4.8 s, 1,042 a second" in text
