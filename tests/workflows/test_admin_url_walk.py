"""Every admin URL, as every role of one unit, with the other unit's ids.

The URL patterns come from Django's resolver, not from a hand list, so a
view added later is walked without anyone remembering to add it. The other
unit ("lamdong") holds things its neighbours must never read: a story in
review (title, future address, tag, workflow state), a reader's e-mail, a
reader's comment and a stopped reader, a channel, a newsletter issue, a
planned assignment and a person's passkey.
They are created after every table's id counter is moved to
``SECRET_ID - 1``, so each of them (and its revisions, workflow and task
states, log entries) has the id ``SECRET_ID``: every id a pattern takes is
filled with it, and every query parameter that names objects (``id``,
``ids``…) too.

A response fails the walk when it carries one of the markers. Searches are
asked for ``SEARCH`` (echoed back by listings); no marker contains it
without a following letter, hyphen or ``@``."""

import os
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from publishing.models import NewsletterIssue, Subscriber
from reader_comments.models import CommentPolicy, ReaderComment, StoppedReader
from tests.helpers import story_draft
from tests.publishing.conftest import make_channel
from tests.shared import built_once
from workflows.models import Assignment, Role, UnitApprovalTask
from workflows.roles import unit_group

pytestmark = [pytest.mark.django_db, pytest.mark.once]

DUMP = bool(os.environ.get("WALK_DUMP"))
SECRET_ID = 90001
SEARCH = "zqxprov"
MARKERS = ("Zqxprov", "zqxprov-", "zqxprov@", "zqxprovtag")

# Patterns that hold no object of a unit, or whose answer is not about one.
NOT_WALKED = {
    "admin/password_reset/confirm/<uidb64>/<token>/",  # a link from an e-mail, signed
    "admin/logout/",  # would end the walk's session
    "admin/failwhale/",  # Wagtail's deliberate error, to test error reporting
}


def _move_id_counters():
    """Each table's next id is ``SECRET_ID``."""
    tables = [m._meta.db_table for m in apps.get_models() if isinstance(m._meta.pk, models.AutoField)]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, SECRET_ID - 1])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, SECRET_ID - 1])


def build_secrets(newsroom, staff):
    province = newsroom.province
    _move_id_counters()
    writer = staff["other_unit_reporter"]
    story = story_draft(province.news, writer, title="Zqxprov: bài chưa đăng", slug="zqxprov-bai-chua-dang")
    story.tags.add("zqxprovtag")
    story.go_live_at = timezone.now() + timedelta(days=2)
    story.save()  # the tag is on the story, as the create view leaves it
    story.save_revision(user=writer)
    story.get_workflow().start(story, writer)
    Subscriber.objects.create(unit=province.unit, email="zqxprov@example.vn")
    channel = make_channel(province.unit, "webhook", name="Zqxprov kênh")
    NewsletterIssue.objects.create(channel=channel, subject="Zqxprov bản tin", scheduled_for=timezone.now())
    Assignment.objects.create(unit=province.unit, title="Zqxprov đề tài", proposed_by=writer)
    WebAuthnCredential.objects.create(user=writer, name="Zqxprov khóa", confirmed=True, credential_id=b"zqxprov", public_key=b"\x00")
    CommentPolicy.objects.create(unit=province.unit, open=True)
    comment = ReaderComment.objects.create(unit=province.unit, story=province.bus, name="Zqxprov", text="Zqxprov bình luận", reader_key="zqxprov")
    StoppedReader.objects.create(unit=province.unit, reader_key="zqxprov", name="Zqxprov", comment=comment, until=timezone.now() + timedelta(days=9))
    # A workflow of the unit's own, for its "Thời sự" section.
    workflow = Workflow.objects.create(name="Zqxprov quy trình")
    step = UnitApprovalTask.objects.create(name="Zqxprov bước")
    step.groups.set([unit_group(province.unit, Role.DESK_EDITOR)])
    WorkflowTask.objects.create(workflow=workflow, task=step, sort_order=0)
    WorkflowPage.objects.create(page=province.news, workflow=workflow)
    return story


