"""Admin hooks: the story editor's live delivery status (its JSON address)."""

from django.urls import include, path
from wagtail import hooks

from ..views import story as views


@hooks.register("register_admin_urls")
def register_story_urls():
    return [path("publishing/story/", include((views.urlpatterns, "publishing_story"), namespace="publishing_story"))]
