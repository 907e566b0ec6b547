"""What no catalogue translates is named in Vietnamese after migrating: the
permissions the group pages list, and the groups, step and workflow
Wagtail's own migrations create."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import Task, Workflow

from workflows.admin_words import WAGTAIL_GROUPS, WAGTAIL_STEPS, WAGTAIL_WORKFLOWS

pytestmark = pytest.mark.django_db


def test_permissions_groups_and_wagtails_workflow_are_named_in_vietnamese():
    assert Permission.objects.get(codename="add_media").name == "Được thêm video hoặc âm thanh"
    assert Permission.objects.get(codename="choose_image").name.startswith("Được chọn ")
    assert Permission.objects.get(codename="publish_page").name == "Xuất bản mọi trang"
    assert list(Permission.objects.filter(name__startswith="Can ").values_list("name", flat=True)) == []
    assert set(WAGTAIL_GROUPS.values()) <= set(Group.objects.values_list("name", flat=True))
    assert not Group.objects.filter(name__in=WAGTAIL_GROUPS).exists()
    assert Task.objects.filter(name__in=WAGTAIL_STEPS.values()).exists() and not Task.objects.filter(name__in=WAGTAIL_STEPS).exists()
    assert Workflow.objects.filter(name__in=WAGTAIL_WORKFLOWS.values()).exists()


def test_migrating_again_changes_nothing():
    before = list(Permission.objects.order_by("pk").values_list("name", flat=True))
    call_command("migrate", verbosity=0)
    assert list(Permission.objects.order_by("pk").values_list("name", flat=True)) == before
