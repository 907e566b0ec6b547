"""Channels in the admin, through HTTP with people in their roles: who sees
and sets up which unit's channels, the form built from the platform's
adapter, write-only credentials (never in a page, a log line or the audit
log), sections of the channel's unit only, enable / disable."""

import logging

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from publishing.models import Channel
from tests.helpers import refused
from tests.publishing.conftest import make_channel
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (a form and its secret): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

SECRET = "123456:SUPER-secret-bot-token-do-not-show"
NEW_SECRET = "654321:another-secret-token-zzz"


def as_user(client, user):
    client.force_login(user)
    return client


def telegram_form(unit, **overrides):
    data = {
        "unit": unit.pk if unit else None,
        "name": "Kênh Telegram Tài chính",
        "auto_publish": "on",
        "base_url": "",
        "rate_limit_per_minute": "20",
        "config__chat_id": "@taichinh",
        "credential__bot_token": SECRET,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def caught_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_unit_admin_sets_up_a_channel_and_its_secret_never_comes_back(client, newsroom, staff, caught_logs):
    unit = newsroom.finance.unit
    as_user(client, staff[Role.UNIT_ADMIN])
    pages = [client.get(reverse("publishing_channels:choose_kind"))]
    assert pages[0].status_code == 200
    assert reverse("publishing_channels:create", kwargs={"kind": "telegram"}) in pages[0].content.decode()

    pages.append(client.get(reverse("publishing_channels:create", kwargs={"kind": "telegram"})))
    html = pages[-1].content.decode()
    assert 'name="credential__bot_token"' in html and 'type="password"' in html and 'name="config__chat_id"' in html

    response = client.post(
        reverse("publishing_channels:create", kwargs={"kind": "telegram"}),
        telegram_form(unit, sections=[newsroom.finance.economy.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(name="Kênh Telegram Tài chính")
    assert channel.unit == unit and channel.kind == "telegram"
    assert channel.credentials == {"bot_token": SECRET}
    assert SECRET not in channel.credentials_encrypted
    assert channel.config["chat_id"] == "@taichinh"
    assert list(channel.sections.all()) == [newsroom.finance.economy]

    pages.append(client.get(reverse("publishing_channels:index")))
    pages.append(client.get(reverse("publishing_channels:edit", args=[channel.pk])))
    assert pages[-1].status_code == 200
    assert 'id="id_credential__bot_token"' in pages[-1].content.decode()

    # Saving with the secret left empty keeps it; a new one replaces it.
    edit = telegram_form(None, name="Telegram TC", credential__bot_token="")
    pages.append(client.post(reverse("publishing_channels:edit", args=[channel.pk]), edit))
    assert pages[-1].status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Telegram TC" and channel.credentials == {"bot_token": SECRET}
    pages.append(client.post(reverse("publishing_channels:edit", args=[channel.pk]), {**edit, "credential__bot_token": NEW_SECRET}))
    channel.refresh_from_db()
    assert channel.credentials == {"bot_token": NEW_SECRET}
    # A form sent back with an error does not echo what was typed either.
    pages.append(client.post(reverse("publishing_channels:edit", args=[channel.pk]), {**edit, "name": "", "credential__bot_token": SECRET}))
    assert pages[-1].status_code == 400
    pages.append(client.get(reverse("publishing_channels:edit", args=[channel.pk])))

    for page in pages:
        body = page.content.decode()
        assert SECRET not in body and NEW_SECRET not in body
    for record in caught_logs.records:
        assert SECRET not in record.getMessage() and NEW_SECRET not in record.getMessage()
    entries = ModelLogEntry.objects.filter(object_id=str(channel.pk))
    assert {e.action for e in entries} >= {"wagtail.create", "wagtail.edit"}
    for entry in entries:
        assert SECRET not in str(entry.data) and NEW_SECRET not in str(entry.data) and SECRET not in entry.label
    assert any("credentials" in entry.data.get("changed", []) for entry in entries)


def test_a_new_channel_needs_its_credentials(client, newsroom, staff):
    as_user(client, staff[Role.EDITOR_IN_CHIEF])
    response = client.post(
        reverse("publishing_channels:create", kwargs={"kind": "telegram"}), telegram_form(newsroom.finance.unit, credential__bot_token="")
    )
    assert response.status_code == 400
    assert "credential__bot_token" in response.context["form"].errors
    assert not Channel.objects.exists()


def test_units_and_sections_of_other_units_cannot_be_chosen(client, newsroom, staff):
    as_user(client, staff[Role.UNIT_ADMIN])
    create = reverse("publishing_channels:create", kwargs={"kind": "telegram"})
    # Another unit: not a choice.
    response = client.post(create, telegram_form(newsroom.province.unit))
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    # A section of another unit.
    response = client.post(create, telegram_form(newsroom.finance.unit, sections=[newsroom.province.news.pk]))
    assert response.status_code == 400 and "sections" in response.context["form"].errors
    assert not Channel.objects.exists()
    # An unknown platform.
    assert client.get(reverse("publishing_channels:create", kwargs={"kind": "myspace"})).status_code == 404


def test_who_sees_and_who_configures(client, newsroom, staff):
    finance = make_channel(newsroom.finance.unit, "telegram", name="Telegram Tài chính")
    province = make_channel(newsroom.province.unit, "telegram", name="Telegram Lâm Đồng")
    index = reverse("publishing_channels:index")

    # Phát hành sees the unit's channels but does not set them up.
    as_user(client, staff[Role.DISTRIBUTION])
    html = client.get(index).content.decode()
    assert "Telegram Tài chính" in html and "Telegram Lâm Đồng" not in html
    assert f'href="{reverse("publishing_channels:edit", args=[finance.pk])}"' not in html
    assert refused(client.get(reverse("publishing_channels:edit", args=[finance.pk])))
    assert refused(client.get(reverse("publishing_channels:choose_kind")))
    assert refused(client.post(reverse("publishing_channels:create", kwargs={"kind": "telegram"}), telegram_form(newsroom.finance.unit)))
    assert refused(client.post(reverse("publishing_channels:delete", args=[finance.pk])))
    assert Channel.objects.filter(pk=finance.pk).exists()

    # A reporter has nothing to do here.
    as_user(client, staff[Role.REPORTER])
    assert refused(client.get(index))
    assert refused(client.post(reverse("publishing_channels:disable", args=[finance.pk])))

    # Another unit's editor-in-chief cannot even see this unit's channel.
    as_user(client, staff["other_unit_editor_in_chief"])
    html = client.get(index).content.decode()
    assert "Telegram Lâm Đồng" in html and "Telegram Tài chính" not in html
    for name in ("edit", "delete"):
        assert client.get(reverse(f"publishing_channels:{name}", args=[finance.pk])).status_code == 404
    assert client.post(reverse("publishing_channels:disable", args=[finance.pk])).status_code == 404
    finance.refresh_from_db()
    assert finance.enabled

    # The unit's editor-in-chief deletes their own channel.
    as_user(client, staff[Role.EDITOR_IN_CHIEF])
    assert client.get(reverse("publishing_channels:delete", args=[finance.pk])).status_code == 200
    assert client.post(reverse("publishing_channels:delete", args=[finance.pk])).status_code == 302
    assert not Channel.objects.filter(pk=finance.pk).exists() and Channel.objects.filter(pk=province.pk).exists()


def test_publishers_disable_and_enable_a_channel(client, newsroom, staff):
    channel = make_channel(newsroom.finance.unit, "telegram", name="Telegram Tài chính")
    as_user(client, staff[Role.DISTRIBUTION])
    assert client.post(reverse("publishing_channels:disable", args=[channel.pk])).status_code == 302
    channel.refresh_from_db()
    assert not channel.enabled and channel.disabled_reason
    html = client.get(reverse("publishing_channels:index")).content.decode()
    assert channel.disabled_reason in html.replace("&#x27;", "'")
    assert client.post(reverse("publishing_channels:enable", args=[channel.pk])).status_code == 302
    channel.refresh_from_db()
    assert channel.enabled and not channel.disabled_reason
    assert {e.action for e in ModelLogEntry.objects.filter(object_id=str(channel.pk))} == {"hoitu.channel.disable", "hoitu.channel.enable"}
    # Switching is a POST only.
    assert client.get(reverse("publishing_channels:disable", args=[channel.pk])).status_code == 405


def test_platform_switch_settings_are_tick_boxes(client, newsroom, staff):
    """X cannot edit a post: whether a correction replaces it is on or off,
    never a word that would read as "on"."""
    as_user(client, staff[Role.UNIT_ADMIN])
    html = client.get(reverse("publishing_channels:create", kwargs={"kind": "x"})).content.decode()
    assert 'type="checkbox" name="config__replace_on_update"' in html
    response = client.post(
        reverse("publishing_channels:create", kwargs={"kind": "x"}),
        {"unit": newsroom.finance.unit.pk, "name": "X TC", "rate_limit_per_minute": "10", "credential__access_token": "tok-x-secret",
         "config__username": "taichinh"},
    )
    assert response.status_code == 302
    assert Channel.objects.get(name="X TC").config["replace_on_update"] is False


def test_platform_form_fields_are_used_and_validated(client, newsroom, staff):
    """YouTube gives its own fields (a choice, a number): bad values are
    refused with the field's message, good ones stored."""
    as_user(client, staff[Role.UNIT_ADMIN])
    create = reverse("publishing_channels:create", kwargs={"kind": "youtube"})
    assert 'value="unlisted"' in client.get(create).content.decode()
    data = {"unit": newsroom.finance.unit.pk, "name": "YouTube TC", "rate_limit_per_minute": "5", "credential__client_id": "cid",
            "credential__client_secret": "csecret-zz", "credential__refresh_token": "rtok-zz", "config__privacy": "everyone",
            "config__category_id": "news"}
    response = client.post(create, data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"config__privacy", "config__category_id"}
    assert "csecret-zz" not in response.content.decode()
    response = client.post(create, {**data, "config__privacy": "unlisted", "config__category_id": "25"})
    assert response.status_code == 302
    channel = Channel.objects.get(name="YouTube TC")
    assert channel.config == {"privacy": "unlisted", "category_id": "25"}
    assert channel.credentials == {"client_id": "cid", "client_secret": "csecret-zz", "refresh_token": "rtok-zz"}


def test_credentials_unreadable_after_a_key_change_are_entered_again(client, newsroom, staff):
    channel = make_channel(newsroom.finance.unit, "telegram", name="Telegram Tài chính")
    Channel.objects.filter(pk=channel.pk).update(credentials_encrypted="gAAAAA-encrypted-with-a-lost-key")
    as_user(client, staff[Role.UNIT_ADMIN])
    url = reverse("publishing_channels:edit", args=[channel.pk])
    assert client.get(url).status_code == 200
    edit = telegram_form(None, credential__bot_token="")
    response = client.post(url, edit)
    assert response.status_code == 400 and "credential__bot_token" in response.context["form"].errors
    assert client.post(url, {**edit, "credential__bot_token": NEW_SECRET}).status_code == 302
    channel.refresh_from_db()
    assert channel.credentials == {"bot_token": NEW_SECRET}


def test_the_empty_list_says_what_to_do(client, newsroom, staff):
    as_user(client, staff[Role.UNIT_ADMIN])
    html = client.get(reverse("publishing_channels:index")).content.decode()
    assert 'id="hoitu-channels-empty"' in html and reverse("publishing_channels:choose_kind") in html
