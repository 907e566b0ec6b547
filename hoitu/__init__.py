"""The Hội Tụ project: settings, URLs, the WSGI and Celery applications,
and the health checks. Configuration only: the newsroom lives in the apps
(``assets``, ``newsroom``, ``workflows``, ``publishing``)."""

# Load the Celery app with Django so @shared_task binds to it.
from .celery import app as celery_app

__all__ = ("celery_app",)
