"""The database's side of a backup: a consistent dump with the row count
of every table at the same moment, and its restore into an empty database.

PostgreSQL: pg_dump's custom format, taken in the snapshot the row counts
were read in; pg_restore into the empty database. SQLite: the online backup
API, page by page, while the newsroom keeps writing. The password goes to
pg_dump and pg_restore in their environment, never on a command line."""

import os
import shutil
import sqlite3
import subprocess

import psycopg
from django.db import connections
from django.utils.translation import gettext as _

from .crypto import ArchiveError

DUMP_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class DatabaseNotEmpty(Exception):
    pass


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor, vendor):
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND pg_table_is_visible(c.oid) ORDER BY c.relname"
        )
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor, vendor):
    counts = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_environment(alias):
    """libpq's variables for the connection in settings: the password among
    them, where no process listing or log shows it."""
    database = connections[alias].settings_dict
    environment = {**os.environ}
    for variable, value in (
        ("PGDATABASE", database["NAME"]),
        ("PGUSER", database.get("USER")),
        ("PGPASSWORD", database.get("PASSWORD")),
        ("PGHOST", database.get("HOST")),
        ("PGPORT", str(database.get("PORT") or "")),
        ("PGSSLMODE", database.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            environment[variable] = value
    return environment


def _run(command, alias):
    if not shutil.which(command[0]):
        raise ArchiveError(_("%(program)s is missing: install the PostgreSQL client (Debian: postgresql-client).") % {"program": command[0]})
    finished = subprocess.run(command, env=_pg_environment(alias), stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if finished.returncode:
        raise ArchiveError(_("%(program)s failed: %(error)s") % {"program": command[0], "error": finished.stderr.strip()[-2000:]})


def dump(target, alias="default"):
    """Writes the database to ``target`` and returns its vendor and the row
    count of every table in the dump."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor == "postgresql":
        # The counts and the dump read the same snapshot, held open here
        # while pg_dump runs.
        with psycopg.connect(**connection.get_connection_params(), autocommit=False) as snapshot:
            snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            snapshot.read_only = True
            with snapshot.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                counts = row_counts(cursor, vendor)
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"], alias)
        return vendor, counts
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            counts = row_counts(copy.cursor(), vendor)
        finally:
            copy.close()
        return vendor, counts
    raise ArchiveError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})


def ensure_empty(alias="default"):
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = table_names(cursor, connection.vendor)
    if tables:
        raise DatabaseNotEmpty(
            _("The database %(name)s is not empty (%(count)s tables): a backup is restored only into an empty database.")
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )


def restore(source, vendor, alias="default"):
    """Loads the dump at ``source`` into the (empty) database and returns the
    row count of every table afterwards."""
    connection = connections[alias]
    if connection.vendor != vendor:
        raise ArchiveError(
            _("This backup is of a %(backup)s database; the database in settings is %(target)s.") % {"backup": vendor, "target": connection.vendor}
        )
    if vendor == "postgresql":
        connection.close()
        # One transaction: a failure leaves the database as empty as it was.
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(source)], alias)
    else:
        connection.ensure_connection()
        dumped = sqlite3.connect(source)
        try:
            dumped.backup(connection.connection)
        finally:
            dumped.close()
    with connection.cursor() as cursor:
        return row_counts(cursor, vendor)
