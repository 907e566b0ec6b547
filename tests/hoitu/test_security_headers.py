"""Security headers on every response, whatever answers it: a story, the
admin, a 404, a static file, an upload, the content API, a feed, /healthz;
and the address browsers report policy violations to."""

import importlib
import json
import logging

import pytest
from csp.utils import build_policy
from django.test import Client
from django.urls import clear_url_caches
from django.utils import translation

from hoitu.settings import base as base_settings
from tests.helpers import host, make_staff, path
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (response headers): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

REPORT_URL = "/csp-report/"


def assert_secured(response, admin=False):
    policy = response["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["report-uri"] == REPORT_URL
    assert response["Reporting-Endpoints"] == f'csp="{REPORT_URL}"'
    # The public pages run no inline code; only the signed-in admin does.
    assert ("'unsafe-inline'" in directives["script-src"]) is admin
    assert "'unsafe-eval'" not in policy
    # Nothing from another origin unless configured.
    assert "http" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def test_every_kind_of_response_carries_the_headers(client, newsroom, settings, tmp_path):
    finance = newsroom.finance
    unit_host = host(finance.unit)
    story = client.get(path(finance.rail), **unit_host)
    assert story.status_code == 200
    assert_secured(story)
    # Served again from the page cache: the headers are not the cached ones.
    again = client.get(path(finance.rail), **unit_host)
    assert again["X-Cache"] == "HIT"
    assert_secured(again)
    missing = client.get("/khong-co-bai-nay/", **unit_host)
    assert missing.status_code == 404
    assert_secured(missing)
    feed = client.get(path(finance.economy) + "rss/", **unit_host)
    assert feed.status_code == 200
    assert_secured(feed)
    api = client.get("/api/ninjs/", **unit_host)
    assert api.status_code in (401, 403)
    assert_secured(api)
    health = client.get("/healthz")
    assert_secured(health)
    upload = client.get(finance.rail.cover_image.file.url)
    assert upload.status_code == 200
    assert_secured(upload)
    sign_in = client.get("/admin/login/")
    assert sign_in.status_code == 200
    assert_secured(sign_in)


def test_the_admin_has_its_own_policy_for_staff(client, newsroom):
    client.force_login(make_staff(newsroom.finance.unit, Role.REPORTER, "taichinh.phongvien"))
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert_secured(dashboard, admin=True)
    # The public site stays on the strict policy for them too.
    assert_secured(client.get("/", **host(newsroom.finance.unit)))


def test_static_files_carry_the_headers(settings):
    # WhiteNoise finds the collected files when its middleware starts, that
    # is when a new client loads the middleware.
    collected = settings.STATIC_ROOT / "test-security-headers.css"
    collected.write_text("body { color: #1a1a1a }")
    try:
        response = Client().get("/static/test-security-headers.css")
    finally:
        collected.unlink()
    assert response.status_code == 200
    assert_secured(response)


def test_a_server_error_page_styles_itself_with_the_nonce(settings):
    client = Client(raise_request_exception=False)
    settings.ROOT_URLCONF = "tests.hoitu.broken_urls"
    clear_url_caches()
    response = client.get("/hong/")
    assert response.status_code == 500
    assert_secured(response)
    nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()


@pytest.fixture
def embeds_configured(monkeypatch, settings):
    """The settings as production reads them with CSP_EMBED_ORIGINS set."""
    monkeypatch.setenv("CSP_EMBED_ORIGINS", "https://www.youtube.com,https://platform.twitter.com")
    configured = importlib.reload(base_settings)
    monkeypatch.delenv("CSP_EMBED_ORIGINS")
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "CSP_ADMIN_DIRECTIVES"):
        setattr(settings, name, getattr(configured, name))
    yield
    importlib.reload(base_settings)


def test_an_embed_origin_is_allowed_only_when_configured(client, newsroom, embeds_configured):
    response = client.get("/", **host(newsroom.finance.unit))
    policy = response["Content-Security-Policy"]
    frames = next(part for part in policy.split(";") if part.strip().startswith("frame-src"))
    assert "https://www.youtube.com" in frames and "https://platform.twitter.com" in frames


