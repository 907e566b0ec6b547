import os

from celery import Celery

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")

# Before any connection is made: `filesystem://` gets atomic message files.
broker.install()

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
