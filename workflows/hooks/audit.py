"""Admin hooks: the audit trail (Settings menu), read-only. System
administrators read every event; a unit administrator reads the events of
their units, in the listing and in its CSV/Excel export."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from audit.actions import action_choices, action_label
from audit.models import AuditEvent

from ..membership import membership, units_for
from ..permission_policies import UnitScopedPermissionPolicy, UnitScopedViewSetMixin
from ..permissions import AUDIT_TRAIL_ROLES


class AuditTrailPermissionPolicy(UnitScopedPermissionPolicy):
    """Read only. Events of no unit (a sign-in failure for a name nobody
    has, a system-wide group) are the system administrators' alone."""

    def __init__(self):
        super().__init__(AuditEvent, {"view"}, AUDIT_TRAIL_ROLES, unit_path="unit_id")

    def instances_user_has_any_permission_for(self, user, actions):
        if not (set(actions) & self.actions) or not user.is_active:
            return self.model.objects.none()
        if membership(user).superuser:
            return self.model.objects.all()
        return self.model.objects.filter(unit_id__in=[unit.pk for unit in units_for(user, self.roles)])


policy = AuditTrailPermissionPolicy()
register_permission_policy(AuditEvent, policy)


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices)
    actor_username = django_filters.CharFilter(label=_("Account"), lookup_expr="iexact")
    unit_slug = django_filters.ChoiceFilter(label=_("Unit"))
    at = django_filters.DateFromToRangeFilter(label=_("Time"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit_slug"].extra["choices"] = [(unit.slug, unit.name) for unit in units_for(request.user, AUDIT_TRAIL_ROLES)]


class ActionColumn(Column):
    def get_value(self, instance):
        return action_label(instance.action)


class ObjectColumn(Column):
    def get_value(self, instance):
        return f"{instance.object_label} ({instance.object_type} {instance.object_id})" if instance.object_type else ""


class AuditEventIndexView(IndexView):
    def get_base_queryset(self):
        return policy.instances_user_has_any_permission_for(self.request.user, {"view"})


class AuditEventViewSet(UnitScopedViewSetMixin, ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit trail")
    name = "audit_trail"
    add_to_settings_menu = True
    menu_order = 900
    index_view_class = AuditEventIndexView
    filterset_class = AuditEventFilterSet
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        DateColumn("at", label=_("Time")),
        Column("actor_username", label=_("Account")),
        Column("unit_slug", label=_("Unit")),
        ActionColumn("action", label=_("Action")),
        ObjectColumn("object", label=_("Object")),
        Column("source_address", label=_("Source address")),
    ]
    list_per_page = 50
    search_fields = ["actor_username", "action", "object_label", "source_address", "user_agent"]
    list_export = [
        "id", "at", "actor_username", "unit_slug", "action", "object_type", "object_id", "object_label",
        "source_address", "user_agent", "extra", "previous_hash", "hash",
    ]
    export_filename = "nhat-ky-kiem-toan"
    # Nothing here changes an event (the model refuses anyway).
    form_fields = ["action"]
    inspect_view_fields = list_export


audit_trail_viewset = AuditEventViewSet()


@hooks.register("register_admin_viewset")
def register_audit_trail_viewset():
    return audit_trail_viewset
