from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...chain import verify


class Command(BaseCommand):
    help = "Recomputes the audit trail's hash chain; names the first row that was changed or removed around."

    def handle(self, *args, **options):
        result = verify()
        if result.broken is None:
            self.stdout.write(f"Audit trail intact: {result.checked} events verified.")
            return
        event = result.broken
        what = "does not follow the row before it" if result.reason == "link" else "was changed after it was written"
        raise CommandError(
            f"Audit trail broken at event {event.pk} ({timezone.localtime(event.at):%Y-%m-%d %H:%M:%S %z}): "
            f"it {what}. {result.checked} events before it verified."
        )
