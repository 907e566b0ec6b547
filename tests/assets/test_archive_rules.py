"""The shared archive's rules per unit: every unit sees and chooses every
picture and video or audio item; only the unit that owns one (its staff
with the right role) or an archive manager changes or deletes it. Unit
A's desk editors could change a picture of unit B, and the edited caption
showed on B's live page outside B's workflow."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Collection, GroupCollectionPermission

from assets.collections import shared_collection
from assets.models import ArchiveImage, Media
from newsroom.models import Unit
from tests.helpers import client_for, make_article, make_image, make_staff
from tests.shared import built_once
from workflows.models import Role
from workflows.roles import sync_system_roles, unit_group

pytestmark = pytest.mark.django_db


def build_archive(newsroom, staff):
    """A picture and a video of the finance unit (A), a desk editor of the
    province unit (B), an archive manager."""
    finance, province = newsroom.finance.unit, newsroom.province.unit
    manager = make_staff(finance, Role.REPORTER, "luutru")
    manager.groups.set([sync_system_roles()[Role.ARCHIVE_MANAGER]])
    return {
        "picture": make_image("Lễ ký kết", size=(64, 36), caption="Chú thích gốc", collection=finance.archive_collection),
        "video": Media.objects.create(
            title="Phóng sự hội nghị", kind="video", file=ContentFile(b"\0" * 64, name="hoi-nghi.mp4"), collection=finance.archive_collection
        ),
        "province_desk": make_staff(province, Role.DESK_EDITOR, "ld.desk_editor"),
        "manager": manager,
    }


_module_archive = built_once("archive", build_archive, "newsroom", "staff")


@pytest.fixture
def archive(staff, _module_archive, shared_data, newsroom):
    return shared_data(_module_archive, build_archive, newsroom, staff)



def refused(response):
    """Wagtail's admin answers a refusal with 403, or (pages, not JSON) a
    redirect to the dashboard saying so."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def image_fields(image, **changes):
    fields = {"title": image.title, "caption": image.caption, "credit": "", "source": "", "license": image.license}
    return {**fields, "collection": image.collection_id, **changes}


def test_each_unit_has_its_part_of_the_shared_archive_and_a_private_part_beside_it(newsroom, staff):
    finance, province = (Unit.objects.get(pk=held.unit.pk) for held in (newsroom.finance, newsroom.province))
    root = Collection.get_first_root_node()
    assert finance.archive_collection.name == "Thời báo Tài chính"
    assert finance.archive_collection != province.archive_collection
    assert province.archive_collection.get_parent() == finance.archive_collection.get_parent() == shared_collection()
    assert shared_collection().get_parent() == root
    assert (finance.private_collection.name, finance.private_collection.get_parent()) == ("Thời báo Tài chính – Riêng", root)


def test_another_unit_s_desk_editor_can_neither_change_nor_delete_a_picture(archive, newsroom):
    picture, client = archive["picture"], client_for(archive["province_desk"])

    assert refused(client.get(f"/admin/images/{picture.pk}/"))
    assert refused(client.post(f"/admin/images/{picture.pk}/", image_fields(picture, caption="Chú thích sửa trộm")))
    assert refused(client.post(f"/admin/images/{picture.pk}/delete/"))

    # The listing's bulk actions leave it alone too.
    own = newsroom.province.unit.archive_collection
    client.post(f"/admin/bulk/assets/archiveimage/add_to_collection/?id={picture.pk}", {"collection": own.pk})
    client.post(f"/admin/bulk/assets/archiveimage/delete/?id={picture.pk}")

    picture = ArchiveImage.objects.get(pk=picture.pk)
    assert (picture.caption, picture.collection_id) == ("Chú thích gốc", newsroom.finance.unit.archive_collection.pk)


def test_the_owning_unit_s_desk_editor_and_the_archive_manager_may(archive, staff):
    picture = archive["picture"]
    response = client_for(staff[Role.DESK_EDITOR]).post(f"/admin/images/{picture.pk}/", image_fields(picture, caption="Chú thích của ban"))
    assert response.status_code == 302
    assert ArchiveImage.objects.get(pk=picture.pk).caption == "Chú thích của ban"

    manager = client_for(archive["manager"])
    response = manager.post(f"/admin/images/{picture.pk}/", image_fields(picture, caption="Chú thích của kho"))
    assert response.status_code == 302
    assert ArchiveImage.objects.get(pk=picture.pk).caption == "Chú thích của kho"
    assert manager.post(f"/admin/images/{picture.pk}/delete/").status_code == 302
    assert not ArchiveImage.objects.filter(pk=picture.pk).exists()


def test_another_unit_still_lists_and_chooses_the_picture(archive):
    picture, client = archive["picture"], client_for(archive["province_desk"])

    listing = client.get("/admin/images/").content.decode()
    assert "Lễ ký kết" in listing
    assert f"/admin/images/{picture.pk}/" not in listing  # no edit link to a picture of another unit
    assert "Lễ ký kết" in client.get("/admin/images/chooser/").json()["html"]


