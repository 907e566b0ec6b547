"""Admin hooks: a unit's newsletter subscribers and issues, for the people
who run its distribution (Publishing menu). They see their units' readers
and may remove one who asks; nobody adds or edits a subscription here: it
is the reader's own, confirmed from their mailbox (double opt-in). Issues
are a read-only record: when each went out, to how many, what failed."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from workflows.membership import membership
from workflows.permission_policies import UnitScopedPermissionPolicy, UnitScopedViewSetMixin

from ..models.newsletters import NewsletterIssue, Subscriber
from ..newsletters.personal_data import erase_subscriber
from ..permissions import DELIVERY_ROLES, delivery_units
from ..views import reader_data


class StatusColumn(Column):
    def get_value(self, instance):
        if instance.unsubscribed_at:
            return _("Unsubscribed")
        return _("Subscribed") if instance.confirmed_at else _("Waiting for confirmation")


class SubscriberIndexView(IndexView):
    def get_base_queryset(self):
        return Subscriber.objects.filter(unit__in=delivery_units(self.request.user)).select_related("unit")


class SubscriberDeleteView(DeleteView):
    def delete_action(self):
        # An erasure: the address must not stay in the logs or the audit trail.
        erase_subscriber(self.object, self.request.user)


class SubscriberViewSet(UnitScopedViewSetMixin, ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Newsletter subscribers")
    name = "newsletter_subscribers"
    index_view_class = SubscriberIndexView
    delete_view_class = SubscriberDeleteView
    menu_hook = "register_publishing_menu_item"
    menu_order = 400
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "email",
        Column("unit", label=_("Unit"), accessor="unit"),
        StatusColumn("status", label=_("State")),
        DateColumn("created_at", label=_("Subscribed")),
        DateColumn("confirmed_at", label=_("Confirmed")),
    ]
    search_fields = ["email"]
    form_fields = ["email"]
    list_export = ["email", "unit", "created_at", "confirmed_at", "unsubscribed_at"]


subscriber_viewset = SubscriberViewSet()
register_permission_policy(Subscriber, UnitScopedPermissionPolicy(Subscriber, {"view", "delete"}, DELIVERY_ROLES, "unit"))


class IssueStateColumn(Column):
    def get_value(self, instance):
        text = instance.get_state_display()
        return f"{text}: {instance.error}" if instance.error else text


class IssueIndexView(IndexView):
    def get_base_queryset(self):
        return NewsletterIssue.objects.filter(channel__unit__in=delivery_units(self.request.user)).select_related("channel__unit")


class IssueViewSet(UnitScopedViewSetMixin, ModelViewSet):
    model = NewsletterIssue
    icon = "mail"
    menu_label = _("Newsletter issues")
    name = "newsletter_issues"
    index_view_class = IssueIndexView
    menu_hook = "register_publishing_menu_item"
    menu_order = 410
    copy_view_enabled = False
    list_display = [
        DateColumn("scheduled_for", label=_("Scheduled for")),
        Column("channel", label=_("Channel"), accessor="channel"),
        "subject",
        IssueStateColumn("state", label=_("State")),
        Column("recipients", label=_("Recipients")),
        Column("failures", label=_("Addresses refused")),
    ]
    search_fields = ["subject"]
    form_fields = ["subject"]


issue_viewset = IssueViewSet()
register_permission_policy(NewsletterIssue, UnitScopedPermissionPolicy(NewsletterIssue, {"view"}, DELIVERY_ROLES, "channel__unit"))


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return [subscriber_viewset, issue_viewset]



class ReaderDataMenuItem(MenuItem):
    def is_shown(self, request):
        return membership(request.user).holds_any(DELIVERY_ROLES)


@hooks.register("register_admin_urls")
def register_reader_data_urls():
    return [path("publishing/reader-data/", include((reader_data.urlpatterns, "publishing_reader_data"), namespace="publishing_reader_data"))]


@hooks.register("register_publishing_menu_item")
def register_reader_data_menu_item():
    return ReaderDataMenuItem(_("Readers' data requests"), reverse("publishing_reader_data:requests"), name="reader-data", icon_name="user", order=420)


@hooks.register("register_log_actions")
def register_reader_data_log_actions(actions):
    actions.register_action("hoitu.subscriber_erased", _("Reader's data erased"), _("A newsletter reader's subscription erased at their request"))
