"""Password rules of information-security level 3, through HTTP and the
management commands, with the production validators (the suite's own
settings keep Django's defaults for its short test passwords)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from lxml import html

from hoitu.settings import base
from newsroom.models import PasswordHistory
from tests.helpers import sign_in_with_code
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (password rules): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

ACCOUNT = reverse("wagtailadmin_account")
PASSPHRASE = "toa soan hoi tu sang nay"


@pytest.fixture(autouse=True)
def _level_3_rules(settings):
    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS


def account_form(client, old, new, again=None):
    """The account page's form as the browser sends it, with the password
    panel filled in."""
    page = html.fromstring(client.get(ACCOUNT).content)
    form = next(form for form in page.forms if "password-new_password1" in form.inputs.keys())
    data = dict(form.form_values())
    # Wagtail's account page requires a family name; the test staff have none.
    data.setdefault("name_email-last_name", "Nguyễn")
    data.update({"password-old_password": old, "password-new_password1": new, "password-new_password2": again or new})
    return client.post(ACCOUNT, data)


def test_short_or_one_kind_passwords_are_refused_a_passphrase_is_accepted(client, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    add = reverse("workflows_unit_admin:staff_add", kwargs={"unit_slug": "taichinh"})
    group = staff[Role.REPORTER].groups.get()
    person = {"username": "tc.moi", "last_name": "Lê", "first_name": "Hoa", "email": "moi@example.vn", "is_active": "on", "roles": [group.pk]}
    for weak in ("Ab1-xyz", "toasoanhoitu"):
        response = client.post(add, {**person, "new_password": weak, "confirm_password": weak})
        assert response.status_code == 200
        assert "Mật khẩu cần ít nhất 8 ký tự gồm ít nhất hai loại" in response.content.decode()
    response = client.post(add, {**person, "new_password": PASSPHRASE, "confirm_password": PASSPHRASE})
    assert response.status_code == 302


def test_none_of_the_last_ten_passwords_again_on_the_account_page(client, staff):
    person = staff[Role.REPORTER]
    client.force_login(person)
    current = "pw-test-123"
    used = [f"Mat-khau-so-{n}" for n in range(11)]
    for password in used:
        assert account_form(client, current, password).status_code == 302
        current = password
        client.force_login(type(person).objects.get(pk=person.pk))
    assert PasswordHistory.objects.filter(user=person).count() == 10
    for recent in (used[-1], used[1]):
        response = account_form(client, current, recent)
        assert response.status_code == 200
        assert "Mật khẩu phải khác 10 mật khẩu gần nhất của bạn." in response.content.decode()
    # The eleventh back may come again.
    assert account_form(client, current, used[0]).status_code == 302


def test_an_expired_password_must_be_changed_before_the_admin_opens(client, staff, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 60
    person = staff[Role.DESK_EDITOR]
    type(person).objects.filter(pk=person.pk).update(password_changed_at=timezone.now() - timedelta(days=61))
    client.force_login(person)
    for address in (reverse("wagtailadmin_home"), reverse("wagtailadmin_explore_root"), "/admin/unit/staff/"):
        response = client.get(address)
        assert response.status_code == 302 and response.url == ACCOUNT + "#password"
    page = client.get(ACCOUNT).content.decode()
    assert "Mật khẩu của bạn đã dùng quá 60 ngày" in page
    assert client.post(reverse("wagtailadmin_logout")).status_code == 302
    client.force_login(person)
    assert account_form(client, "pw-test-123", PASSPHRASE).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_an_account_made_by_the_unit_administrator_chooses_its_own_password_first(client, staff, settings):
    settings.AXES_ENABLED = True
    client.force_login(staff[Role.UNIT_ADMIN])
    add = reverse("workflows_unit_admin:staff_add", kwargs={"unit_slug": "taichinh"})
    group = staff[Role.REPORTER].groups.get()
    client.post(add, {"username": "tc.ctv.moi", "last_name": "Phạm", "first_name": "An", "email": "an@example.vn",
                      "is_active": "on", "roles": [group.pk], "new_password": PASSPHRASE, "confirm_password": PASSPHRASE})
    client.logout()
    # Their password, then their authenticator app's code (set up at enrolment).
    response = sign_in_with_code(client, get_user_model().objects.get(username="tc.ctv.moi"), PASSPHRASE)
    assert response.status_code == 302
    response = client.get(reverse("wagtailadmin_home"), follow=True)
    assert response.redirect_chain[-1][0] == ACCOUNT + "#password"
    assert "Mật khẩu của bạn do quản trị viên đặt" in response.content.decode()
    assert account_form(client, PASSPHRASE, "Bai-viet-dau-tien-2026").status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_sign_in_stores_the_password_as_argon2(client, staff, settings):
    settings.AXES_ENABLED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]
    person = staff[Role.REPORTER]
    assert person.password.startswith("md5$")
    assert client.post("/admin/login/", {"username": person.username, "password": "pw-test-123"}).status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2")
    # An upgrade is not a new password: the clock does not restart.
    assert person.password_changed_at == staff[Role.REPORTER].password_changed_at


def test_changepassword_applies_the_history_rule(staff, monkeypatch):
    person = staff[Role.REPORTER]
    answers = iter(["pw-test-123"] * 6)
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": next(answers))
    with pytest.raises(CommandError):
        call_command("changepassword", person.username)
    answers = iter([PASSPHRASE, PASSPHRASE])
    call_command("changepassword", person.username)
    assert PasswordHistory.objects.filter(user=person).count() == 1
