"""Which unit an audit event belongs to (the trail sits below the units and
asks through ``audit.registry``): the unit of the object acted on (a page,
a group, a permission, anything with a ``unit``), else the acting
account's first unit. Unit admins read their units' events."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from audit.registry import register_unit_resolver
from newsroom.models import Unit

from .models import UnitGroup


def register():
    register_unit_resolver(unit_for_audit)


def unit_for_audit(obj, actor):
    unit = _unit_of(obj)
    if unit is None and actor is not None:
        unit = _unit_of_account(actor)
    return unit


def _unit_of(obj):
    if obj is None or isinstance(obj, Unit):
        return obj
    if isinstance(obj, Page):
        return Unit.objects.for_page(obj)
    if isinstance(obj, Group):
        return _unit_of_group(obj.pk)
    # By id, not through the relation: while a page or a group is being
    # deleted its permissions go first and the relation may be gone.
    if isinstance(obj, GroupPagePermission):
        page = Page.objects.filter(pk=obj.page_id).only("url_path").first()
        return Unit.objects.for_page(page) if page else None
    if isinstance(obj, GroupCollectionPermission):
        return _unit_of_group(obj.group_id)
    if isinstance(obj, get_user_model()):
        return _unit_of_account(obj)
    # Channels, assignments, subscribers…; None when it has no unit.
    unit = getattr(obj, "unit", None)
    return unit if isinstance(unit, Unit) else None


def _unit_of_group(group_id):
    link = UnitGroup.objects.filter(group_id=group_id, unit__isnull=False).select_related("unit").first()
    return link.unit if link else None


def _unit_of_account(user):
    if not getattr(user, "pk", None):
        return None
    link = UnitGroup.objects.filter(group__user=user, unit__isnull=False).select_related("unit").order_by("unit__name").first()
    return link.unit if link else None
