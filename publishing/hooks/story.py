"""Admin hooks: the story editor's "Channels" tab and its live delivery
status (the JSON address the tab polls)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList

from ..panels import channel_panels
from ..views import story as views


@hooks.register("register_admin_urls")
def register_story_urls():
    return [path("publishing/story/", include((views.urlpatterns, "publishing_story"), namespace="publishing_story"))]


@hooks.register("register_story_editor_tabs")
def register_channels_tab():
    # Where the story goes besides the site, and how it looks there.
    return [ObjectList(channel_panels(), heading=_("Channels"))]
