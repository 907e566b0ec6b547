"""The level-3 evidence page: a system administrator sees every control,
whether it is on, its setting and its evidence, and downloads them; nobody
else opens it."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document

from backups.models import BackupRun
from tests.helpers import refused
from workflows.models import Role

pytestmark = pytest.mark.django_db

URL = "/admin/security-level/"


@pytest.fixture
def system_admin(client):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "pw-test-123")
    client.force_login(admin)
    return admin


def states(response):
    html = response.content.decode()
    found = {}
    for row in html.split('<tr data-control="')[1:]:
        key = row.split('"', 1)[0]
        found[key] = 'data-state="on"' in row.split("</tr>", 1)[0]
    return found


def test_every_control_shows_whether_it_is_on(system_admin, client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = []
    before = states(client.get(URL))
    assert {
        "two_factor", "lockout", "passwords", "sessions", "inactive_accounts", "account_review",
        "https", "admin_networks", "audit", "backups", "private_media", "deploy_check", "channel_credentials", "content_api_limits",
    } <= set(before)
    assert before["two_factor"] is True and before["account_review"] is False
    assert before["admin_networks"] is False and before["backups"] is False

    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    now = timezone.now()
    BackupRun.objects.create(status=BackupRun.Status.OK, finished_at=now, verified_at=now, file_name="hoitu-backup.tar.enc")
    after = client.get(URL)
    assert states(after)["admin_networks"] is True and states(after)["backups"] is True
    assert "10.20.0.0/16" in after.content.decode()


def test_the_evidence_downloads_as_a_spreadsheet(system_admin, client):
    response = client.get(reverse("workflows_security_level:csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) > 8 and all(len(row) == 4 for row in rows)


def test_the_evidence_pack_is_a_word_document_of_every_control(system_admin, client):
    response = client.get(reverse("workflows_security_level:docx"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "An toàn thông tin cấp độ 3"
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Biện pháp", "Trạng thái", "Thiết lập", "Bằng chứng"]
    titles = [row[0] for row in rows[1:]]
    assert "Xác thực hai lớp cho trang quản trị" in titles and "Sao lưu mã hóa hằng ngày, có kiểm tra" in titles
    assert {row[1] for row in rows[1:]} <= {"Bật", "Tắt"}


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.EDITOR_IN_CHIEF])
def test_only_system_administrators_open_it(staff, client, role):
    client.force_login(staff[role])
    assert refused(client.get(URL))
    assert refused(client.get(reverse("workflows_security_level:csv")))
    assert refused(client.get(reverse("workflows_security_level:docx")))
    assert "security-level" not in client.get("/admin/").content.decode()
