"""Sign-in sessions: a person's list (browser and device, address, signed
in, last seen) with "end this session" and "sign out everywhere"; and the
idle-timeout warning's check and keep-alive."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_user_display_name

from ..sessions import (
    background_request,
    end_session,
    end_sessions,
    may_manage_sessions,
    public_id,
    record_activity,
    seconds_left,
    sessions_of,
)


def _person(request, user_id):
    if user_id is None:
        return request.user
    person = get_object_or_404(get_user_model(), pk=user_id)
    if not may_manage_sessions(request.user, person):
        # Someone else's people do not exist for this user.
        raise Http404
    return person


def _list_url(request, person):
    if person.pk == request.user.pk:
        return reverse("workflows_sessions:index")
    return reverse("workflows_sessions:person", args=[person.pk])


def index(request, user_id=None):
    person = _person(request, user_id)
    current = request.session.session_key
    rows = [
        {"id": public_id(session), "session": session, "current": session.session_key == current}
        for session in sessions_of(person)
    ]
    own = person.pk == request.user.pk
    return TemplateResponse(
        request,
        "workflows/sessions/index.html",
        {
            "page_title": _("Sign-in sessions"),
            "page_subtitle": "" if own else get_user_display_name(person),
            "header_icon": "key",
            "person": person,
            "own": own,
            "rows": rows,
            "end_url": reverse("workflows_sessions:end", args=[person.pk]),
            "end_all_url": reverse("workflows_sessions:end_all", args=[person.pk]),
        },
    )


@require_POST
def end(request, user_id):
    person = _person(request, user_id)
    chosen = request.POST.get("session", "")
    session = next((s for s in sessions_of(person) if public_id(s) == chosen), None)
    if session is None:
        messages.error(request, _("This session has already ended."))
        return redirect(_list_url(request, person))
    is_current = session.session_key == request.session.session_key
    end_session(request.user, person, session)
    if is_current:
        logout(request)
        return redirect("wagtailadmin_login")
    messages.success(request, _("The session was ended."))
    return redirect(_list_url(request, person))


@require_POST
def end_all(request, user_id):
    person = _person(request, user_id)
    own = person.pk == request.user.pk
    include_this = own and request.POST.get("include_this") == "1"
    keep = request.session.session_key if own and not include_this else None
    count = end_sessions(request.user, person, keep_key=keep)
    if include_this:
        logout(request)
        return redirect("wagtailadmin_login")
    messages.success(request, _("%(count)s sessions were ended.") % {"count": count})
    return redirect(_list_url(request, person))


@background_request
def status(request):
    """How long the session has left; asked by the warning, not activity."""
    return JsonResponse({"seconds_left": seconds_left(request)})


@require_POST
def keep_alive(request):
    """"Keep working": activity, recorded whenever it comes."""
    record_activity(request)
    return JsonResponse({"seconds_left": seconds_left(request)})


urlpatterns = [
    path("", index, name="index"),
    path("person/<int:user_id>/", index, name="person"),
    path("person/<int:user_id>/end/", end, name="end"),
    path("person/<int:user_id>/end-all/", end_all, name="end_all"),
    path("status/", status, name="status"),
    path("keep-alive/", keep_alive, name="keep_alive"),
]
