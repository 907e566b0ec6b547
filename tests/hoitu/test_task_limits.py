"""Every Celery task of the product has a time limit: a task that hangs
(a platform that never answers, a picture that never finishes encoding)
is killed and its worker process replaced, never a worker held forever."""

import pytest

from hoitu.celery import app

PRODUCT = ("hoitu.", "backups.", "relay.", "assets.", "newsroom.", "workflows.", "publishing.")

# Reads the task registry only: the same on every database.
pytestmark = pytest.mark.once


def test_every_product_task_has_a_time_limit():
    app.loader.import_default_modules()
    tasks = {name: task for name, task in app.tasks.items() if name.startswith(PRODUCT)}
    expected = {"publishing.tasks.deliver", "assets.tasks.generate_renditions", "hoitu.tasks.heartbeat", "workflows.tasks.publish_scheduled"}
    assert expected | {"backups.tasks.back_up_daily", "relay.tasks.relay_queued_tasks"} <= set(tasks)
    for name, task in tasks.items():
        assert task.time_limit and 0 < task.time_limit <= app.conf.task_time_limit, name
    # A task added later without its own limit still has one.
    assert app.conf.task_time_limit == 1800