def test_report_only_mode_blocks_nothing(client, newsroom, monkeypatch, settings):
    monkeypatch.setenv("CSP_REPORT_ONLY", "true")
    configured = importlib.reload(base_settings)
    settings.CONTENT_SECURITY_POLICY = configured.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = configured.CONTENT_SECURITY_POLICY_REPORT_ONLY
    monkeypatch.delenv("CSP_REPORT_ONLY")
    importlib.reload(base_settings)
    response = client.get("/", **host(newsroom.finance.unit))
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]
    client.force_login(make_staff(newsroom.finance.unit, Role.REPORTER, "taichinh.phongvien"))
    admin = client.get("/admin/")
    assert "Content-Security-Policy" not in admin
    assert "'unsafe-inline'" in admin["Content-Security-Policy-Report-Only"]


# -- the report endpoint ---------------------------------------------------------------

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://baotaichinh.example.vn/kinh-te/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
        "original-policy": "default-src 'self'; " * 200,
        "line-number": 12,
        "disposition": "enforce",
    }
}
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "url": "https://baotaichinh.example.vn/",
        "body": {
            "documentURL": "https://baotaichinh.example.vn/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example/p.gif",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def test_a_report_is_logged_one_line_per_violation(client, caplog):
    caplog.set_level(logging.WARNING, logger="hoitu.csp")
    response = client.post(REPORT_URL, json.dumps(REPORT_URI_BODY), content_type="application/csp-report")
    assert response.status_code == 204
    response = client.post(REPORT_URL, json.dumps(REPORTING_API_BODY), content_type="application/reports+json")
    assert response.status_code == 204
    lines = [record.getMessage() for record in caplog.records if record.name == "hoitu.csp"]
    assert len(lines) == 2
    assert "https://evil.example/x.js" in lines[0] and "script-src-elem" in lines[0]
    assert "original-policy" not in lines[0] and "default-src" not in lines[0]  # the policy itself is not logged
    assert "https://tracker.example/p.gif" in lines[1] and "img-src" in lines[1]


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe\x00", b"[" * 10_000, b'{"csp-report": "x"}', b"[1, 2, 3]", b'{"a": 1}', b'[{"type": "csp-violation", "body": {}}]'],
    ids=["empty", "text", "not-utf8", "nested", "string", "numbers", "other", "no-directive"],
)
def test_junk_is_refused_in_vietnamese_never_a_server_error(client, body):
    with translation.override("vi"):
        response = client.post(REPORT_URL, body, content_type="application/csp-report")
    assert response.status_code == 400
    assert response.json() == {"error": "Đây không phải là báo cáo vi phạm chính sách bảo mật nội dung (CSP)."}


def test_a_huge_report_is_refused_unread(client):
    body = json.dumps({"csp-report": {"violated-directive": "img-src", "sample": "x" * 20_000}})
    with translation.override("vi"):
        response = client.post(REPORT_URL, body, content_type="application/csp-report")
    assert response.status_code == 413
    assert response.json() == {"error": "Báo cáo quá lớn."}


def test_a_flood_of_reports_is_cut_off(client, settings, caplog):
    settings.CSP_REPORT_RATE = "3/hour"  # a window the five reports cannot straddle, even on a loaded machine
    caplog.set_level(logging.WARNING, logger="hoitu.csp")
    statuses = [client.post(REPORT_URL, json.dumps(REPORT_URI_BODY), content_type="application/csp-report").status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert len([record for record in caplog.records if record.name == "hoitu.csp"]) == 3


def test_reports_are_only_posted(client):
    assert client.get(REPORT_URL).status_code == 405


def test_a_page_cache_hit_carries_the_policy_django_csp_builds_from_the_settings(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/", **host(newsroom.finance.unit))
    hit = client.get("/", **host(newsroom.finance.unit))
    assert hit["X-Cache"] == "HIT"
    for response in (first, hit):
        assert response["Content-Security-Policy"] == build_policy()
        assert "Content-Security-Policy-Report-Only" not in response
        assert_secured(response)
