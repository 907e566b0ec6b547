from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups import services
from backups.crypto import ArchiveError


class Command(BaseCommand):
    help = "Writes an encrypted backup of the database and the media files into BACKUP_DIR (or --dest), or checks one with --verify."

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="folder to write the backup into (default: BACKUP_DIR)")
        parser.add_argument("--verify", metavar="FILE", help="decrypt FILE and check its checksums without restoring it")

    def handle(self, *args, dest=None, verify=None, **options):
        try:
            if verify:
                manifest = services.verify(Path(verify))
                self.stdout.write(
                    _("The backup %(file)s is intact: the database (%(tables)s tables) and %(files)s media files match their checksums.")
                    % {"file": verify, "tables": len(manifest["tables"]), "files": len(manifest["media"]["files"])}
                )
                return
            run = services.back_up(dest)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Backup written: %(file)s (%(size)s bytes, SHA-256 %(sha256)s).")
            % {"file": Path(dest or settings.BACKUP_DIR) / run.file_name, "size": run.size, "sha256": run.sha256}
        )
