"""Accounts nobody uses any more, and each unit's account review (level 3:
unused accounts are disabled, and a unit's accounts are reviewed every six
months)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from newsroom.models import Unit

from . import two_factor
from .models import AccountReview, NotificationKind, Role
from .notifications import group_members, notify
from .roles import unit_group, unit_staff

REVIEW_EVERY = timedelta(days=182)


def inactive_accounts(now=None):
    """Active accounts of a unit unused for ACCOUNT_INACTIVE_DAYS (never
    signed in: counted from their creation). Superusers are managed
    centrally and never disabled here: the installation would lose its
    last way in."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_INACTIVE_DAYS)
    unused = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    people = get_user_model().objects.filter(is_active=True, is_superuser=False, groups__unit_role__isnull=False)
    return people.filter(unused).distinct()


def disable_inactive_accounts(now=None):
    """Disables each unused account, logs it, and tells the administrators
    of the person's units. Returns the accounts disabled."""
    disabled = []
    days = settings.ACCOUNT_INACTIVE_DAYS
    for person in inactive_accounts(now):
        with transaction.atomic():
            person.is_active = False
            person.save(update_fields=["is_active"])
            log(instance=person, action="hoitu.account_disabled", data={"days": days})
            for unit in Unit.objects.filter(role_groups__group__user=person).distinct():
                admins = group_members([unit_group(unit, Role.UNIT_ADMIN)])
                message = _("%(name)s's account was disabled: not used for %(days)s days.") % {
                    "name": person.get_full_name() or person.get_username(),
                    "days": days,
                }
                url = reverse("workflows_unit_admin:staff_edit", kwargs={"unit_slug": unit.slug, "user_id": person.pk})
                notify(admins, NotificationKind.ACCOUNT_DISABLED, message, unit=unit, url=url)
        disabled.append(person)
    return disabled


def accounts_for_review(unit):
    """The unit's accounts with what a review looks at: roles (prefetched by
    the caller), last sign-in, whether a second factor is enrolled."""
    return unit_staff(unit).annotate(has_second_factor=two_factor.enrolled())


def last_review(unit):
    return AccountReview.objects.filter(unit=unit).select_related("reviewer").first()


def review_due(review, now=None):
    """When the review after ``review`` (the unit's last, or None) is due:
    now if there never was one."""
    return review.reviewed_at + REVIEW_EVERY if review else (now or timezone.now())


@transaction.atomic
def record_review(unit, reviewer, note=""):
    review = AccountReview.objects.create(unit=unit, reviewer=reviewer, accounts=unit_staff(unit).count(), note=note[:2000])
    log(instance=unit, action="hoitu.accounts_reviewed", user=reviewer, data={"accounts": review.accounts})
    return review