_module_secrets = built_once("secrets", build_secrets, "newsroom", "staff")


@pytest.fixture
def secret_story(newsroom, staff, _module_secrets, shared_data):
    return shared_data(_module_secrets, build_secrets, newsroom, staff)


def _admin_patterns():
    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route
    return sorted({route for route in walk(get_resolver().url_patterns, "") if route.startswith("admin/")})


ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _models_holding_secrets():
    return [
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if isinstance(m._meta.pk, models.AutoField) and m._base_manager.filter(pk=SECRET_ID).exists()
    ]


def _values(name):
    """What to put where a pattern takes ``name``."""
    if name in {"app_label", "app_name", "content_type_app_name"}:
        return None  # filled together with the model, below
    if name == "unit_slug":
        return ["lamdong"]
    if name == "action_name":
        return ["approve", "reject"]
    if name == "action":
        return None
    if name == "filter_spec":
        return ["original"]
    if name in {"kind", "session_id"}:
        return ["webhook"] if name == "kind" else ["x"]
    return [str(SECRET_ID)]


def _urls(route, models_holding_secrets):
    """Concrete paths for ``route`` (a Django route or regex)."""
    regex = route.startswith("^") or "(?P<" in route
    names = [m.group(2) or m.group(3) for m in ARGUMENT.finditer(route)]
    fills = [{}]
    if {"app_label", "app_name", "content_type_app_name"} & set(names):
        model_key = next(n for n in names if n in {"model_name", "content_type_model_name"})
        app_key = next(n for n in names if n in {"app_label", "app_name", "content_type_app_name"})
        fills = [{app_key: a, model_key: m} for a, m in models_holding_secrets]
        if "action" in names:
            fills = [
                {**fill, "action": action}
                for fill in fills
                for action in (a.action_type for a in bulk_action_registry.get_bulk_actions_for_model(fill[app_key], fill[model_key]))
            ]
    for name in names:
        if any(name in fill for fill in fills):
            continue
        values = _values(name)
        fills = [{**fill, name: value} for fill in fills for value in values]
    for fill in fills:
        def put(match, fill=fill):
            return fill[match.group(2) or match.group(3)]
        path = ARGUMENT.sub(put, route)
        if regex:
            path = path.replace("^", "").replace("$", "").replace("\\", "")
        yield "/" + path


QUERY = {"id": str(SECRET_ID), "ids": str(SECRET_ID), "q": SEARCH, "term": SEARCH, "page": SEARCH, "parent_page_id": str(SECRET_ID)}

ROLES = [
    Role.REPORTER, Role.CONTRIBUTOR, Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR,
    Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR, Role.DISTRIBUTION, Role.UNIT_ADMIN,
]


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_url_shows_another_units_secrets(secret_story, staff, client, role):
    # The secrets are there to be found: their own unit sees them.
    client.force_login(staff["other_unit_editor_in_chief"])
    assert "Zqxprov" in client.get(f"/admin/pages/{SECRET_ID}/edit/").content.decode()

    client.force_login(staff[role])
    client.raise_request_exception = False
    leaks, walked = [], 0
    models_holding_secrets = _models_holding_secrets()
    for route in _admin_patterns():
        if route in NOT_WALKED:
            continue
        for url in _urls(route, models_holding_secrets):
            walked += 1
            response = client.get(url, QUERY)
            body = b"".join(response) if response.streaming else response.content
            # A view may put what it read into a message shown on the next page.
            messages = getattr(response.wsgi_request, "_messages", None)
            queued = " ".join(str(m) for m in getattr(messages, "_queued_messages", ()))
            text = body.decode(errors="replace") + queued
            found = [marker for marker in MARKERS if marker in text]
            if DUMP:
                print(response.status_code, url, found)
            if response.status_code >= 500:
                leaks.append(f"{response.status_code} {url}")
            elif found:
                at = text.index(found[0])
                context = " ".join(text[max(at - 80, 0) : at + 40].split())
                leaks.append(f"{response.status_code} {url} → {', '.join(found)}: …{context}…")
    assert walked > 250
    assert not leaks, "\n".join(leaks)
