"""Wagtail permission policies scoped by unit, for the admin's viewsets:
a person acts on the rows of the units where they hold one of the given
roles, and nothing else exists for them (listings, choosers, bulk actions
and history all ask the policy; the object views find their row among the
policy's, ``UnitScopedViewSetMixin``)."""

from django.contrib.auth import get_user_model
from django.http import Http404
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


class UnitScopedObjectMixin:
    """An object view (edit, delete, history, usage, inspect) for which
    another unit's row does not exist: Wagtail's history and delete views,
    for two, read the row and show its name before any permission check on
    the row itself."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if not policy.user_has_any_permission_for_instance(self.request.user, policy.actions, instance):
            raise Http404
        return instance


OBJECT_VIEWS = ("edit_view_class", "delete_view_class", "history_view_class", "usage_view_class", "inspect_view_class", "copy_view_class")


class UnitScopedViewSetMixin:
    """For a ``ModelViewSet`` whose model has a ``UnitScopedPermissionPolicy``:
    another unit's row answers 404 in every object view."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in OBJECT_VIEWS:
            view_class = getattr(self, name, None)
            if view_class is not None and not issubclass(view_class, UnitScopedObjectMixin):
                setattr(self, name, type(f"UnitScoped{view_class.__name__}", (UnitScopedObjectMixin, view_class), {}))
