"""Each unit gets its own collection of the shared archive, and its role
groups change only what is there: the archive's images and video or audio
items move to the collection of the one unit whose stories use them (or,
used by none, of their uploader's one unit); the others stay in the root,
shared, which only archive managers change. Every unit still chooses from
the whole archive. The role table is frozen here as it stood
(workflows.roles holds the live one)."""

from collections import defaultdict

from django.db import migrations

UPLOAD = ("wagtailimages.add_image", "assets.add_media")
EDIT = UPLOAD + ("wagtailimages.change_image", "assets.change_media")
CHOOSE = ("wagtailimages.choose_image",)
MANAGE = EDIT + CHOOSE + ("wagtailimages.delete_image", "assets.delete_media")
ON_UNIT = {
    "reporter": UPLOAD, "contributor": UPLOAD, "desk_editor": EDIT, "section_head": EDIT,
    "managing_editor": EDIT, "editor_in_chief": EDIT, "deputy_editor": EDIT,
}
ON_ROOT = {role: CHOOSE for role in (*ON_UNIT, "distribution")} | {"system_admin": MANAGE, "archive_manager": MANAGE}
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _child_path(root, Collection):
    # Wagtail's collections are a treebeard tree: steps of 4 base-36 digits.
    last = Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path).order_by("-path").values_list("path", flat=True).first()
    number = int(last[-4:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = BASE36[digit] + step
    return root.path + step.rjust(4, "0")


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    Unit = apps.get_model("newsroom", "Unit")
    UnitGroup = apps.get_model("workflows", "UnitGroup")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return

    collections, homes = {}, {}
    for unit in Unit.objects.select_related("site__root_page", "archive_collection"):
        if unit.archive_collection is None:
            unit.archive_collection = Collection.objects.create(name=unit.name, path=_child_path(root, Collection), depth=root.depth + 1, numchild=0)
            root.numchild += 1
            root.save(update_fields=["numchild"])
            unit.save(update_fields=["archive_collection"])
        collections[unit.pk] = unit.archive_collection
        homes[unit.pk] = unit.site.root_page.path

    _place(apps, "assets", "archiveimage", "uploaded_by_user_id", root, collections, homes)
    _place(apps, "assets", "media", "uploaded_by_id", root, collections, homes)

    permissions = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    media_model_permissions = [permissions[name] for name in ("assets.add_media", "assets.change_media", "assets.delete_media") if name in permissions]
    for link in UnitGroup.objects.select_related("group"):
        wanted = {(root.pk, permissions[name].pk) for name in ON_ROOT.get(link.role, ()) if name in permissions}
        if link.unit_id in collections:
            wanted |= {(collections[link.unit_id].pk, permissions[name].pk) for name in ON_UNIT.get(link.role, ()) if name in permissions}
        for held in GroupCollectionPermission.objects.filter(group=link.group):
            if (held.collection_id, held.permission_id) not in wanted:
                held.delete()
        for collection_id, permission_id in wanted:
            GroupCollectionPermission.objects.get_or_create(group=link.group, collection_id=collection_id, permission_id=permission_id)
        if link.role != "system_admin":
            # Video and audio are now granted per collection, like images.
            link.group.permissions.remove(*media_model_permissions)


def _place(apps, app_label, model_name, uploader_field, root, collections, homes):
    Model = apps.get_model(app_label, model_name)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    UnitGroup = apps.get_model("workflows", "UnitGroup")
    item_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if item_type is None:
        return

    def unit_of(path):
        return next((pk for pk, home in homes.items() if path.startswith(home)), None)

    users = defaultdict(set)
    references = list(ReferenceIndex.objects.filter(to_content_type=item_type, base_content_type=page_type).values_list("to_object_id", "object_id"))
    paths = dict(Page.objects.filter(pk__in={int(page) for _item, page in references}).values_list("pk", "path"))
    for item, page in references:
        if int(page) in paths:
            users[int(item)].add(unit_of(paths[int(page)]))
    for item in Model.objects.filter(collection=root).values("pk", uploader_field):
        units = users.get(item["pk"])
        if units is None and item[uploader_field]:
            units = set(UnitGroup.objects.filter(group__user=item[uploader_field], unit__isnull=False).values_list("unit_id", flat=True))
        units = (units or set()) - {None}
        if len(units) == 1:
            Model.objects.filter(pk=item["pk"]).update(collection=collections[units.pop()])


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0003_delivery_failed_notification"),
        ("newsroom", "0004_archive_collection"),
        ("assets", "0004_media_collection"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
