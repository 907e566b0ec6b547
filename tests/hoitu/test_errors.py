"""Controlled errors: a failure shows the reader a Vietnamese page with a
code they can quote, never a traceback or a setting, and the log line of
the failure carries the same code."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client(client):
    # Wagtail's own deliberate failure, open to admin users.
    admin = get_user_model().objects.create_superuser("kythuat", "kythuat@example.vn", "pw-test-123")
    client.force_login(admin)
    client.raise_request_exception = False
    return client


def test_an_error_shows_a_code_the_person_can_quote_and_the_log_carries_it(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = failing_client.get("/admin/failwhale/")

    assert response.status_code == 500
    code = response["X-Request-ID"]
    assert len(code) >= 16
    page = response.content.decode()
    assert f"<code>{code}</code>" in page
    assert "bộ phận kỹ thuật" in page
    assert "Traceback" not in page and "emergency broadcast" not in page and settings.SECRET_KEY not in page
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == code


def test_every_response_names_its_request_and_a_client_cannot_choose_the_name(client):
    first = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-client")
    second = client.get("/healthz")
    assert first["X-Request-ID"] != "chosen-by-client"
    assert first["X-Request-ID"] != second["X-Request-ID"]
