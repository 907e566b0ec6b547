"""The archive gets a shared part and a private part per unit: the units'
collections move under a new "Kho dùng chung" (with what sat in the root,
shared, before), each unit gets "<unit> – Riêng" beside it, and the role
groups choose from the shared part and their own private part instead of
the whole root; choosing video and audio becomes a permission of its own,
as for pictures. The role table is frozen here as it stood
(workflows.roles holds the live one)."""

from django.db import migrations

SHARED = "Kho dùng chung"
UPLOAD = ("wagtailimages.add_image", "assets.add_media")
EDIT = UPLOAD + ("wagtailimages.change_image", "assets.change_media")
CHOOSE = ("wagtailimages.choose_image", "assets.choose_media")
ON_UNIT = {
    "reporter": UPLOAD, "contributor": UPLOAD, "desk_editor": EDIT, "section_head": EDIT,
    "managing_editor": EDIT, "editor_in_chief": EDIT, "deputy_editor": EDIT,
}
CHOOSERS = (*ON_UNIT, "distribution")
MANAGERS = ("system_admin", "archive_manager")
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _child_path(parent, Collection):
    # Wagtail's collections are a treebeard tree: steps of 4 base-36 digits.
    last = (
        Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).order_by("-path").values_list("path", flat=True).first()
    )
    number = int(last[-4:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = BASE36[digit] + step
    return parent.path + step.rjust(4, "0")


def _add_child(parent, name, Collection):
    child = Collection.objects.create(name=name, path=_child_path(parent, Collection), depth=parent.depth + 1, numchild=0)
    Collection.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return child


def _move_under(node, parent, old_parent, Collection):
    """``node`` and everything under it become the last child of ``parent``."""
    old_path, new_path = node.path, _child_path(parent, Collection)
    shift = parent.depth + 1 - node.depth
    for moved in Collection.objects.filter(path__startswith=old_path).order_by("depth"):
        Collection.objects.filter(pk=moved.pk).update(path=new_path + moved.path[len(old_path):], depth=moved.depth + shift)
    Collection.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    Collection.objects.filter(pk=old_parent.pk).update(numchild=max(old_parent.numchild - 1, 0))
    old_parent.numchild = max(old_parent.numchild - 1, 0)


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Unit = apps.get_model("newsroom", "Unit")
    UnitGroup = apps.get_model("workflows", "UnitGroup")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None or not Unit.objects.exists():
        return  # a new installation: workflows.roles builds all this with its first unit

    # Permissions are made after every migration: this one is needed now.
    media_type, _created = ContentType.objects.get_or_create(app_label="assets", model="media")
    Permission.objects.get_or_create(content_type=media_type, codename="choose_media", defaults={"name": "Can choose video or audio"})
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(content_type__app_label__in=("assets", "wagtailimages")).select_related("content_type")
    }

    shared = Collection.objects.filter(depth=2, path__startswith=root.path, name=SHARED).first() or _add_child(root, SHARED, Collection)
    for model in ("archiveimage", "media"):
        apps.get_model("assets", model).objects.filter(collection=root).update(collection=shared)
    owned, private = {}, {}
    for unit in Unit.objects.order_by("pk"):
        collection = Collection.objects.filter(pk=unit.archive_collection_id).first()
        if collection is not None and not collection.path.startswith(shared.path):
            root.refresh_from_db()
            _move_under(collection, shared, root, Collection)
        if unit.private_collection_id is None:
            root.refresh_from_db()
            unit.private_collection = _add_child(root, f"{unit.name} – Riêng"[:255], Collection)
            unit.save(update_fields=["private_collection"])
        owned[unit.pk], private[unit.pk] = unit.archive_collection_id, unit.private_collection_id

    for link in UnitGroup.objects.select_related("group"):
        if link.role in MANAGERS:
            wanted = {(root.pk, permissions[name].pk) for name in CHOOSE if name in permissions}
            for collection_id, permission_id in wanted:
                GroupCollectionPermission.objects.get_or_create(group=link.group, collection_id=collection_id, permission_id=permission_id)
            continue
        if link.unit_id not in owned:
            continue
        choose = CHOOSE if link.role in CHOOSERS else ()
        wanted = {(shared.pk, permissions[name].pk) for name in choose if name in permissions}
        wanted |= {(owned[link.unit_id], permissions[name].pk) for name in ON_UNIT.get(link.role, ()) if name in permissions}
        wanted |= {(private[link.unit_id], permissions[name].pk) for name in choose + ON_UNIT.get(link.role, ()) if name in permissions}
        for held in GroupCollectionPermission.objects.filter(group=link.group):
            if (held.collection_id, held.permission_id) not in wanted:
                held.delete()
        for collection_id, permission_id in wanted:
            GroupCollectionPermission.objects.get_or_create(group=link.group, collection_id=collection_id, permission_id=permission_id)


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0009_staff_tokens"),
        ("newsroom", "0008_unit_private_collection"),
        ("assets", "0011_usage_rights"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
