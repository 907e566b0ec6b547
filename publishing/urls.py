"""Public and partner-facing addresses of the publishing app, matched before
Wagtail's page tree."""

from django.urls import include, path

from .views import newsletter, podcast

urlpatterns = [
    path("api/ninjs/", include("publishing.api.urls")),
    path("podcast.xml", podcast.podcast_feed, name="podcast_feed"),
    path("newsletter/", include((newsletter.urlpatterns, "newsletter"))),
]
