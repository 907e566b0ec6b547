"""The partners' content API: the changes feed (GET /api/ninjs/?since=) and
one story (GET /api/ninjs/<uri or id>/), as IPTC ninjs 3.1.

The feed lists each changed story once, in the order of its latest change
(``StoryEvent`` ids), with the state it has now: a taken-down story is
``pubStatus: canceled``, and one deleted (or moved out of the partner's
sections) a minimal canceled item (its ``uri``, ``pubStatus`` and the time
it left). ``next`` is the id of the last change listed:
passing it as ``since`` gives what changed after, with no story missed and
none repeated unless it changed again.

Errors are JSON (``{"error": {"code", "message"}}``), never HTML; responses
are never cached by the page cache (``Cache-Control: no-store``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page

from newsroom.lockout import TokenLockout
from newsroom.models import ArticlePage

from .. import ninjs
from ..models import StoryEvent
from .auth import IsPartner, PartnerTokenAuthentication
from .openapi import document
from .throttling import AddressRateThrottle, PartnerRateThrottle

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class ApiError(exceptions.APIException):
    def __init__(self, status_code, code, message):
        super().__init__(message, code)
        self.status_code = status_code


def error_response(status_code, code, message, headers=None):
    response = Response({"error": {"code": code, "message": str(message)}}, status=status_code, headers=headers)
    return response


class AddressLocked(exceptions.APIException):
    """Too many wrong tokens from the address (TokenLockout); which ones
    were near a real token is never said."""

    status_code = 429

    def __init__(self, wait):
        super().__init__()
        self.wait = wait


class NinjsView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]
    throttle_classes = [PartnerRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = []

    def initial(self, request, *args, **kwargs):
        # Before the token is looked at, so that guessing tokens is limited too.
        address = AddressRateThrottle()
        if not address.allow_request(request, self):
            self.throttled(request, address.wait())
        locked_for = TokenLockout.of(request).retry_after()
        if locked_for is not None:
            raise AddressLocked(locked_for)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            code = exc.get_codes() if isinstance(exc.get_codes(), str) else "invalid_token"
            if isinstance(exc, exceptions.NotAuthenticated):
                code, message = "not_authenticated", _("Send the partner token as “Authorization: Bearer <token>”.")
            else:
                message = exc.detail
            return error_response(401, code, message, headers={"WWW-Authenticate": PartnerTokenAuthentication().authenticate_header(self.request)})
        if isinstance(exc, AddressLocked):
            message = _("Too many invalid tokens from this address: try again later.")
            return error_response(429, "address_locked", message, headers={"Retry-After": str(exc.wait)})
        if isinstance(exc, exceptions.Throttled):
            headers = {"Retry-After": str(int(exc.wait))} if exc.wait is not None else None
            return error_response(429, "throttled", _("Too many requests: slow down and try again later."), headers=headers)
        if isinstance(exc, exceptions.MethodNotAllowed):
            return error_response(405, "method_not_allowed", _("Only GET is supported."), headers={"Allow": "GET, HEAD, OPTIONS"})
        if isinstance(exc, ApiError):
            return error_response(exc.status_code, exc.get_codes(), exc.detail)
        if isinstance(exc, exceptions.APIException):
            code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
            return error_response(exc.status_code, code, exc.detail if isinstance(exc.detail, str) else _("Bad request."))
        logger.exception("content API error")
        return error_response(500, "server_error", _("Something went wrong on our side; try again later."))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Each partner sees its own selection: never let a cache share it.
        response["Cache-Control"] = "no-store"
        response["Vary"] = "Authorization"
        return response

    # --- the partner's scope ----------------------------------------------
    def scope(self):
        partner = self.request.auth
        if not hasattr(self, "_scope"):
            units = list(partner.units.select_related("site__root_page"))
            sections = dict(partner.sections.values_list("pk", "path"))
            self._scope = (units, sections)
        return self._scope


class ChangesView(NinjsView):
    def get(self, request):
        units, sections = self.scope()
        since = _cursor(request.query_params.get("since"))
        limit = _limit(request.query_params.get("limit"))
        unit_ids = [unit.pk for unit in units]
        code = request.query_params.get("unit")
        if code:
            unit_ids = [unit.pk for unit in units if unit.slug == code]
            if not unit_ids:
                raise ApiError(400, "unknown_unit", _("No unit “%(code)s” is granted to this partner.") % {"code": code[:40]})
        events = StoryEvent.objects.filter(unit_id__in=unit_ids, story__isnull=False, pk__gt=since)
        if sections:
            events = events.filter(section_id__in=list(sections))
        settle = settings.PUBLISHING_API_SETTLE_SECONDS
        if settle:
            # A change is listed once its transaction has surely committed:
            # a cursor must never move past a change still being written.
            events = events.filter(at__lte=timezone.now() - timedelta(seconds=settle))
        rows = list(events.values("story_id").annotate(last=Max("pk")).order_by("last")[: limit + 1])
        page = rows[:limit]
        stories = _stories([row["story_id"] for row in page])
        if sections:
            # Moved out of the partner's sections since: theirs no longer.
            paths = set(sections.values())
            stories = {pk: story for pk, story in stories.items() if story.path[: -Page.steplen] in paths}
        built = iter(ninjs.serialize_many(stories[row["story_id"]] for row in page if row["story_id"] in stories))
        gone = _canceled([row["last"] for row in page if row["story_id"] not in stories], units)
        items = [next(built) if row["story_id"] in stories else gone[row["last"]] for row in page]
        return Response(
            {
                "items": items,
                "next": str(page[-1]["last"]) if page else str(since),
                "has_more": len(rows) > limit,
            }
        )


class StoryView(NinjsView):
    def get(self, request, ref):
        units, sections = self.scope()
        parsed = ninjs.parse_uri(ref)
        if parsed is None and not ref.isdigit():
            raise _not_found()
        code, story_id = parsed if parsed else (None, int(ref))
        story = _stories([story_id]).get(story_id)
        if story is None:
            return Response(self._deleted_story(story_id, code, units, sections))
        unit = next((u for u in units if story.path.startswith(u.site.root_page.path)), None)
        if unit is None or (code is not None and code != unit.slug):
            raise _not_found()
        if sections and story.path[: -Page.steplen] not in sections.values():
            raise _not_found()
        # Only what was announced: never a draft, nor a story under embargo.
        if not StoryEvent.objects.filter(story_id=story.pk).exists() or (story.live and story.is_embargoed()):
            raise _not_found()
        return Response(ninjs.serialize(story))

    def _deleted_story(self, story_id, code, units, sections):
        """A story deleted after it was announced to this partner: its
        canceled item, as in the feed."""
        events = StoryEvent.objects.filter(story_id=story_id, unit_id__in=[unit.pk for unit in units])
        if sections:
            events = events.filter(section_id__in=list(sections))
        last = events.order_by("-pk").values_list("pk", flat=True).first()
        item = _canceled([last], units).get(last) if last else None
        if item is None or (code is not None and ninjs.parse_uri(item["uri"])[0] != code):
            raise _not_found()
        return item


class OpenApiView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request):

        return Response(document(request.build_absolute_uri("/api/ninjs/")))


def not_found(request, *args, **kwargs):
    """Anything else under /api/ninjs/: a JSON 404, not the site's page."""
    from django.http import JsonResponse

    response = JsonResponse({"error": {"code": "not_found", "message": _("No such address in the content API.")}}, status=404)
    response["Cache-Control"] = "no-store"
    return response