def test_an_upload_lands_in_the_uploader_s_unit(archive, newsroom):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, "JPEG")
    response = client_for(archive["province_desk"]).post(
        "/admin/images/add/",
        {
            "title": "Chợ Đà Lạt", "license": "all-rights-reserved", "collection": newsroom.province.unit.archive_collection.pk,
            "file": SimpleUploadedFile("cho.jpg", buffer.getvalue(), "image/jpeg"),
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert ArchiveImage.objects.get(title="Chợ Đà Lạt").collection == newsroom.province.unit.archive_collection


def media_fields(item, **changes):
    return {"title": item.title, "kind": item.kind, "license": item.license, "collection": item.collection_id, **changes}


def test_another_unit_s_desk_editor_can_neither_change_nor_delete_a_video(archive):
    video, client = archive["video"], client_for(archive["province_desk"])

    assert refused(client.get(f"/admin/snippets/assets/media/edit/{video.pk}/"))
    assert refused(client.post(f"/admin/snippets/assets/media/edit/{video.pk}/", media_fields(video, title="Sửa trộm")))
    assert refused(client.post(f"/admin/snippets/assets/media/delete/{video.pk}/"))
    client.post(f"/admin/bulk/assets/media/delete/?id={video.pk}")
    assert Media.objects.get(pk=video.pk).title == "Phóng sự hội nghị"

    # Still theirs to find and to put in a story.
    assert "Phóng sự hội nghị" in client.get("/admin/snippets/assets/media/").content.decode()
    assert "Phóng sự hội nghị" in client.get("/admin/snippets/choose/assets/media/").json()["html"]


def test_the_owning_unit_s_desk_editor_may_change_a_video_and_the_archive_manager_delete_it(archive, staff):
    video = archive["video"]
    response = client_for(staff[Role.DESK_EDITOR]).post(f"/admin/snippets/assets/media/edit/{video.pk}/", media_fields(video, title="Phóng sự mới"))
    assert response.status_code == 302
    assert Media.objects.get(pk=video.pk).title == "Phóng sự mới"

    assert client_for(archive["manager"]).post(f"/admin/snippets/assets/media/delete/{video.pk}/").status_code == 302
    assert not Media.objects.filter(pk=video.pk).exists()


def test_a_reporter_s_new_video_is_their_unit_s_and_theirs(staff, newsroom):
    reporter = staff[Role.REPORTER]
    recording = SimpleUploadedFile("ban-tin.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\0" * 64)  # an MP3 by its first bytes
    response = client_for(reporter).post(
        "/admin/snippets/assets/media/add/",
        {
            "title": "Bản tin sáng", "kind": "audio", "license": "all-rights-reserved", "file": recording,
            "collection": newsroom.finance.unit.archive_collection.pk,
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    item = Media.objects.get(title="Bản tin sáng")
    assert (item.collection, item.uploaded_by) == (newsroom.finance.unit.archive_collection, reporter)


def test_the_migration_puts_existing_items_in_the_unit_that_uses_them(newsroom, staff):
    # Its function, run on the project's models (the same fields as the
    # migration's own at this point).
    migration = importlib.import_module("workflows.migrations.0004_unit_archive_collections")
    finance, province = newsroom.finance.unit, newsroom.province.unit
    root = Collection.get_first_root_node()
    make_article(newsroom.province.news, title="Ga Đà Lạt", cover_image=newsroom.site_photo)  # used by both units
    bus_cover = newsroom.province.bus.cover_image
    unused = make_image("Chưa dùng", size=(32, 32), uploaded_by_user=staff[Role.REPORTER])
    # As the groups stood: every desk editor changed the whole archive.
    desk = unit_group(province, Role.DESK_EDITOR)
    change = Permission.objects.get(content_type__app_label="wagtailimages", codename="change_image")
    GroupCollectionPermission.objects.create(group=desk, collection=root, permission=change)
    ArchiveImage.objects.update(collection=root)  # where every picture was then

    migration.forwards(apps, None)

    collection_of = dict(ArchiveImage.objects.values_list("pk", "collection_id"))
    assert collection_of[newsroom.cover.pk] == finance.archive_collection.pk
    assert collection_of[bus_cover.pk] == province.archive_collection.pk
    assert collection_of[newsroom.site_photo.pk] == root.pk
    assert collection_of[unused.pk] == finance.archive_collection.pk
    held = set(GroupCollectionPermission.objects.filter(group=desk).values_list("collection_id", "permission__codename"))
    assert held == {
        (root.pk, "choose_image"),
        *((province.archive_collection.pk, name) for name in ("add_image", "change_image", "add_media", "change_media")),
    }
