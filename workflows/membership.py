"""Who holds which role in which unit: the one place that scopes a person
to units. A user's membership is read once per user object (one query);
"which units may this person open with these roles" and "which unit is
this" are answered from it, for every screen of the admin."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from newsroom.models import Unit

from .models.roles import Role, UnitGroup


@dataclass
class Membership:
    """A user's roles, by unit. Paths are tree paths: a role holds for every
    page whose path starts with one of them."""

    # Superusers and members of the system administrator group.
    superuser: bool = False
    # unit pk -> set of roles
    roles: dict = field(default_factory=dict)
    # (role, path) pairs: the unit home's path, or the section's for section heads
    scopes: list = field(default_factory=list)
    # unit pk -> Unit (with its site and home page)
    units: dict = field(default_factory=dict)

    def roles_for_path(self, path):
        return {role for role, scope in self.scopes if path.startswith(scope)}

    @property
    def unit_ids(self):
        return set(self.roles)

    def has_role(self, unit, *roles):
        return self.superuser or bool(self.roles.get(getattr(unit, "pk", unit), set()) & set(roles))

    def holds_any(self, roles):
        """Whether the user holds one of ``roles`` in some unit."""
        return self.superuser or any(held & set(roles) for held in self.roles.values())


def membership(user):
    """Loaded once per user object (one query)."""
    cached = getattr(user, "_hoitu_membership", None)
    if cached is not None:
        return cached
    result = Membership(superuser=bool(user.is_active and user.is_superuser))
    if user.is_authenticated and user.is_active:
        links = UnitGroup.objects.filter(group__user=user).select_related("unit__site__root_page", "section")
        for link in links:
            if link.unit_id is None:
                result.superuser |= link.role == Role.SYSTEM_ADMIN
                continue
            result.roles.setdefault(link.unit_id, set()).add(link.role)
            result.units[link.unit_id] = link.unit
            scope = link.section.path if link.section_id else link.unit.site.root_page.path
            result.scopes.append((link.role, scope))
    user._hoitu_membership = result
    return result


def units_for(user, roles=None):
    """The units where ``user`` holds one of ``roles`` (any role when None),
    in name order; every unit for a superuser. No query but a superuser's:
    the admin menu asks on every page."""
    m = membership(user)
    if m.superuser:
        return list(Unit.objects.select_related("site__root_page").order_by("name"))
    return sorted(
        (unit for pk, unit in m.units.items() if roles is None or m.roles[pk] & set(roles)),
        key=lambda unit: unit.name,
    )


def unit_queryset(user, roles=None):
    """``units_for`` as a queryset, for form choices and filters."""
    m = membership(user)
    units = Unit.objects.select_related("site__root_page").order_by("name")
    if m.superuser:
        return units
    return units.filter(pk__in=[pk for pk, held in m.roles.items() if roles is None or held & set(roles)])


def resolve_unit(request, unit_slug, roles):
    """The unit of an admin address, among those where the user holds one
    of ``roles``: 403 for a user with none, 404 for any other unit (whether
    it exists is none of their business); without a slug, their first unit.
    Returns (unit, units)."""
    units = units_for(request.user, roles)
    if not units:
        raise PermissionDenied
    if unit_slug is None:
        return units[0], units
    for unit in units:
        if unit.slug == unit_slug:
            return unit, units
    raise Http404(_("No such unit."))