def _not_found():
    return ApiError(status.HTTP_404_NOT_FOUND, "not_found", _("No such story for this partner."))


def _cursor(value):
    if value in (None, ""):
        return 0
    if not value.isdigit() or len(value) > 18:
        raise ApiError(400, "bad_cursor", _("“since” must be a cursor returned as “next” by this API."))
    return int(value)


def _limit(value):
    if value in (None, ""):
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ApiError(400, "bad_limit", _("“limit” must be a number from 1 to %(max)d.") % {"max": MAX_LIMIT})
    return int(value)


def _canceled(event_ids, units):
    """Canceled items for stories deleted since, or moved out of the
    partner's sections, by the id of their last event."""
    if not event_ids:
        return {}
    slugs = {unit.pk: unit.slug for unit in units}
    rows = StoryEvent.objects.filter(pk__in=event_ids).values_list("pk", "story_id", "unit_id", "at")
    versions = dict(
        StoryEvent.objects.filter(story_id__in=[row[1] for row in rows]).values("story_id").annotate(n=Count("pk")).values_list("story_id", "n")
    )
    return {
        pk: ninjs.canceled(ninjs.story_uri(slugs[unit_id], story_id), versions[story_id], at)
        for pk, story_id, unit_id, at in rows
        if unit_id in slugs
    }


def _stories(ids):

    return {story.pk: story for story in ArticlePage.objects.filter(pk__in=ids)} if ids else {}

