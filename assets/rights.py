"""When an archive item may be shown (assets.models.UsageRights): the one
home of the rule that an item under embargo or past its licence cannot be
newly chosen or published. The choosers filter with ``usable``; the apps
that publish ask ``refusals`` of what a story shows."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ArchiveImage, Media


class RightsRefused(Exception):
    """A publication refused for what it would show; ``reasons`` in words."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(" ".join(str(reason) for reason in self.reasons))


def refusal_message(reasons):
    """What an editor reads when a publication is refused."""
    return _("Not published: %(reasons)s") % {"reasons": " ".join(str(reason) for reason in reasons)}


def _out_of_rights(at=None):
    at = at or timezone.now()
    return Q(embargoed_until__gt=at) | Q(license_expires_on__lt=timezone.localdate(at))


def usable(queryset, at=None):
    """The items of ``queryset`` that may be shown at ``at`` (now)."""
    return queryset.exclude(_out_of_rights(at))


def unusable(queryset, at=None):
    """The items of ``queryset`` that may not be shown at ``at`` (now)."""
    return queryset.filter(_out_of_rights(at))


def anything_unusable(at=None):
    """Whether any archive item may not be shown at ``at``: two indexed
    reads, so that publishing (almost always with nothing out of rights)
    reads a story's items only when there is something to find."""
    return any(unusable(model.objects.all(), at).exists() for model in (ArchiveImage, Media))


def refusals(items, at=None):
    """Why each of ``items`` may not be shown at ``at``, in words (none: all may)."""
    return [reason for item in items if (reason := item.rights_refusal(at))]


def expiring(queryset, days, at=None):
    """The items of ``queryset`` whose licence ends within ``days`` days of
    ``at`` (today included) or has ended already."""
    return queryset.filter(license_expires_on__lte=timezone.localdate(at or timezone.now()) + timedelta(days=days))
