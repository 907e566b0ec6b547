from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Newsroom roles. The value is the stable code; group names are
    Vietnamese and may be renamed without breaking anything."""

    REPORTER = "reporter", _("Reporter")
    CONTRIBUTOR = "contributor", _("Contributor")
    DESK_EDITOR = "desk_editor", _("Desk editor")
    SECTION_HEAD = "section_head", _("Section head")
    MANAGING_EDITOR = "managing_editor", _("Managing editor")
    EDITOR_IN_CHIEF = "editor_in_chief", _("Editor-in-chief")
    DEPUTY_EDITOR = "deputy_editor", _("Deputy editor-in-chief")
    DISTRIBUTION = "distribution", _("Distribution / social editor")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    # System-wide roles (no unit).
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    ARCHIVE_MANAGER = "archive_manager", _("Archive manager")


class UnitGroup(models.Model):
    """Ties a Django group to a unit and a role (and, for section heads, to
    a section). Everything that scopes a user to units reads this table."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="unit_role")
    unit = models.ForeignKey("newsroom.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    section = models.ForeignKey(
        "newsroom.SectionPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("section")
    )

    class Meta:
        verbose_name = _("unit role group")
        verbose_name_plural = _("unit role groups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "role", "section"], name="one_group_per_unit_role_section"),
            models.UniqueConstraint(
                fields=["unit", "role"], condition=models.Q(section__isnull=True), name="one_group_per_unit_role"
            ),
        ]

    def __str__(self):
        return self.group.name
