"""Readers' addresses, matched before Wagtail's page tree."""

from django.urls import include, path

from .views import readers as views

urlpatterns = [path("", include((views.urlpatterns, "reader_comments")))]
