"""Wagtail permission policies scoped by unit, for the admin's viewsets:
a person acts on the rows of the units where they hold one of the given
roles, and nothing else exists for them (listings, choosers, bulk actions
and history all ask the policy)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies.base import BasePermissionPolicy

from .membership import membership, units_for


class UnitScopedPermissionPolicy(BasePermissionPolicy):
    """``actions`` on the rows of the units where the user holds one of
    ``roles``; ``unit_path`` leads from a row to its unit (``"unit"``,
    ``"channel__unit"``)."""

    def __init__(self, model, actions, roles, unit_path="unit"):
        super().__init__(model)
        self.actions = set(actions)
        self.roles = tuple(roles)
        self.unit_path = unit_path

    def _unit(self, instance):
        for name in self.unit_path.split("__"):
            instance = getattr(instance, name)
        return instance

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and membership(user).holds_any(self.roles)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and user.is_active and membership(user).has_role(self._unit(instance), *self.roles)

    def instances_user_has_any_permission_for(self, user, actions):
        if not (set(actions) & self.actions) or not user.is_active:
            return self.model.objects.none()
        return self.model.objects.filter(**{f"{self.unit_path}__in": units_for(user, self.roles)})

    def users_with_any_permission(self, actions):
        # Per unit: whether a person may is answered row by row above.
        return get_user_model().objects.none()
