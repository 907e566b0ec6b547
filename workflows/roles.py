"""Per-unit roles: which groups a unit has, what each may do, and the
unit's default workflow. ``sync_unit_roles`` is idempotent: it runs when a
unit or a section is created and from ``manage.py sync_unit_roles``."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from newsroom.models import SectionPage, Unit

from .models import Role, UnitApprovalTask, UnitGroup

# Page permission actions (Wagtail codenames without "_page").
DRAFT = ("add",)
EDIT = ("add", "change", "lock", "unlock")
PUBLISH = ("add", "change", "publish", "lock", "unlock")
MEDIA_UPLOAD = ("assets.add_media", "assets.change_media")
IMAGE_UPLOAD = ("add_image", "choose_image")
IMAGE_EDIT = ("add_image", "choose_image", "change_image")


@dataclass(frozen=True)
class RoleSpec:
    role: str
    # Stored group names are Vietnamese whatever the admin language.
    label: str
    page_actions: tuple = ()
    model_permissions: tuple = ()
    image_permissions: tuple = ()
    reviews: bool = False


UNIT_ROLES = [
    RoleSpec(Role.REPORTER, "Phóng viên", DRAFT, MEDIA_UPLOAD, IMAGE_UPLOAD),
    RoleSpec(Role.CONTRIBUTOR, "Cộng tác viên", DRAFT, MEDIA_UPLOAD, IMAGE_UPLOAD),
    RoleSpec(Role.DESK_EDITOR, "Biên tập viên", EDIT, MEDIA_UPLOAD, IMAGE_EDIT, reviews=True),
    RoleSpec(Role.MANAGING_EDITOR, "Thư ký tòa soạn", EDIT, MEDIA_UPLOAD, IMAGE_EDIT, reviews=True),
    RoleSpec(Role.EDITOR_IN_CHIEF, "Tổng biên tập", PUBLISH, MEDIA_UPLOAD, IMAGE_EDIT, reviews=True),
    RoleSpec(Role.DEPUTY_EDITOR, "Phó tổng biên tập", PUBLISH, MEDIA_UPLOAD, IMAGE_EDIT, reviews=True),
    RoleSpec(Role.DISTRIBUTION, "Phát hành", (), (), ("choose_image",)),
    RoleSpec(Role.UNIT_ADMIN, "Quản trị đơn vị", (), ("newsroom.add_user", "newsroom.change_user"), ()),
]
SECTION_HEAD = RoleSpec(Role.SECTION_HEAD, "Trưởng ban", ("add", "change", "lock"), MEDIA_UPLOAD, IMAGE_EDIT, reviews=True)
SPECS = {spec.role: spec for spec in UNIT_ROLES + [SECTION_HEAD]}
REVIEW_ROLES = {spec.role for spec in SPECS.values() if spec.reviews}
PUBLISH_ROLES = {Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Steps of a unit's default workflow: (step name, roles that approve it).
DEFAULT_STEPS = [
    ("Biên tập viên duyệt", (Role.DESK_EDITOR, Role.SECTION_HEAD)),
    ("Thư ký tòa soạn duyệt", (Role.MANAGING_EDITOR,)),
    ("Tổng biên tập duyệt", (Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR)),
]
SYSTEM_ROLES = {
    Role.SYSTEM_ADMIN: "Quản trị hệ thống",
    Role.ARCHIVE_MANAGER: "Quản lý kho tư liệu",
}


def group_name(unit, label, section=None):
    name = f"{unit.name} – {label}"
    if section is not None:
        name = f"{name} {section.title}"
    return name[:150]


def _permissions(codenames):
    """Permission rows for "app_label.codename" strings."""
    wanted = [c.split(".", 1) for c in codenames]
    found = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted})
    return [p for p in found.select_related("content_type") if [p.content_type.app_label, p.codename] in wanted]


def _set_page_permissions(group, page, actions):
    wanted = set(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=[f"{a}_page" for a in actions]))
    existing = {gpp.permission: gpp for gpp in GroupPagePermission.objects.filter(group=group).select_related("permission")}
    for permission, gpp in existing.items():
        if permission not in wanted or gpp.page_id != page.pk:
            gpp.delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _set_image_permissions(group, codenames):
    root = Collection.get_first_root_node()
    wanted = set(Permission.objects.filter(content_type__app_label="wagtailimages", codename__in=codenames))
    GroupCollectionPermission.objects.filter(group=group).exclude(permission__in=wanted).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def _ensure_group(unit, spec, page, section=None):
    link = UnitGroup.objects.filter(unit=unit, role=spec.role, section=section).select_related("group").first()
    name = group_name(unit, spec.label, section)
    if link is None:
        group, _created = Group.objects.get_or_create(name=name)
        link = UnitGroup.objects.create(group=group, unit=unit, role=spec.role, section=section)
    elif link.group.name != name:
        link.group.name = name
        link.group.save(update_fields=["name"])
    group = link.group
    group.permissions.set(_permissions(("wagtailadmin.access_admin",) + spec.model_permissions))
    _set_page_permissions(group, page, spec.page_actions)
    _set_image_permissions(group, spec.image_permissions)
    return group


@transaction.atomic
def sync_unit_roles(unit):
    """Create or update the unit's groups, their permissions and the unit's
    default workflow. Returns {role: group} (section heads: {section pk: group}
    under Role.SECTION_HEAD)."""
    home = unit.site.root_page
    groups = {spec.role: _ensure_group(unit, spec, home) for spec in UNIT_ROLES}
    sections = SectionPage.objects.child_of(home)
    heads = {section.pk: _ensure_group(unit, SECTION_HEAD, section, section) for section in sections}
    # Sections that are gone take their section-head groups with them.
    stale = UnitGroup.objects.filter(unit=unit, role=Role.SECTION_HEAD).exclude(section__in=sections)
    Group.objects.filter(unit_role__in=stale).delete()
    groups[Role.SECTION_HEAD] = heads
    ensure_default_workflow(unit, home, groups)
    return groups


def ensure_default_workflow(unit, home, groups):
    """The unit's default workflow (desk → managing editor → editor-in-chief),
    created once; later syncs only add new section heads to the desk step,
    so steps a unit admin changed stay changed."""
    link = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    if link is None:
        workflow = Workflow.objects.create(name=f"{unit.name} – Quy trình mặc định"[:255])
        for order, (name, roles) in enumerate(DEFAULT_STEPS):
            task = UnitApprovalTask.objects.create(name=f"{name} ({unit.slug})")
            task.groups.set(_groups_for(groups, roles))
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        WorkflowPage.objects.create(page=home, workflow=workflow)
        return workflow
    desk_group = groups[Role.DESK_EDITOR]
    for task in UnitApprovalTask.objects.filter(workflow_tasks__workflow=link.workflow, groups=desk_group):
        task.groups.add(*groups[Role.SECTION_HEAD].values())
    return link.workflow


def _groups_for(groups, roles):
    found = []
    for role in roles:
        value = groups[role]
        found.extend(value.values() if isinstance(value, dict) else [value])
    return found


@transaction.atomic
def sync_system_roles():
    admin, _ = Group.objects.get_or_create(name=SYSTEM_ROLES[Role.SYSTEM_ADMIN])
    UnitGroup.objects.get_or_create(group=admin, defaults={"role": Role.SYSTEM_ADMIN})
    admin.permissions.set(Permission.objects.all())
    _set_page_permissions(admin, Page.get_first_root_node(), ("add", "change", "publish", "lock", "unlock", "bulk_delete"))
    _set_image_permissions(admin, ("add_image", "change_image", "choose_image", "delete_image"))

    archive, _ = Group.objects.get_or_create(name=SYSTEM_ROLES[Role.ARCHIVE_MANAGER])
    UnitGroup.objects.get_or_create(group=archive, defaults={"role": Role.ARCHIVE_MANAGER})
    archive.permissions.set(
        _permissions(("wagtailadmin.access_admin", "assets.add_media", "assets.change_media", "assets.delete_media"))
    )
    _set_image_permissions(archive, ("add_image", "change_image", "choose_image", "delete_image"))
    return {Role.SYSTEM_ADMIN: admin, Role.ARCHIVE_MANAGER: archive}


def unit_group(unit, role, section=None):
    return UnitGroup.objects.select_related("group").get(unit=unit, role=role, section=section).group


def sync_all():
    system = sync_system_roles()
    return system, {unit.slug: sync_unit_roles(unit) for unit in Unit.objects.select_related("site__root_page")}
