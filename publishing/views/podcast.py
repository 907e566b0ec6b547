"""Podcast RSS of a unit (iTunes tags, enclosures)."""

from django.http import Http404


def podcast_feed(request):
    raise Http404
