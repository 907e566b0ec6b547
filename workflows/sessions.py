"""Sign-in sessions: the idle timeout, the absolute lifetime, and who may
see and end whose sessions.

A session's last activity is kept in the session itself, rewritten at most
every ACTIVITY_WRITE_SECONDS (the session is saved only when it changes).
Requests the browser makes by itself (Wagtail's editing-session pings, the
channel status poll, the timeout warning's own check) are not activity, so
an open editor left alone still times out. An autosave is: it follows the
reporter's typing. An autosave arriving after the timeout is saved as a
draft revision before the sign-out, so nothing typed is lost, and answered
401 in JSON."""

import hashlib
import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from qsessions.models import Session
from wagtail.log_actions import log

from .membership import membership
from .models.roles import Role

LAST_ACTIVITY = "hoitu_last_activity"
SIGNED_IN_AT = "hoitu_signed_in_at"
ACTIVITY_WRITE_SECONDS = 30
# Wagtail's own background requests, by URL namespace.
BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}


def background_request(view):
    """Marks a view the browser calls by itself (a poll): it does not keep an
    idle session alive."""
    view.background_request = True
    return view


def idle_minutes(user):
    if membership(user).superuser:
        return settings.SESSION_IDLE_MINUTES_SYSTEM_ADMIN
    return settings.SESSION_IDLE_MINUTES


def seconds_left(request):
    """Seconds before the session ends for idleness (never below 0)."""
    last = request.session.get(LAST_ACTIVITY, time.time())
    return max(0, int(last + idle_minutes(request.user) * 60 - time.time()))


def record_activity(request):
    """Now is the session's last activity, however recently the last one
    was recorded: "keep working" must restart the clock even when the
    warning shows soon after a page (a limit of two minutes or less)."""
    request.session[LAST_ACTIVITY] = time.time()


def start_session(sender, request, user, **kwargs):
    """At sign-in (Django's login() has just given the session a new key).
    The session's own expiry moves with each save (and Wagtail's "remember
    me" sets it after this), so the sign-in time is kept to end the session
    SESSION_COOKIE_AGE after it, however busy."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = request.session[LAST_ACTIVITY] = time.time()


def _is_draft_autosave(request, match):
    return (
        request.method == "POST"
        and match.namespace == "wagtailadmin_pages"
        and match.url_name == "edit"
        and not request.accepts("text/html")
        and not any(name.startswith("action-") for name in request.POST)
    )


def _expired_message(request):
    return _("Your session ended after %(minutes)s minutes without activity. Please sign in again.") % {
        "minutes": idle_minutes(request.user)
    }


def _too_long_message():
    return _("You have been signed in for the longest time allowed (%(hours)s hours). Please sign in again.") % {
        "hours": f"{settings.SESSION_COOKIE_AGE / 3600:g}"
    }


class IdleTimeoutMiddleware:
    """Signs out a session idle for longer than the user's limit: an admin
    page goes to the sign-in with a message, a JSON request gets 401, the
    public site carries on signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "wagtailadmin_logout" and request.method == "POST":
            # Signing out takes away what the browser kept for the editor
            # offline (its pages in the cache, drafts not yet saved): the
            # next person at this computer finds none of it.
            response["Clear-Site-Data"] = '"cache", "storage"'
        expired_autosave = getattr(request, "_hoitu_expired_autosave", None)
        if expired_autosave is None:
            return response
        saved = {}
        if response.get("Content-Type", "").startswith("application/json"):
            saved = json.loads(response.content)
        logout(request)
        return JsonResponse(
            {
                "success": False,
                "error_code": "session_expired",
                "error_message": expired_autosave,
                "draft_saved": bool(saved.get("success")),
                "revision_id": saved.get("revision_id"),
                "login_url": reverse("wagtailadmin_login"),
            },
            status=401,
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or hasattr(request, "staff_token"):  # a token has no session
            return None
        match = request.resolver_match
        now = time.time()
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - last > idle_minutes(request.user) * 60:
            return self._expire(request, match, _expired_message(request))
        if now - request.session.get(SIGNED_IN_AT, now) > settings.SESSION_COOKIE_AGE:
            return self._expire(request, match, _too_long_message())
        background = getattr(view_func, "background_request", False) or match.namespace in BACKGROUND_NAMESPACES
        if last is None or (not background and now - last >= ACTIVITY_WRITE_SECONDS):
            request.session[LAST_ACTIVITY] = now
        return None

    def _expire(self, request, match, message):
        if _is_draft_autosave(request, match):
            # The view saves the draft as the signed-in author; __call__
            # signs out afterwards.
            request._hoitu_expired_autosave = message
            return None
        logout(request)
        if not request.accepts("text/html"):
            # The warning's script takes the page to the sign-in, which
            # tells why.
            messages.warning(request, message)
            return JsonResponse({"error": message, "login_url": reverse("wagtailadmin_login")}, status=401)
        if match.route.startswith("admin/"):
            messages.warning(request, message)
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return None


# The session list ----------------------------------------------------------


def public_id(session):
    """Names a session in pages and forms without its key, which is the
    cookie's secret."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{session.session_key}".encode()).hexdigest()[:32]


def sessions_of(person):
    return list(Session.objects.filter(user=person, expire_date__gt=timezone.now()).order_by("-updated_at"))


def may_manage_sessions(actor, person):
    """The person themself, a system administrator, or an administrator of
    a unit the person works for (never of a system administrator)."""
    if actor.pk == person.pk:
        return True
    acting = membership(actor)
    if acting.superuser:
        return True
    target = membership(person)
    if target.superuser:
        return False
    administered = {pk for pk, roles in acting.roles.items() if Role.UNIT_ADMIN in roles}
    return bool(administered & target.unit_ids)


def _describe(session):
    return {"address": session.ip or "", "device": session.device}


def end_session(actor, person, session):
    session.delete()
    log(instance=person, action="hoitu.session.end", user=actor, data=_describe(session))


def end_sessions(actor, person, keep_key=None):
    """Ends every session of ``person`` but ``keep_key``'s; returns how many."""
    ended = [session for session in sessions_of(person) if session.session_key != keep_key]
    Session.objects.filter(pk__in=[session.pk for session in ended]).delete()
    log(instance=person, action="hoitu.session.end_all", user=actor, data={"count": len(ended)})
    return len(ended)
