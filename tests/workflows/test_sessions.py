"""Sign-in sessions, through HTTP: the idle timeout (shorter for system
administrators; background polls do not count, an autosave after it keeps
the draft), the absolute lifetime, the session list with its revoke and
"sign out everywhere", who may see whose sessions, the key's rotation at
sign-in and the cookies' flags."""

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from wagtail.log_actions import registry as log_actions
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from newsroom.models import ArticlePage
from tests.helpers import make_author, make_staff, next_code, refused, sign_in_with_code, story_draft
from workflows.models import AuthenticatorApp, Role
from workflows.roles import sync_system_roles
from workflows.sessions import LAST_ACTIVITY, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"
JSON = {"HTTP_ACCEPT": "application/json"}
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EXPIRED_VI = "Phiên làm việc đã hết hạn do không hoạt động"
_serial = itertools.count()


@pytest.fixture(autouse=True)
def _no_code_throttling(settings):
    # Each browser here brings an app of its own; the others' apps see its
    # code as a wrong one, which is the code page's business, not this file's.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in(user, address="127.0.0.1", agent=FIREFOX):
    """A browser signing in through Wagtail's own sign-in form."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    # An app of its own for each browser: one app never takes the same code
    # twice, and these browsers sign in within the same 30 s.
    device = AuthenticatorApp.for_user(user, confirmed=True)
    response = client.post(reverse("workflows_two_factor:verify"), {"code": next_code(device)})
    assert response.status_code == 302, response.content[:500]
    return client


def idle_for(client, minutes):
    """As if the browser's last activity were ``minutes`` ago."""
    session = client.session
    session[LAST_ACTIVITY] = time.time() - minutes * 60
    session.save()


def last_activity(client):
    return client.session[LAST_ACTIVITY]


def system_admin(newsroom):
    """A system administrator who also works in the finance unit."""
    person = make_staff(newsroom.finance.unit, Role.REPORTER, f"hethong.quantri.{next(_serial)}")
    person.groups.add(sync_system_roles()[Role.SYSTEM_ADMIN])
    return person


