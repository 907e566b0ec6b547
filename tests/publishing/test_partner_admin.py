"""Partners of the content API in the admin: system administrators manage
them; a token is shown once, right after it is issued, and only its first
characters afterwards; the units' own staff cannot reach any of it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from publishing.models import Partner, hash_token
from tests.helpers import refused
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (a form and its token): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

TOKEN_RE = re.compile(r'id="hoitu-token-value"[^>]*value="(htp_[^"]+)"')


@pytest.fixture
def system_admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "pw-test-123")
    client.force_login(user)
    return user


def shown_token(response):
    match = TOKEN_RE.search(response.content.decode())
    return match.group(1) if match else None


def test_a_partners_token_is_shown_once(client, newsroom, system_admin):
    response = client.post(
        reverse("publishing_partners:create"),
        {"name": "Cổng thông tin tỉnh", "contact": "ks@example.vn", "units": [newsroom.finance.unit.pk],
         "sections": [newsroom.finance.economy.pk], "active": "on"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Cổng thông tin tỉnh")
    assert list(partner.units.all()) == [newsroom.finance.unit] and list(partner.sections.all()) == [newsroom.finance.economy]

    first = client.get(response.url)
    token = shown_token(first)
    assert token and partner.token_hash == hash_token(token) and token.startswith(partner.token_prefix)
    again = client.get(response.url)
    assert shown_token(again) is None and token not in again.content.decode()
    assert partner.token_prefix in again.content.decode()
    listing = client.get(reverse("publishing_partners:index")).content.decode()
    assert partner.token_prefix in listing and token not in listing

    # A new token replaces the old one and is shown once too.
    response = client.post(reverse("publishing_partners:new_token", args=[partner.pk]))
    new = shown_token(client.get(response.url))
    partner.refresh_from_db()
    assert new and new != token and partner.token_hash == hash_token(new)
    assert shown_token(client.get(response.url)) is None
    assert client.get(reverse("publishing_partners:new_token", args=[partner.pk])).status_code == 405

    entries = ModelLogEntry.objects.filter(object_id=str(partner.pk))
    assert {e.action for e in entries} == {"wagtail.create", "hoitu.partner.token"}
    assert all(token not in str(e.data) and new not in str(e.data) for e in entries)


def test_editing_keeps_the_token_and_checks_the_sections(client, newsroom, system_admin):
    partner = Partner(name="Báo bạn")
    partner.issue_token()
    partner.save()
    partner.units.set([newsroom.finance.unit])
    old_hash = partner.token_hash
    url = reverse("publishing_partners:edit", args=[partner.pk])

    response = client.post(url, {"name": "Báo bạn", "units": [newsroom.finance.unit.pk], "sections": [newsroom.province.news.pk]})
    assert response.status_code == 400 and "sections" in response.context["form"].errors
    response = client.post(url, {"name": "Báo bạn", "units": [newsroom.finance.unit.pk, newsroom.province.unit.pk], "active": ""})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.active and partner.token_hash == old_hash
    assert set(partner.units.all()) == {newsroom.finance.unit, newsroom.province.unit}
    assert client.post(reverse("publishing_partners:create"), {"name": "", "units": []}).status_code == 400


def test_unit_staff_cannot_manage_partners(client, newsroom, staff):
    partner = Partner(name="Báo bạn")
    partner.issue_token()
    partner.save()
    old_hash = partner.token_hash
    for role in (Role.UNIT_ADMIN, Role.EDITOR_IN_CHIEF, Role.DISTRIBUTION):
        client.force_login(staff[role])
        assert refused(client.get(reverse("publishing_partners:index")))
        assert refused(client.get(reverse("publishing_partners:create")))
        assert refused(client.post(reverse("publishing_partners:create"), {"name": "X", "units": [newsroom.finance.unit.pk]}))
        assert refused(client.post(reverse("publishing_partners:new_token", args=[partner.pk])))
        assert refused(client.get(reverse("publishing_partners:edit", args=[partner.pk])))
    partner.refresh_from_db()
    assert partner.token_hash == old_hash and Partner.objects.count() == 1


def test_the_empty_list_explains_partners(client, newsroom, system_admin):
    html = client.get(reverse("publishing_partners:index")).content.decode()
    assert 'id="hoitu-partners-empty"' in html and reverse("publishing_partners:create") in html
