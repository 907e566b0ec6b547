from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class License(models.TextChoices):
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    AGENCY = "agency", _("Licensed from a news agency")
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC0 = "cc0", _("CC0 / public domain")
    GOVERNMENT = "government", _("Government document, free to reuse")


class UsageRights(models.Model):
    """When an archive item may be shown: not before its embargo ends, not
    after the last day of its licence (that day included, Vietnam time).
    The rules that follow from it are in assets.rights."""

    license_expires_on = models.DateField(
        _("licence expires on"), null=True, blank=True,
        help_text=_("The last day the licence allows the item to be shown. After it, the item cannot be chosen or published."),
    )  # fmt: skip
    embargoed_until = models.DateTimeField(
        _("embargoed until"), null=True, blank=True,
        help_text=_("Before this moment the item cannot be chosen or published (a source's embargo)."),
    )  # fmt: skip

    # The licence end the unit editors were last told of (workflows.rights):
    # told once per end date, again when a new end date comes near.
    expiry_notice_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def rights_refusal(self, at=None):
        """Why the item may not be shown at ``at`` (now), in words; "" when it may."""
        at = at or timezone.now()
        if self.embargoed_until and at < self.embargoed_until:
            return _("“%(title)s” is under embargo until %(moment)s.") % {
                "title": self.title, "moment": date_format(timezone.localtime(self.embargoed_until), "SHORT_DATETIME_FORMAT"),
            }  # fmt: skip
        if self.license_expires_on and timezone.localdate(at) > self.license_expires_on:
            return _("The licence of “%(title)s” expired on %(day)s.") % {
                "title": self.title, "day": date_format(self.license_expires_on, "SHORT_DATE_FORMAT"),
            }  # fmt: skip
        return ""