def test_an_idle_session_ends_with_a_message_on_the_sign_in_page(staff):
    client = sign_in(staff[Role.REPORTER])
    idle_for(client, settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    login_page = client.get(response.url)
    assert EXPIRED_VI in login_page.content.decode()
    # Signed out for good: the next page asks for the sign-in again.
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_activity_within_the_limit_keeps_the_session(staff):
    client = sign_in(staff[Role.REPORTER])
    idle_for(client, settings.SESSION_IDLE_MINUTES - 1)
    before = last_activity(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert last_activity(client) > before + 60
    # Right after, the clock is not rewritten on every request.
    again = last_activity(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert last_activity(client) == again


def test_background_polls_do_not_keep_an_idle_session_alive(staff, newsroom):
    reporter = staff[Role.REPORTER]
    story = story_draft(newsroom.finance.economy, reporter)
    client = sign_in(reporter)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    start = editor.index("/admin/editing-sessions/ping/")
    ping_url = editor[start : editor.index('"', start)]
    idle_for(client, settings.SESSION_IDLE_MINUTES - 2)
    before = last_activity(client)
    ping = client.post(ping_url, {"is_editing": "0"})
    assert ping.status_code == 200
    assert client.get(reverse("publishing_story:deliveries", args=[story.pk]), **JSON).status_code in (200, 403)
    status = client.get(reverse("workflows_sessions:status"), **JSON)
    assert 60 <= status.json()["seconds_left"] <= 120
    assert last_activity(client) == before

    # "Keep working" is activity.
    kept = client.post(reverse("workflows_sessions:keep_alive"), **JSON)
    assert kept.json()["seconds_left"] > (settings.SESSION_IDLE_MINUTES - 1) * 60
    idle_for(client, settings.SESSION_IDLE_MINUTES + 1)
    expired = client.get(reverse("workflows_sessions:status"), **JSON)
    assert expired.status_code == 401
    assert EXPIRED_VI in expired.json()["error"]


def test_keep_working_restarts_the_clock_even_right_after_a_page(staff, settings):
    # With a two-minute limit the warning shows from the first page on.
    settings.SESSION_IDLE_MINUTES = 2
    client = sign_in(staff[Role.REPORTER])
    idle_for(client, 20 / 60)
    kept = client.post(reverse("workflows_sessions:keep_alive"), **JSON)
    assert kept.json()["seconds_left"] >= 2 * 60 - 1


def test_the_warning_s_last_check_leaves_the_reason_for_the_sign_in_page(staff):
    client = sign_in(staff[Role.REPORTER])
    idle_for(client, settings.SESSION_IDLE_MINUTES + 1)
    assert client.get(reverse("workflows_sessions:status"), **JSON).status_code == 401
    # The script then opens the sign-in page.
    assert EXPIRED_VI in client.get(reverse("wagtailadmin_login")).content.decode()


def test_system_administrators_have_the_shorter_limit(staff, newsroom):
    minutes = settings.SESSION_IDLE_MINUTES_SYSTEM_ADMIN + 1
    assert minutes < settings.SESSION_IDLE_MINUTES
    reporter = sign_in(staff[Role.REPORTER])
    idle_for(reporter, minutes)
    assert reporter.get(reverse("wagtailadmin_home")).status_code == 200

    admin = sign_in(system_admin(newsroom))
    idle_for(admin, minutes)
    response = admin.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))


def test_an_autosave_after_the_timeout_keeps_the_draft_and_signs_out(staff, newsroom):
    reporter = staff[Role.REPORTER]
    story = story_draft(
        newsroom.finance.economy, reporter, title="Giá lúa gạo đầu vụ", author=make_author("Lê Văn Cường", user=reporter)
    )
    client = sign_in(reporter)
    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    data = querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("Thương lái đã về tận ruộng."))])}))
    data["sapo"] = "Đoạn viết dở lúc người viết rời máy."
    idle_for(client, settings.SESSION_IDLE_MINUTES + 1)

    response = client.post(edit, data, **JSON)
    assert response.status_code == 401
    answer = response.json()
    assert answer["error_code"] == "session_expired" and EXPIRED_VI in answer["error_message"]
    assert answer["draft_saved"] is True
    saved = ArticlePage.objects.get(pk=story.pk).get_latest_revision()
    assert saved.pk == answer["revision_id"]
    assert saved.as_object().sapo == "Đoạn viết dở lúc người viết rời máy."
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_a_publish_after_the_timeout_is_not_carried_out(staff, newsroom):
    chief = staff[Role.EDITOR_IN_CHIEF]
    story = story_draft(newsroom.finance.economy, chief, title="Tin chưa được đăng")
    client = sign_in(chief)
    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    data = querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "1"
    idle_for(client, settings.SESSION_IDLE_MINUTES + 1)
    assert client.post(edit, data, **JSON).status_code == 401
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_the_session_list_shows_each_browser_with_its_address(staff):
    reporter = staff[Role.REPORTER]
    office = sign_in(reporter, "203.162.4.10", FIREFOX)
    phone = sign_in(reporter, "113.161.22.7", SAFARI_IPHONE)
    page = office.get(reverse("workflows_sessions:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "203.162.4.10" in html and "113.161.22.7" in html
    assert "Firefox 128" in html and "iPhone" in html
    assert html.count("Phiên này") == 1
    assert "Phiên đăng nhập" in html
    assert phone.get(reverse("wagtailadmin_home")).status_code == 200
    # The account page links to it.
    assert reverse("workflows_sessions:index") in office.get(reverse("wagtailadmin_account")).content.decode()


def test_ending_a_session_signs_that_browser_out_and_is_logged(staff):
    reporter = staff[Role.REPORTER]
    office = sign_in(reporter, "203.162.4.10", FIREFOX)
    phone = sign_in(reporter, "113.161.22.7", SAFARI_IPHONE)
    html = office.get(reverse("workflows_sessions:index")).content.decode()
    phone_row = html.split("113.161.22.7")[1]
    session_id = phone_row.split('name="session" value="')[1].split('"')[0]
    assert phone.cookies[settings.SESSION_COOKIE_NAME].value not in html  # keys never shown

    response = office.post(reverse("workflows_sessions:end", args=[reporter.pk]), {"session": session_id})
    assert response.status_code == 302
    assert phone.get(reverse("wagtailadmin_home")).status_code == 302
    assert office.get(reverse("wagtailadmin_home")).status_code == 200
    entry = ModelLogEntry.objects.get(action="hoitu.session.end")
    assert entry.user_id == reporter.pk and entry.object_id == str(reporter.pk)
    assert entry.data["address"] == "113.161.22.7"
    assert log_actions.get_action_label(entry.action) == "Kết thúc phiên đăng nhập"

    # An unknown or ended session: a message, not an error.
    again = office.post(reverse("workflows_sessions:end", args=[reporter.pk]), {"session": session_id}, follow=True)
    assert again.status_code == 200 and "Phiên này đã kết thúc" in again.content.decode()


def test_sign_out_everywhere(staff):
    reporter = staff[Role.REPORTER]
    office = sign_in(reporter, "203.162.4.10")
    phone = sign_in(reporter, "113.161.22.7", SAFARI_IPHONE)
    laptop = sign_in(reporter, "14.161.0.3")
    end_all = reverse("workflows_sessions:end_all", args=[reporter.pk])

    assert office.post(end_all).status_code == 302
    assert phone.get(reverse("wagtailadmin_home")).status_code == 302
    assert laptop.get(reverse("wagtailadmin_home")).status_code == 302
    assert office.get(reverse("wagtailadmin_home")).status_code == 200

    response = office.post(end_all, {"include_this": "1"})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_login")
    assert office.get(reverse("wagtailadmin_home")).status_code == 302
    assert ModelLogEntry.objects.filter(action="hoitu.session.end_all", object_id=str(reporter.pk)).count() == 2


def test_administrators_see_and_end_their_peoples_sessions_only(staff, newsroom):
    reporter = staff[Role.REPORTER]
    elsewhere = staff["other_unit_reporter"]
    phone = sign_in(reporter, "113.161.22.7", SAFARI_IPHONE)
    sign_in(elsewhere, "42.112.0.9")

    unit_admin = sign_in(staff[Role.UNIT_ADMIN])
    own_people = unit_admin.get(reverse("workflows_sessions:person", args=[reporter.pk]))
    assert own_people.status_code == 200 and "113.161.22.7" in own_people.content.decode()
    assert refused(unit_admin.get(reverse("workflows_sessions:person", args=[elsewhere.pk])))
    assert refused(unit_admin.post(reverse("workflows_sessions:end_all", args=[elsewhere.pk])))
    # Nor a system administrator of their unit, nor as a plain colleague.
    assert refused(unit_admin.get(reverse("workflows_sessions:person", args=[system_admin(newsroom).pk])))
    colleague = sign_in(staff[Role.DESK_EDITOR])
    assert refused(colleague.get(reverse("workflows_sessions:person", args=[reporter.pk])))

    unit_admin.post(reverse("workflows_sessions:end_all", args=[reporter.pk]))
    assert phone.get(reverse("wagtailadmin_home")).status_code == 302

    admin = sign_in(system_admin(newsroom))
    assert "42.112.0.9" in admin.get(reverse("workflows_sessions:person", args=[elsewhere.pk])).content.decode()


def test_the_session_key_changes_at_sign_in(staff):
    client = Client()
    client.get(reverse("wagtailadmin_login"))
    session = client.session
    session["before"] = "anonymous"
    session.save()
    anonymous_key = session.session_key
    sign_in_with_code(client, staff[Role.REPORTER], PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie.value != anonymous_key
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_busy_session_still_ends_at_its_longest_lifetime(staff):
    client = sign_in(staff[Role.REPORTER], agent=FIREFOX)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_COOKIE_AGE + 60
    session.save()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()
    response = client.get(reverse("wagtailadmin_home"), follow=True)
    assert "Bạn đã đăng nhập quá thời gian tối đa cho phép (12 giờ)" in response.content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_session_cookies_are_http_only_and_same_site(staff, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get(reverse("wagtailadmin_login"))
    client.post(reverse("wagtailadmin_login"), {"username": staff[Role.REPORTER].username, "password": PASSWORD})
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["secure"] and session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["httponly"] and csrf_cookie["secure"]


@pytest.mark.once
def test_production_cookies_and_limits_come_from_the_environment():
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
             "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST", "SESSION_IDLE_MINUTES",
             "SESSION_IDLE_MINUTES_SYSTEM_ADMIN"]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SESSION_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="hoitu.settings.production",
        DATABASE_URL="postgres://hoitu@db/hoitu",
        DJANGO_SECRET_KEY="Zq7-vP2xL9mN4tR8wB1cF6gJ0hS5kA3dE7uY2iO9pT4rW6qX1z",
    )
    probe = f"import json; from hoitu.settings import production as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    root = Path(__file__).resolve().parents[2]

    def read(**extra):
        result = subprocess.run([sys.executable, "-c", probe], cwd=root, env={**env, **extra}, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout)

    assert read() == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 12 * 60 * 60,
        "SESSION_SAVE_EVERY_REQUEST": False,
        "SESSION_IDLE_MINUTES": 15,
        "SESSION_IDLE_MINUTES_SYSTEM_ADMIN": 5,
    }
    chosen = read(SESSION_IDLE_MINUTES="30", SESSION_IDLE_MINUTES_SYSTEM_ADMIN="10", SESSION_COOKIE_AGE="28800")
    assert (chosen["SESSION_IDLE_MINUTES"], chosen["SESSION_IDLE_MINUTES_SYSTEM_ADMIN"], chosen["SESSION_COOKIE_AGE"]) == (30, 10, 28800)


def test_signing_out_clears_what_the_browser_kept_for_the_editor_offline(staff):
    """The editor's pages in the cache and drafts kept while offline
    (templates/workflows/offline/worker.js) go with the sign-out: the next
    person at that computer finds none of it. Only a sign-out says so."""
    reporter = staff[Role.REPORTER]
    browser = Client()
    browser.force_login(reporter)
    editor_home = browser.get("/admin/")
    assert "Clear-Site-Data" not in editor_home
    assert f'<meta name="hoitu-account" content="{reporter.pk}">' in editor_home.content.decode()
    worker = browser.get(reverse("hoitu_offline_worker"))
    assert worker["Content-Type"].startswith("text/javascript") and worker["Service-Worker-Allowed"] == "/admin/pages/"
    assert "hoitu-editor-v1" in worker.content.decode()
    signed_out = browser.post(reverse("wagtailadmin_logout"))
    assert signed_out.status_code == 302 and signed_out["Clear-Site-Data"] == '"cache", "storage"'
