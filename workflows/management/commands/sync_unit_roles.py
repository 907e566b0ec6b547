from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.roles import sync_all


class Command(BaseCommand):
    help = "Create or update every unit's role groups, their permissions and default workflow (idempotent)."

    def handle(self, *args, **options):
        system, units = sync_all()
        for slug, groups in units.items():
            heads = groups.pop("section_head", {})
            self.stdout.write(_("%(unit)s: %(groups)d groups, %(heads)d section heads") % {"unit": slug, "groups": len(groups), "heads": len(heads)})
        self.stdout.write(_("System groups: %s") % ", ".join(g.name for g in system.values()))
