"""`python manage.py rotate_channel_credentials`: re-encrypt every channel's
credentials with the newest key of CHANNEL_CREDENTIALS_KEYS.

Rotating a key: put the new key first in CHANNEL_CREDENTIALS_KEYS (old keys
after it), restart, run this command, then drop the old keys.
`--generate-key` prints a new key and changes nothing."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing import crypto
from publishing.models import Channel


class Command(BaseCommand):
    help = "Re-encrypt channel credentials with the newest key of CHANNEL_CREDENTIALS_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--generate-key", action="store_true", help="Print a new key to put first in CHANNEL_CREDENTIALS_KEYS.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be re-encrypted, change nothing.")

    def handle(self, *args, generate_key=False, dry_run=False, **options):
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        rotated = current = 0
        unreadable = []
        for pk in Channel.objects.exclude(credentials_encrypted="").order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                # Locked and written alone, so an admin saving the channel
                # meanwhile loses nothing.
                token = Channel.objects.select_for_update().values_list("credentials_encrypted", flat=True).get(pk=pk)
                try:
                    if crypto.encrypted_with_newest(token):
                        current += 1
                        continue
                    new_token = crypto.rotate(token)
                except ImproperlyConfigured:
                    unreadable.append(pk)
                    continue
                if not dry_run:
                    Channel.objects.filter(pk=pk).update(credentials_encrypted=new_token)
                rotated += 1
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(f"{rotated} channel(s) {verb}, {current} already on the newest key.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} channel(s) cannot be decrypted with any key of CHANNEL_CREDENTIALS_KEYS "
                f"(ids {', '.join(map(str, unreadable))}): add the key they were encrypted with, or enter their credentials again."
            )
