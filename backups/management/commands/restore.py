from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups import services
from backups.crypto import ArchiveError
from backups.database import DatabaseNotEmpty


class Command(BaseCommand):
    help = "Restores a backup into the empty database of the settings and an empty media folder, then checks every table's row count."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (hoitu-backup-….tar.enc)")
        parser.add_argument("--media-root", help="folder to restore the media files into (default: MEDIA_ROOT)")

    def handle(self, *args, file, media_root=None, **options):
        try:
            manifest = services.restore(file, media_root)
        except (ArchiveError, DatabaseNotEmpty) as error:
            raise CommandError(str(error)) from None
        if manifest["media"]["in_archive"]:
            media = _("%(files)s media files restored") % {"files": len(manifest["media"]["files"])}
        else:
            media = _("the %(files)s media files stay on their object storage (listed in the manifest)") % {"files": len(manifest["media"]["files"])}
        self.stdout.write(
            _("Restored %(file)s: %(tables)s tables with the row counts of the backup; %(media)s.")
            % {"file": file, "tables": len(manifest["tables"]), "media": media}
        )
