"""A unit's private part of the archive: its own staff see, choose and
search what is there; another unit's staff find it nowhere (listings,
choosers, chooser search, the picked item by its id, the edit pages) until
a story of the unit shows it to readers, when it moves to the unit's part
of the shared archive; the archive manager curates all of it."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from wagtail.models import Collection, GroupCollectionPermission

from assets.collections import shared_collection
from assets.models import Media
from newsroom.models import Unit
from tests.helpers import client_for, image_block, make_article, make_image, make_staff
from tests.shared import built_once
from workflows.models import Role
from workflows.roles import sync_system_roles, unit_group

pytestmark = pytest.mark.django_db


def build_private(newsroom, staff):
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    manager = make_staff(finance, Role.REPORTER, "kho.quanly")
    manager.groups.set([sync_system_roles()[Role.ARCHIVE_MANAGER]])
    private = finance.private_collection
    return {
        "picture": make_image("Hiện trường vụ cháy chưa đăng", size=(64, 36), collection=private, uploaded_by_user=staff[Role.REPORTER]),
        "video": Media.objects.create(
            title="Phỏng vấn độc quyền chưa đăng", kind="video", file=ContentFile(b"\0" * 64, name="doc-quyen.mp4"),
            collection=private, uploaded_by=staff[Role.REPORTER],
        ),  # fmt: skip
        "province_desk": make_staff(newsroom.province.unit, Role.DESK_EDITOR, "ld.bien_tap"),
        "manager": manager,
    }


_module_private = built_once("private", build_private, "newsroom", "staff")


@pytest.fixture
def private(staff, _module_private, shared_data, newsroom):
    return shared_data(_module_private, build_private, newsroom, staff)



def what_they_find(user, picture, video):
    """Where the person meets the private picture and video in the admin."""
    client = client_for(user)
    found = {
        "picture listing": picture.title in client.get("/admin/images/").content.decode(),
        "picture chooser": picture.title in client.get("/admin/images/chooser/").json()["html"],
        "picture chooser search": picture.title in client.get("/admin/images/chooser/results/", {"q": "hien truong"}).content.decode(),
        "picture picked by id": client.get(f"/admin/images/chooser/chosen/{picture.pk}/").status_code == 200,
        "video listing": video.title in client.get("/admin/snippets/assets/media/").content.decode(),
        "video listing search": video.title in client.get("/admin/snippets/assets/media/", {"q": "doc quyen"}).content.decode(),
        "video chooser": video.title in client.get("/admin/snippets/choose/assets/media/").json()["html"],
        "video picked by id": client.get(f"/admin/snippets/choose/assets/media/chosen/{video.pk}/").status_code == 200,
    }
    return {where for where, seen in found.items() if seen}


CHOOSERS = {"picture chooser", "picture chooser search", "picture picked by id", "video chooser", "video picked by id"}
EVERYWHERE = CHOOSERS | {"picture listing", "video listing", "video listing search"}


@pytest.mark.parametrize(
    "who,where",
    [
        (Role.REPORTER, EVERYWHERE),
        (Role.DESK_EDITOR, EVERYWHERE),
        (Role.EDITOR_IN_CHIEF, EVERYWHERE),
        # Distribution puts archive items in posts; it has no archive listing.
        (Role.DISTRIBUTION, CHOOSERS),
        ("other_unit_reporter", set()),
        ("other_unit_editor_in_chief", set()),
        ("province_desk", set()),
        ("manager", EVERYWHERE),
    ],
)
def test_who_finds_a_unit_s_private_items_where(private, staff, who, where):
    user = private[who] if who in private else staff[who]
    assert what_they_find(user, private["picture"], private["video"]) == where


def test_another_unit_cannot_open_or_change_a_private_item(private):
    client = client_for(private["province_desk"])
    for url in (f"/admin/images/{private['picture'].pk}/", f"/admin/snippets/assets/media/edit/{private['video'].pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404) and private["picture"].title not in response.content.decode()


def test_the_unit_s_staff_may_upload_to_the_private_part(private, staff, newsroom):
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    response = client_for(staff[Role.REPORTER]).post(
        "/admin/snippets/assets/media/add/",
        {
            "title": "Ghi âm nguồn tin", "kind": "audio", "license": "all-rights-reserved", "collection": finance.private_collection_id,
            "file": ContentFile(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\0" * 64, name="nguon-tin.mp3"),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert Media.objects.get(title="Ghi âm nguồn tin").collection_id == finance.private_collection_id


def test_a_published_story_releases_what_it_shows_to_the_shared_archive(private, staff, newsroom):
    picture, video = private["picture"], private["video"]
    assert what_they_find(private["province_desk"], picture, video) == set()

    make_article(newsroom.finance.economy, title="Cháy lớn ở khu công nghiệp", body=[image_block(picture), ("video", {"video": video, "caption": ""})])

    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    picture.refresh_from_db()
    video.refresh_from_db()
    assert picture.collection_id == video.collection_id == finance.archive_collection_id
    assert what_they_find(private["province_desk"], picture, video) == EVERYWHERE


def test_a_draft_showing_a_private_item_keeps_it_private(private, staff, newsroom):
    picture = private["picture"]
    make_article(newsroom.finance.economy, title="Bản nháp vụ cháy", body=[image_block(picture)], publish=False)
    picture.refresh_from_db()
    assert picture.collection_id == Unit.objects.get(pk=newsroom.finance.unit.pk).private_collection_id


def test_the_migration_gives_existing_units_their_private_part(newsroom, staff):
    # Its function, run on the project's models (the same fields as the
    # migration's own at this point), on the archive as it stood before:
    # units' collections in the root, choosing granted on the root.
    migration = importlib.import_module("workflows.migrations.0010_private_archive_collections")
    root = Collection.get_first_root_node()
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    shared = shared_collection()
    Unit.objects.update(private_collection=None)
    Collection.objects.filter(name__endswith="– Riêng").delete()
    for unit in Unit.objects.all():
        unit.archive_collection.move(root, pos="sorted-child")
    Collection.objects.get(pk=shared.pk).delete()
    loose = make_image("Ảnh trong gốc", size=(16, 16), collection=root)
    desk = unit_group(finance, Role.DESK_EDITOR)
    GroupCollectionPermission.objects.filter(group=desk).delete()
    choose = Permission.objects.get(content_type__app_label="wagtailimages", codename="choose_image")
    GroupCollectionPermission.objects.create(group=desk, collection=root, permission=choose)

    migration.forwards(apps, None)

    finance = Unit.objects.get(pk=finance.pk)
    shared = Collection.objects.get(name="Kho dùng chung")
    assert finance.archive_collection.get_parent() == shared and shared.get_parent() == root
    assert finance.private_collection.get_parent() == root and finance.private_collection.name == "Thời báo Tài chính – Riêng"
    loose.refresh_from_db()
    assert loose.collection == shared
    held = set(GroupCollectionPermission.objects.filter(group=desk).values_list("collection_id", "permission__codename"))
    assert (root.pk, "choose_image") not in held
    assert {(shared.pk, "choose_image"), (shared.pk, "choose_media"), (finance.private_collection_id, "choose_media")} <= held
    assert (finance.private_collection_id, "change_image") in held
    # Wagtail's tree reads right after the move: every path and depth consistent.
    assert Collection.find_problems() == ([], [], [], [], [])
