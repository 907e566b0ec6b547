"""Who may do what with channels and deliveries, always scoped to a unit."""

from workflows.membership import membership, units_for
from workflows.models import Role

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
    return user.is_active and membership(user).holds_any(DELIVERY_ROLES)


def delivery_units(user):
    """Units whose deliveries (dashboard, channels, newsletter readers) the
    user sees, by name."""
    return units_for(user, DELIVERY_ROLES)


def channel_units(user):
    """Units whose channels the user sets up, by name."""
    return units_for(user, CHANNEL_ADMIN_ROLES)
