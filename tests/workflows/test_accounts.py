"""Unused accounts are disabled and their unit administrators told; each
unit's accounts are reviewed on the staff page, with roles, last sign-in
and second factor, and the review recorded (level 3: every six months)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from audit.models import AuditEvent
from tests.helpers import make_staff
from workflows.accounts import disable_inactive_accounts
from workflows.models import AccountReview, Notification, NotificationKind, Role
from workflows.tasks import disable_inactive_accounts as disable_task

pytestmark = pytest.mark.django_db


def test_accounts_unused_for_45_days_are_disabled_and_the_unit_admin_told(newsroom, staff, settings):
    settings.ACCOUNT_INACTIVE_DAYS = 45
    unit = newsroom.finance.unit
    now = timezone.now()
    idle = make_staff(unit, Role.REPORTER, "tc.vangmat", first_name="Vắng", last_name="Mặt")
    idle.last_login = now - timedelta(days=46)
    idle.save()
    recent = make_staff(unit, Role.REPORTER, "tc.thuongxuyen")
    recent.last_login = now - timedelta(days=44)
    recent.save()
    never = make_staff(unit, Role.CONTRIBUTOR, "tc.chuabaogio")
    type(never).objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=60))

    disable_task.apply()

    idle.refresh_from_db(), recent.refresh_from_db(), never.refresh_from_db()
    assert not idle.is_active and not never.is_active and recent.is_active
    notice = Notification.objects.get(recipient=staff[Role.UNIT_ADMIN], kind=NotificationKind.ACCOUNT_DISABLED, message__contains="Vắng")
    assert "45" in notice.message and notice.unit == unit
    assert ModelLogEntry.objects.filter(action="hoitu.account_disabled", object_id=str(idle.pk)).exists()
    assert AuditEvent.objects.filter(action="hoitu.account_disabled").exists()
    # Run again: nothing more to do.
    assert disable_inactive_accounts() == []


def test_a_superuser_is_never_disabled_for_being_unused(newsroom, settings):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "pw-test-123")
    admin.last_login = timezone.now() - timedelta(days=400)
    admin.save()
    disable_inactive_accounts()
    admin.refresh_from_db()
    assert admin.is_active


def test_the_unit_admin_reviews_the_units_accounts_and_records_it(newsroom, staff, client):
    unit = newsroom.finance.unit
    client.force_login(staff[Role.UNIT_ADMIN])
    url = reverse("workflows_unit_admin:staff", kwargs={"unit_slug": unit.slug})

    page = client.get(url).content.decode()
    assert "Chưa từng rà soát" in page or "chưa từng được rà soát" in page
    assert 'data-review="due"' in page
    # Every account with its last sign-in and second factor.
    assert "Lần đăng nhập cuối" in page and "Bước xác thực thứ hai" in page

    response = client.post(url, {"note": "Đã thu hồi quyền của cộng tác viên nghỉ việc."})
    assert response.status_code == 302
    review = AccountReview.objects.get(unit=unit)
    assert review.reviewer == staff[Role.UNIT_ADMIN] and review.accounts >= 9
    page = client.get(url).content.decode()
    assert 'data-review="due"' not in page
    assert AuditEvent.objects.filter(action="hoitu.accounts_reviewed").exists()


def test_only_the_units_administrators_record_a_review(newsroom, staff, client):
    unit = newsroom.finance.unit
    url = reverse("workflows_unit_admin:staff", kwargs={"unit_slug": unit.slug})
    for person in (staff[Role.EDITOR_IN_CHIEF], staff["other_unit_editor_in_chief"]):
        client.force_login(person)
        client.post(url, {"note": "?"})
    assert not AccountReview.objects.exists()
