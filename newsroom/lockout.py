"""Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failed sign-ins for
one account, or from one address, lock it for AXES_COOLOFF_TIME. Axes
counts and refuses (the address read by `audit.recorder.client_address`);
this module tells what a locked-out person sees."""

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def cooloff_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lock_duration():
    """AXES_COOLOFF_TIME in words, in its largest whole unit (level 3 locks
    for 12 hours to 30 days; Django's timesince has no Vietnamese for it)."""
    minutes = cooloff_seconds() // 60
    if minutes and minutes % (24 * 60) == 0:
        return ngettext("%(count)d day", "%(count)d days", minutes // (24 * 60)) % {"count": minutes // (24 * 60)}
    if minutes and minutes % 60 == 0:
        return ngettext("%(count)d hour", "%(count)d hours", minutes // 60) % {"count": minutes // 60}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def lockout_message():
    # The same words whether the account exists or not, and whether the
    # account or the address is locked: nothing to learn from them.
    return _(
        "Too many failed sign-ins with this account or from this address. "
        "Signing in is locked for %(duration)s; try again later or ask an administrator to unlock it."
    ) % {"duration": lock_duration()}


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again (Wagtail's, or any form
    view's) with the lockout message as its only error, status 429."""
    message = lockout_message()
    headers = {"Retry-After": str(cooloff_seconds())}
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None or not form.is_bound:
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8", headers=headers)
    form.errors.clear()
    form.add_error(None, message)
    # Rendered here: axes' middleware runs after Django renders responses.
    return TemplateResponse(request, original_response.template_name, context, status=429, headers=headers).render()
