"""The audit trail: what goes in by itself (sign-ins, groups, Wagtail's log),
the hash chain and its check, the retention prune, and who reads which
rows in the admin."""

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

import audit
from audit import chain
from audit.checks import retention_check
from audit.models import AuditEvent, AuditTrailIsAppendOnly
from tests.helpers import refused, story_draft
from tests.test_project_files import PRODUCTION_ENV, ROOT
from workflows.models import Role
from workflows.roles import sync_system_roles, unit_group

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
ADDRESS = "203.0.113.7"


def latest(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters).order_by("-id").first()


def verify_output():
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


# --- what goes in -------------------------------------------------------------


def test_sign_in_failure_and_sign_out_are_recorded_with_address_and_browser(client, staff):
    person = staff[Role.DESK_EDITOR]
    headers = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER, "HTTP_X_FORWARDED_FOR": "198.51.100.99"}

    client.post("/admin/login/", {"username": person.username, "password": "wrong"}, **headers)
    failed = latest("auth.login_failed")
    assert (failed.actor, failed.actor_username, failed.unit_slug) == (person, person.username, "taichinh")
    # No proxy is trusted (TRUSTED_PROXY_COUNT=0): the header is not believed.
    assert (failed.source_address, failed.user_agent) == (ADDRESS, BROWSER)

    client.post("/admin/login/", {"username": "nobody.at.all", "password": "x"}, **headers)
    unknown = latest("auth.login_failed")
    assert (unknown.actor, unknown.actor_username, unknown.unit_slug) == (None, "nobody.at.all", "")

    response = client.post("/admin/login/", {"username": person.username, "password": "pw-test-123"}, **headers)
    assert response.status_code == 302
    signed_in = latest("auth.login")
    assert (signed_in.actor, signed_in.source_address, signed_in.user_agent, signed_in.unit_slug) == (person, ADDRESS, BROWSER, "taichinh")

    client.post("/admin/logout/", **headers)
    signed_out = latest("auth.logout")
    assert (signed_out.actor, signed_out.source_address) == (person, ADDRESS)


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(client, staff, settings):
    settings.REST_FRAMEWORK = {"NUM_PROXIES": 1}
    client.post(
        "/admin/login/", {"username": "tc.reporter", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.99, 192.0.2.10",
    )
    assert latest("auth.login_failed").source_address == "192.0.2.10"


def test_group_and_password_changes_are_recorded_in_the_groups_unit(staff, newsroom):
    person = staff["other_unit_reporter"]
    desk = unit_group(newsroom.province.unit, Role.DESK_EDITOR)

    person.groups.add(desk)
    event = latest("auth.account_groups")
    assert (event.object_label, event.unit_slug, event.extra["change"], event.extra["group"]["id"]) == (
        str(person), "lamdong", "add", desk.pk
    )

    desk.permissions.clear()
    assert latest("auth.permissions", object_id=str(desk.pk)).extra["change"] == "clear"

    person.set_password("another-pw-456")
    person.save()
    assert latest("auth.password_change", object_id=str(person.pk)).unit_slug == "lamdong"

    person.is_superuser = True
    person.save()
    assert latest("auth.account_flags").extra["changed"] == {"is_superuser": True}


def test_an_editorial_action_wagtail_logs_goes_into_the_trail(staff, newsroom):
    editor = staff[Role.EDITOR_IN_CHIEF]
    story = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Giá vàng tăng kỷ lục")
    story.get_latest_revision().publish(user=editor)

    event = latest("wagtail.publish")
    assert (event.actor, event.unit_slug, event.object_type, event.object_id, event.object_label) == (
        editor, "taichinh", "newsroom.articlepage", str(story.pk), "Giá vàng tăng kỷ lục"
    )
    assert event.extra["log_entry"]["model"] == "wagtailcore.pagelogentry"


def test_the_public_api_records_what_other_apps_ask(staff, rf):
    request = rf.get("/", REMOTE_ADDR="2001:db8:0:0:0:0:0:1", HTTP_USER_AGENT="x" * 1000)
    request.user = staff[Role.UNIT_ADMIN]
    event = audit.record("auth.lockout", request=request, obj=staff[Role.REPORTER], attempts=5)
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.source_address, len(event.user_agent), event.unit_slug) == (
        staff[Role.UNIT_ADMIN], "2001:db8::1", 300, "taichinh"
    )
    assert event.extra == {"attempts": 5}
    assert "events verified" in verify_output()


# --- the chain ----------------------------------------------------------------


def test_the_chain_verifies_and_a_row_changed_in_sql_is_named(staff):
    audit.record("test.one", actor=staff[Role.REPORTER])
    tampered = audit.record("test.two", actor=staff[Role.REPORTER])
    audit.record("test.three", actor=staff[Role.REPORTER])
    count = AuditEvent.objects.count()
    assert f"{count} events verified" in verify_output()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["someone.else", tampered.pk])
    with pytest.raises(CommandError, match=f"broken at event {tampered.pk} "):
        call_command("verify_audit_trail", stdout=io.StringIO())


