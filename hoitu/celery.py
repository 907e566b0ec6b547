import os

from celery import Celery

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoitu.settings.dev")

# Before any connection is made: `filesystem://` gets atomic message files.
broker.install()

app = Celery("hoitu")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The apps' tasks, and the project's own heartbeat (hoitu is not an app).
app.autodiscover_tasks()
app.autodiscover_tasks(["hoitu"])
