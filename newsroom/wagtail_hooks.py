from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.api.actions.publish import PublishPageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.staticfiles import versioned_static
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from assets import rights

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "job_title", "user"]
    # The search goes through the model's index (name and its ASCII fold).


register_snippet(AuthorViewSet)


# A password an administrator chose in Wagtail's user screens is theirs to
# know: its owner chooses their own at the next sign-in.
@hooks.register("after_create_user")
def password_chosen_on_create(request, user):
    _flag_password_set_by_administrator(user)


@hooks.register("after_edit_user")
def password_chosen_on_edit(request, user):
    if request.POST.get("password1") and user.pk != request.user.pk:
        _flag_password_set_by_administrator(user)


def _flag_password_set_by_administrator(user):
    if user.has_usable_password():
        type(user).objects.filter(pk=user.pk).update(must_change_password=True)


@hooks.register("before_publish_page")
def refuse_items_without_rights(request, page):
    """The editor's Publish (new story or edit), after the draft is saved:
    refused, with the reason, when the story shows an archive item under
    embargo or past its licence; what they wrote stays as the draft."""
    refusals = getattr(page.specific, "rights_refusals", None)
    reasons = refusals() if refusals else []
    if not reasons:
        return None
    messages.error(request, rights.refusal_message(reasons))
    return redirect("wagtailadmin_pages:edit", page.pk)


class PublishWithRightsAPIAction(PublishPageAPIAction):
    def execute(self, instance, data):
        story = instance.specific.get_latest_revision_as_object()
        reasons = story.rights_refusals() if hasattr(story, "rights_refusals") else []
        if reasons:
            raise ValidationError({"rights": [str(reason) for reason in reasons]})
        return super().execute(instance, data)


class PagesAdminAPIWithRights(PagesAdminAPIViewSet):
    actions = {**PagesAdminAPIViewSet.actions, "publish": PublishWithRightsAPIAction}


@hooks.register("construct_admin_api")
def check_rights_in_the_admin_api(router):
    # The admin's own API publishes without ArticlePage.publish: same rule.
    router.register_endpoint("pages", PagesAdminAPIWithRights)


@hooks.register("insert_editor_js")
def fold_vietnamese_in_slugs():
    # The page editor's slug from the headline, folded as the server folds.
    return format_html('<script src="{}"></script>', versioned_static("newsroom/slug.js"))


@hooks.register("insert_editor_js")
def time_stories_as_the_site_does():
    # The checks panel's reading time by the site's rule for Vietnamese.
    return format_html('<script src="{}"></script>', versioned_static("newsroom/story-metrics.js"))


@hooks.register("register_log_actions")
def register_home_page_log_actions(actions):
    actions.register_action("hoitu.home.place", _("Place on the home page"), _("Placed on the home page"))
    actions.register_action("hoitu.home.take_off", _("Take off the home page"), _("Taken off the home page"))
    actions.register_action("hoitu.home.move", _("Move on the home page"), _("Moved on the home page"))
