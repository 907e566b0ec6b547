import os

from celery import Celery, signals
from django.db import close_old_connections

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoitu.settings.dev")

# Before any connection is made: `filesystem://` gets atomic message files.
broker.install()

app = Celery("hoitu")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The apps' tasks, and the project's own heartbeat (hoitu is not an app).
app.autodiscover_tasks()
app.autodiscover_tasks(["hoitu"])


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(task=None, **kwargs):
    """Between tasks, Django's rule between web requests: a connection is
    kept for CONN_MAX_AGE and dropped after an error. Celery's own fix-up
    would close it before and after every task (CELERY_DB_REUSE_MAX turns
    that off): a new PostgreSQL connection per delivery cost more than the
    delivery's queries."""
    if not getattr(task.request, "is_eager", False):
        close_old_connections()