def test_a_row_removed_in_sql_breaks_the_link_of_the_next(staff):
    audit.record("test.one")
    removed = audit.record("test.two")
    after = audit.record("test.three")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    with pytest.raises(CommandError, match=f"broken at event {after.pk} .*does not follow"):
        call_command("verify_audit_trail", stdout=io.StringIO())


def test_the_orm_neither_changes_nor_deletes_an_event(staff):
    event = audit.record("test.one", actor=staff[Role.REPORTER])
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.other")
    event.action = "test.other"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.create(action="test.unchained", previous_hash="0", hash="1")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.one"


def test_deleting_an_account_keeps_its_events_and_the_chain(staff):
    person = staff[Role.CONTRIBUTOR]
    event = audit.record("test.one", actor=person)
    person.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.actor_username) == (None, "tc.contributor")
    assert latest("auth.account_delete").object_label == str(person)
    assert "events verified" in verify_output()


def test_prune_keeps_the_last_twelve_months_and_the_chain_still_verifies(staff, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old = [audit.record("test.old") for _ in range(3)]
    time.sleep(0.01)
    boundary = timezone.now()
    young = [audit.record("test.young") for _ in range(2)]

    # A year after ``boundary``: the rows written before it are past the
    # retention period, those written after are not, by milliseconds.
    removed = chain.prune(now=boundary + timedelta(days=365))
    assert removed >= 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    assert "2 events verified" in verify_output()

    # After the prune the chain goes on from the anchor.
    audit.record("test.after")
    assert "3 events verified" in verify_output()


def test_a_retention_under_a_year_still_keeps_a_year(staff, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    event = audit.record("test.one")
    assert chain.prune(now=timezone.now() + timedelta(days=200)) == 0
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert chain.prune(now=timezone.now() + timedelta(days=366)) > 0
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_production_refuses_a_retention_under_a_year_elsewhere_the_check_warns(settings):
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "hoitu.settings.production", "AUDIT_RETENTION_DAYS": "100"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS must be at least 365 in production (it is 100)" in result.stderr

    settings.AUDIT_RETENTION_DAYS = 100
    assert [warning.id for warning in retention_check(None)] == ["audit.W001"]


# --- who reads what -------------------------------------------------------------


def test_a_unit_admin_reads_and_exports_their_units_events_only(client, staff, newsroom):
    audit.record("auth.password_change", actor=staff[Role.REPORTER], note="taichinh-marker")
    audit.record("auth.password_change", actor=staff["other_unit_reporter"], note="lamdong-marker")
    audit.record("auth.password_change", actor="someone", note="unitless-marker")
    other = latest("auth.password_change", unit_slug="lamdong")

    client.force_login(staff[Role.UNIT_ADMIN])
    # The sidebar's menu is JSON, its letters escaped.
    assert json.dumps("Nhật ký kiểm toán") in client.get("/admin/").content.decode()
    listing = client.get("/admin/audit_trail/", {"action": "auth.password_change"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "tc.reporter" in body and "ld.reporter" not in body and "someone" not in body
    assert client.get(f"/admin/audit_trail/inspect/{other.pk}/").status_code == 404

    export = client.get("/admin/audit_trail/", {"action": "auth.password_change", "export": "csv"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row["Đơn vị"] for row in rows] == ["taichinh"]
    assert "taichinh-marker" in rows[0]["Chi tiết"]
    exported = latest("admin.export")
    assert (exported.actor, exported.extra["format"]) == (staff[Role.UNIT_ADMIN], "csv")

    # Only unit and system administrators read the trail.
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    assert "audit_trail" not in client.get("/admin/").content.decode()
    assert refused(client.get("/admin/audit_trail/"))


def test_a_system_admin_reads_every_unit_and_filters(client, staff, newsroom):
    audit.record("auth.password_change", actor=staff["other_unit_reporter"], note="lamdong-marker")
    audit.record("auth.password_change", actor="someone", note="unitless-marker")
    root = get_user_model().objects.create_user("root", password="pw-test-123")
    root.groups.add(sync_system_roles()[Role.SYSTEM_ADMIN])

    client.force_login(root)
    body = client.get("/admin/audit_trail/", {"action": "auth.password_change"}).content.decode()
    assert "ld.reporter" in body and "someone" in body
    body = client.get("/admin/audit_trail/", {"action": "auth.password_change", "unit_slug": "lamdong"}).content.decode()
    assert "ld.reporter" in body and "someone" not in body


# --- concurrent writers ------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_at_once_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's (run with DATABASE_URL)")
    start = threading.Barrier(2)
    errors = []

    def write(name):
        try:
            start.wait()
            for n in range(25):
                audit.record("test.concurrent", writer=name, n=n)
        except Exception as error:  # reported below, with the thread's name
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    events = list(AuditEvent.objects.filter(action="test.concurrent").order_by("id"))
    assert len(events) == 50
    assert len({event.previous_hash for event in AuditEvent.objects.all()}) == AuditEvent.objects.count()
    assert "events verified" in verify_output()
