"""A story from its start (where to write it) to after approval (take
down, correct, its timeline). Thin views: the operations are in
workflows.services and workflows.writing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.models import Page

from newsroom.models import ArticlePage, Unit

from .. import services
from ..permissions import user_can_publish
from ..writing import sections_to_write_in


class StoryViewMixin(WagtailAdminTemplateMixin):
    header_icon = "doc-full-inverse"

    def dispatch(self, request, page_id, *args, **kwargs):

        self.page = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(self.page, ArticlePage):
            raise Http404
        response = self.check_permission()
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self):
        raise NotImplementedError

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return get_breadcrumbs_items_for_page(self.page, self.request.user) + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, edit_url=self.edit_url(), **kwargs)

    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kept in the story's record and sent to its authors. Readers only see that the story was removed."),
        error_messages={"required": gettext_lazy("Give the reason for taking this story down.")},
    )


class TakeDownView(StoryViewMixin, FormView):
    """Gỡ bài, for the unit's publishers (editor-in-chief and deputies)."""

    page_title = gettext_lazy("Take down")
    header_icon = "no-view"
    template_name = "workflows/stories/take_down.html"
    form_class = TakeDownForm

    def check_permission(self):
        if not user_can_publish(self.request.user, self.page):
            raise PermissionDenied
        if not self.page.live:
            messages.error(self.request, _("“%(title)s” is not on the site.") % {"title": self.page.get_admin_display_title()})
            return redirect(self.edit_url())
        if not services.can_take_down(self.request.user, self.page):
            raise PermissionDenied
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(public_url=self.page.full_url, **kwargs)

    def form_valid(self, form):
        try:
            services.take_down(self.page, self.request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(title)s” was taken down. Its address now tells readers the story was removed.")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect(self.edit_url())


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Correction note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown to readers under the story with today's date: what was wrong and what the story now says."),
        error_messages={"required": gettext_lazy("Write the correction note: what was wrong and what the story now says.")},
    )


class CorrectionView(StoryViewMixin, FormView):
    """Đính chính: a dated note to readers, through the unit's workflow
    (or published at once by those who may publish directly)."""

    page_title = gettext_lazy("Correct")
    header_icon = "warning"
    template_name = "workflows/stories/correct.html"
    form_class = CorrectionForm

    def check_permission(self):
        if not self.page.live:
            if not self.page.permissions_for_user(self.request.user).can_edit():
                raise PermissionDenied
            messages.error(self.request, _("Only a story on the site can be corrected; edit this one instead."))
            return redirect(self.edit_url())
        if not services.can_correct(self.request.user, self.page):
            raise PermissionDenied
        return None

    def get_context_data(self, **kwargs):
        perms = self.page.permissions_for_user(self.request.user)
        return super().get_context_data(
            publishes_at_once=perms.can_publish(),
            workflow=None if perms.can_publish() else self.page.get_workflow(),
            has_draft_changes=self.page.has_unpublished_changes,
            corrections=self.page.corrections.order_by("corrected_at", "pk"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            outcome = services.submit_correction(self.page, self.request.user, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("note", error.messages)
            return self.form_invalid(form)
        title = self.page.get_admin_display_title()
        if outcome == services.CorrectionOutcome.PUBLISHED:
            message = _("The correction to “%(title)s” is published.")
        elif outcome == services.CorrectionOutcome.IN_REVIEW:
            message = _("The correction to “%(title)s” joins the review already under way.")
        else:
            message = _("The correction to “%(title)s” was submitted for review.")
        messages.success(self.request, message % {"title": title})
        return redirect(self.edit_url())


class TimelineView(StoryViewMixin, TemplateView):
    """The story's record at a glance: every logged action in order, with
    who, when, the unit, reviewers' comments and checklist ticks."""

    page_title = gettext_lazy("Timeline")
    header_icon = "history"
    template_name = "workflows/stories/timeline.html"

    def check_permission(self):
        perms = self.page.permissions_for_user(self.request.user)
        if not (perms.can_edit() or perms.can_publish()):
            raise PermissionDenied
        return None

    def get_context_data(self, **kwargs):
        state = self.page.current_workflow_task_state
        return super().get_context_data(
            items=services.story_timeline(self.page),
            unit=Unit.objects.for_page(self.page),
            current_task_state=state,
            history_url=reverse("wagtailadmin_pages:history", args=[self.page.pk]),
            **kwargs,
        )


class WriteView(WagtailAdminTemplateMixin, TemplateView):
    """"Viết bài mới": straight to the editor when the person writes in one
    section, else the sections of their units to choose from."""

    template_name = "workflows/stories/write.html"
    page_title = gettext_lazy("Write a story")
    header_icon = "edit"

    def get(self, request, *args, **kwargs):
        self.sections = sections_to_write_in(request.user)
        if len(self.sections) == 1:
            return redirect(self.sections[0][2])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = self.sections
        return context


urlpatterns = [
    path("write/", WriteView.as_view(), name="hoitu_story_write"),
    path("<int:page_id>/take-down/", TakeDownView.as_view(), name="hoitu_story_take_down"),
    path("<int:page_id>/correct/", CorrectionView.as_view(), name="hoitu_story_correct"),
    path("<int:page_id>/timeline/", TimelineView.as_view(), name="hoitu_story_timeline"),
]
