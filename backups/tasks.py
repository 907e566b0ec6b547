from pathlib import Path

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(ignore_result=True, time_limit=settings.BACKUP_TIME_LIMIT_SECONDS, soft_time_limit=settings.BACKUP_TIME_LIMIT_SECONDS - 60)
def back_up_daily():
    """Beat sends this once a day: a new archive, the retention, then the
    archive read back whole, so the record shows a verified backup. The soft
    limit lets a run that takes too long be recorded as failed."""
    run = services.back_up()
    services.verify(Path(settings.BACKUP_DIR) / run.file_name)
