"""Who may do what with channels and deliveries, always scoped to a unit."""

from workflows.models import Role
from workflows.permissions import membership

# Roles that run a unit's distribution: they see and act on its deliveries.
DELIVERY_ROLES = (Role.DISTRIBUTION, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR, Role.UNIT_ADMIN)
# Everyone of the unit sees where its stories went (the editor's panel).
VIEW_ROLES = DELIVERY_ROLES + (Role.DESK_EDITOR, Role.SECTION_HEAD, Role.REPORTER, Role.CONTRIBUTOR)
# Channels (their credentials included) are configured by the unit's admin
# and its editor-in-chief.
CHANNEL_ADMIN_ROLES = (Role.UNIT_ADMIN, Role.EDITOR_IN_CHIEF)


def user_can_manage_deliveries(user, unit):
    return user.is_active and unit is not None and membership(user).has_role(unit, *DELIVERY_ROLES)


def user_can_view_deliveries(user, unit):
    return user.is_active and unit is not None and membership(user).has_role(unit, *VIEW_ROLES)


def user_can_configure_channels(user, unit):
    return user.is_active and unit is not None and membership(user).has_role(unit, *CHANNEL_ADMIN_ROLES)


def runs_distribution(user):
    """Whether the user runs any unit's distribution (no query: the
    membership is loaded once per user)."""
    if not (user.is_authenticated and user.is_active):
        return False
    m = membership(user)
    return m.superuser or any(roles & set(DELIVERY_ROLES) for roles in m.roles.values())


def delivery_units(user):
    """Units whose publishing dashboard the user may open."""
    from newsroom.models import Unit

    m = membership(user)
    if m.superuser:
        return Unit.objects.order_by("name")
    return Unit.objects.filter(pk__in=[pk for pk, roles in m.roles.items() if roles & set(DELIVERY_ROLES)]).order_by("name")
