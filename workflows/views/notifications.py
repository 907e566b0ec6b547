"""The user's own notifications: a paginated list (newest first, unread in
bold), "mark all read", and opening one (marks it read, then goes to what
it is about)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import BaseListingView

from ..models import Notification
from ..notifications import mark_all_read, open_notification


class MessageColumn(TitleColumn):
    cell_template_name = "workflows/notifications/message_cell.html"


class NotificationIndexView(BaseListingView):
    template_name = "workflows/notifications/index.html"
    page_title = gettext_lazy("Notifications")
    header_icon = "mail"
    index_url_name = "workflows_notifications:index"
    index_results_url_name = "workflows_notifications:index_results"
    paginate_by = 30
    verbose_name = gettext_lazy("notification")
    verbose_name_plural = gettext_lazy("notifications")
    columns = [
        MessageColumn("message", label=gettext_lazy("Notification"), get_url=lambda n: reverse("workflows_notifications:open", args=[n.pk])),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", width="15%"),
        Column("actor", label=gettext_lazy("Sender"), accessor=lambda n: get_user_display_name(n.actor) if n.actor else "", width="15%"),
        Column("unit", label=gettext_lazy("Unit"), accessor="unit.name", width="15%"),
        DateColumn("created_at", label=gettext_lazy("When"), width="12%"),
    ]

    def get_base_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).select_related("actor", "unit").order_by("-created_at", "-pk")

    @property
    def no_results_message(self):
        return _("No notifications yet. You will hear here when a story of yours moves on, or when you are assigned work.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_unread"] = Notification.objects.unread().filter(recipient=self.request.user).exists()
        return context


index = NotificationIndexView.as_view()
index_results = NotificationIndexView.as_view(results_only=True)


def open_view(request, pk):
    try:
        notification = open_notification(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404(_("No such notification.")) from None
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect("workflows_notifications:index")
    return redirect(target)


@require_POST
def mark_all_read_view(request):
    count = mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("workflows_notifications:index")


urlpatterns = [
    path("", index, name="index"),
    path("results/", index_results, name="index_results"),
    path("read-all/", mark_all_read_view, name="mark_all_read"),
    path("<int:pk>/open/", open_view, name="open"),
]
