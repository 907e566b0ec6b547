"""The partners' content API (IPTC ninjs) under /api/ninjs/."""

from django.urls import path, re_path

from . import views

app_name = "ninjs"
urlpatterns = [
    path("", views.ChangesView.as_view(), name="changes"),
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    re_path(r"^(?P<ref>[A-Za-z0-9:._-]{1,200})/$", views.StoryView.as_view(), name="story"),
    re_path(r"^.*$", views.not_found),
]
