"""The moderation queue (kiểm duyệt bình luận): a unit's readers' comments
as the people who review its stories see them. They approve, reject or
stop a reader, one comment or every ticked one at once; the unit's senior
editors open and close comments on its site."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from workflows.membership import resolve_unit

from .. import services
from ..models import CommentState, ReaderComment

PER_PAGE = 50
STATES = [
    (CommentState.PENDING, CommentState.PENDING.label),
    (CommentState.APPROVED, gettext_lazy("Shown")),
    (CommentState.REJECTED, CommentState.REJECTED.label),
]
STOPPED = "stopped"


class ModerationView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reader_comments/moderation.html"
    page_title = gettext_lazy("Reader comments")
    header_icon = "comment"

    def dispatch(self, request, unit_slug=None):
        self.unit, self.units = resolve_unit(request, unit_slug, services.MODERATORS)
        self.state = request.GET.get("state", CommentState.PENDING)
        if self.state not in {*CommentState.values, STOPPED}:
            self.state = CommentState.PENDING
        story = request.GET.get("story", "")
        self.story_id = int(story) if story.isdigit() else None
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.unit.name

    def _here(self, **changes):
        query = {"state": self.state, "story": self.story_id or "", **changes}
        return reverse("reader_comments_moderation", args=[self.unit.slug]) + "?" + urlencode({k: v for k, v in query.items() if v})

    def post(self, request, unit_slug=None):
        action = request.POST.get("action", "")
        user = request.user
        if action in ("open", "close"):
            if not services.may_switch(user, self.unit):
                raise PermissionDenied
            services.set_open(self.unit, action == "open", user)
            messages.success(request, _("Readers may now comment on the site.") if action == "open" else _("Comments are now closed on the site."))
        elif action == "lift":
            chosen = request.POST.get("stopped", "")
            stopped = get_object_or_404(services.stopped_readers(self.unit), pk=int(chosen) if chosen.isdigit() else 0)
            services.lift(stopped, user)
            messages.success(request, _("%(name)s may comment again.") % {"name": stopped.name})
        elif action in ("approve", "reject", "stop"):
            ids = [int(i) for i in request.POST.getlist("comment") if i.isdigit()]
            # Only what this person moderates in this unit: another id is not there.
            chosen = list(ReaderComment.objects.filter(services.moderated_q(user), unit=self.unit, pk__in=ids).select_related("unit"))
            if not chosen:
                messages.warning(request, _("Tick the comments first."))
            elif action == "stop":
                for comment in chosen:
                    services.stop_reader(comment, user)
                messages.success(request, ngettext("%(count)d reader stopped.", "%(count)d readers stopped.", len(chosen)) % {"count": len(chosen)})
            else:
                changed = (services.approve if action == "approve" else services.reject)(chosen, user)
                text = (
                    ngettext("%(count)d comment approved: readers see it.", "%(count)d comments approved: readers see them.", changed)
                    if action == "approve"
                    else ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", changed)
                )
                messages.success(request, text % {"count": changed})
        return redirect(self._here(p=request.GET.get("p", "")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = services.waiting_counts(self.request.user, self.unit)
        story = next(((pk, title) for pk, title, _count in waiting if pk == self.story_id), None)
        if self.state == STOPPED:
            rows = Paginator(services.stopped_readers(self.unit), PER_PAGE).get_page(self.request.GET.get("p"))
        else:
            comments = services.queue(self.request.user, self.unit, self.state, story=self.story_id)
            rows = Paginator(comments, PER_PAGE).get_page(self.request.GET.get("p"))
        tabs = [(value, label, self._here(state=value, story="", p="")) for value, label in STATES]
        tabs.append((STOPPED, _("Stopped readers"), self._here(state=STOPPED, story="", p="")))
        context.update(
            unit=self.unit,
            units=self.units,
            state=self.state,
            tabs=tabs,
            rows=rows,
            waiting=waiting,
            waiting_total=sum(count for _pk, _title, count in waiting),
            story_filter=story,
            is_open=services.is_open(self.unit),
            may_switch=services.may_switch(self.request.user, self.unit),
            stop_days=settings.READER_COMMENTS_STOP_DAYS,
            here=self._here(p=self.request.GET.get("p", "")),
            all_stories=self._here(story="", p=""),
        )
        return context


urlpatterns = [
    path("", ModerationView.as_view(), name="reader_comments_moderation_home"),
    path("<slug:unit_slug>/", ModerationView.as_view(), name="reader_comments_moderation"),
]
