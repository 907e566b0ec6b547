"""Readers' comment pages on each unit's site: a story's approved comments
and the form to send one. The form is also on the story's page, which is
cached for every reader and so carries no CSRF token: a comment is taken
only from a page of the same site (the browser's Origin, or Referer, says
which), and never gives a reader anything but a place in the queue."""

from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import CommentForm

PER_PAGE = 50


def _same_site(request):
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(source) and source != "null" and urlsplit(source).netloc == request.get_host()


def _story(request, story_id):
    unit = getattr(request, "unit", None)
    story = services.commentable_story(story_id, unit) if unit is not None else None
    if story is None or not services.is_open(unit):
        raise Http404(_("Comments on this story are not open."))
    return unit, story


def _page(request, unit, story, form, status=200, problem=None, sent=False):
    page = Paginator(services.approved(story), PER_PAGE).get_page(request.GET.get("page"))
    context = {"unit": unit, "story": story, "form": form, "comments": page, "count": page.paginator.count, "problem": problem, "sent": sent}
    return render(request, "reader_comments/story_comments.html", context, status=status)


def _sent(story):
    """After a post, the thread page saying the comment waits (a reload
    does not send it again)."""
    response = HttpResponseRedirect(reverse("reader_comments:story", args=[story.pk]) + "?da-gui=1#binh-luan")
    response.status_code = 303
    return response


@never_cache
@csrf_exempt  # see the module's docstring: _same_site stands in for the token
@require_http_methods(["GET", "HEAD", "POST"])
def story_comments(request, story_id):
    unit, story = _story(request, story_id)
    if request.method != "POST":
        return _page(request, unit, story, CommentForm(), sent=request.GET.get("da-gui") == "1")
    form = CommentForm(request.POST)
    if not _same_site(request):
        return _page(request, unit, story, form, status=403, problem=_("A comment is sent from the story's page on this site."))
    if form.from_robot:
        return _sent(story)
    if not form.is_valid():
        return _page(request, unit, story, form, status=400)
    try:
        services.post(story, unit, form.cleaned_data["name"], form.cleaned_data["text"], services.reader_key(request))
    except services.Refused as refusal:
        return _page(request, unit, story, form, status=refusal.status, problem=refusal.message)
    return _sent(story)


urlpatterns = [path("binh-luan/<int:story_id>/", story_comments, name="story")]
