"""Personal data: the register lists what is held, and a newsletter reader's
request to see or erase their data is served by their unit's distribution
people only, with nothing of the address left in the logs."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import ModelLogEntry

from audit.models import AuditEvent
from publishing.models import Subscriber
from tests.helpers import make_staff
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (an export and an erasure): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

EMAIL = "doc.gia.rieng@example.vn"


@pytest.fixture
def subscriptions(newsroom):
    return (
        Subscriber.objects.create(unit=newsroom.finance.unit, email=EMAIL),
        Subscriber.objects.create(unit=newsroom.province.unit, email=EMAIL),
    )


def test_the_distribution_editor_exports_and_erases_a_readers_data(newsroom, subscriptions, client):
    own, foreign = subscriptions
    client.force_login(make_staff(newsroom.finance.unit, Role.DISTRIBUTION))

    found = client.get(reverse("publishing_reader_data:requests"), {"email": EMAIL.upper()}).content.decode()
    assert newsroom.finance.unit.name in found and newsroom.province.unit.name not in found

    export = client.get(reverse("publishing_reader_data:export", args=[own.pk]))
    data = json.loads(export.content)
    assert data["email"] == EMAIL and data["unit"] == newsroom.finance.unit.name
    assert client.get(reverse("publishing_reader_data:export", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("publishing_reader_data:erase", args=[foreign.pk])).status_code == 404

    assert client.post(reverse("publishing_reader_data:erase", args=[own.pk])).status_code == 302
    assert not Subscriber.objects.filter(pk=own.pk).exists() and Subscriber.objects.filter(pk=foreign.pk).exists()
    entry = ModelLogEntry.objects.get(action="hoitu.subscriber_erased")
    assert EMAIL not in entry.label and EMAIL not in json.dumps(entry.data)
    assert not [event for event in AuditEvent.objects.all() if EMAIL in f"{event.object_label}{json.dumps(event.extra)}"]


def test_deleting_from_the_subscriber_list_is_an_erasure_too(newsroom, subscriptions, client):
    own, _foreign = subscriptions
    client.force_login(make_staff(newsroom.finance.unit, Role.DISTRIBUTION))
    assert client.post(reverse("newsletter_subscribers:delete", args=[own.pk])).status_code == 302
    assert not ModelLogEntry.objects.filter(label__contains=EMAIL).exists()
    assert ModelLogEntry.objects.filter(action="hoitu.subscriber_erased").exists()


def test_reporters_cannot_reach_readers_data(newsroom, subscriptions, client):
    client.force_login(make_staff(newsroom.finance.unit, Role.REPORTER))
    assert client.get(reverse("publishing_reader_data:requests"), {"email": EMAIL}).status_code in (302, 403)
    assert client.post(reverse("publishing_reader_data:erase", args=[subscriptions[0].pk])).status_code in (302, 403)
    assert Subscriber.objects.filter(pk=subscriptions[0].pk).exists()


def test_the_register_lists_what_is_held_for_system_administrators(newsroom, subscriptions, client, staff):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "pw-test-123")
    client.force_login(admin)
    page = client.get(reverse("workflows_personal_data:register")).content.decode()
    for key in ("staff", "sessions", "sign_in_attempts", "audit", "newsletter_subscribers"):
        assert f'data-register="{key}"' in page
    client.force_login(staff[Role.UNIT_ADMIN])
    assert client.get(reverse("workflows_personal_data:register")).status_code in (302, 403)
