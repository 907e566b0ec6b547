"""A worker keeps its database connection from one task to the next, as a
web server process does between requests (CONN_MAX_AGE): a new PostgreSQL
connection for every delivery cost more than the delivery's own queries.
What a worker does around each task is run here as the worker runs it:
Celery's Django fix-up, then the project's handler."""

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from hoitu.celery import app, close_old_database_connections

# In autocommit, as in a worker (a connection inside a transaction is one
# Django would close).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_task_hooks(task):
    """What the worker does before and after a task, in order."""
    fixup = DjangoWorkerFixup(app)
    fixup.on_task_prerun(sender=task)
    close_old_database_connections(task=task)
    connection.ensure_connection()  # the task's queries
    fixup.on_task_postrun(sender=task)
    close_old_database_connections(task=task)


def test_a_worker_keeps_its_database_connection_between_tasks(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite connections are opened per task on purpose (CONN_MAX_AGE 0): run with DATABASE_URL=postgres://…")
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    app.loader.import_default_modules()
    task = app.tasks["publishing.tasks.deliver"]
    connection.ensure_connection()
    opened = connection.connection

    for _task in range(3):
        run_task_hooks(task)
    assert connection.connection is opened

    # Past CONN_MAX_AGE it is closed, as after a web request.
    connection.close_at = 0
    run_task_hooks(task)
    assert connection.connection is not opened
