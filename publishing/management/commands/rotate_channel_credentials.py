"""`python manage.py rotate_channel_credentials`: re-encrypt every channel's
credentials, and every authenticator app's secret, with the newest key of
CHANNEL_CREDENTIALS_KEYS.

Rotating a key: put the new key first in CHANNEL_CREDENTIALS_KEYS (old keys
after it), restart, run this command, then drop the old keys.
`--generate-key` prints a new key and changes nothing."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom import crypto
from publishing.models import Channel
from workflows.models import AuthenticatorApp


class Command(BaseCommand):
    help = "Re-encrypt channel credentials with the newest key of CHANNEL_CREDENTIALS_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--generate-key", action="store_true", help="Print a new key to put first in CHANNEL_CREDENTIALS_KEYS.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be re-encrypted, change nothing.")

    def handle(self, *args, generate_key=False, dry_run=False, **options):
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        rotated, current, unreadable = self._rotate(Channel, "credentials_encrypted", dry_run)
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(f"{rotated} channel(s) {verb}, {current} already on the newest key.")
        apps_rotated, apps_current, apps_unreadable = self._rotate(AuthenticatorApp, "encrypted_key", dry_run)
        self.stdout.write(f"{apps_rotated} authenticator app(s) {verb}, {apps_current} already on the newest key.")
        if apps_unreadable:
            raise CommandError(
                f"{len(apps_unreadable)} authenticator app(s) cannot be decrypted with any key of CHANNEL_CREDENTIALS_KEYS "
                f"(ids {', '.join(map(str, apps_unreadable))}): add the key they were encrypted with, or reset their owners' second factor."
            )
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} channel(s) cannot be decrypted with any key of CHANNEL_CREDENTIALS_KEYS "
                f"(ids {', '.join(map(str, unreadable))}): add the key they were encrypted with, or enter their credentials again."
            )

    @staticmethod
    def _rotate(model, column, dry_run):
        rotated = current = 0
        unreadable = []
        for pk in model.objects.exclude(**{column: ""}).order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                # Locked and written alone, so someone saving the row
                # meanwhile loses nothing.
                token = model.objects.select_for_update().values_list(column, flat=True).get(pk=pk)
                try:
                    if crypto.encrypted_with_newest(token):
                        current += 1
                        continue
                    new_token = crypto.rotate(token)
                except ImproperlyConfigured:
                    unreadable.append(pk)
                    continue
                if not dry_run:
                    model.objects.filter(pk=pk).update(**{column: new_token})
                rotated += 1
        return rotated, current, unreadable
