"""Per-unit roles: which groups a unit has, what each may do, and the
unit's default workflow. ``sync_unit_roles`` is idempotent: it runs when a
unit or a section is created and from ``manage.py sync_unit_roles``."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from assets.collections import shared_collection
from assets.models import ArchiveImage, Media
from assets.usage import items_shown_by
from newsroom.models import SectionPage, Unit

from .models import Role, UnitApprovalTask, UnitGroup

# Page permission actions (Wagtail codenames without "_page").
DRAFT = ("add",)
EDIT = ("add", "change", "lock", "unlock")
PUBLISH = ("add", "change", "publish", "lock", "unlock")
# The shared media archive: every unit chooses from its shared part
# (assets.collections); a unit adds to and changes only its own collection
# there and its private part beside it, which its staff alone see; an
# uploader may change what they uploaded (Wagtail's ownership rule).
ARCHIVE_UPLOAD = ("wagtailimages.add_image", "assets.add_media")
ARCHIVE_EDIT = ARCHIVE_UPLOAD + ("wagtailimages.change_image", "assets.change_media")
ARCHIVE_CHOOSE = ("wagtailimages.choose_image", "assets.choose_media")
ARCHIVE_MANAGE = ARCHIVE_EDIT + ARCHIVE_CHOOSE + ("wagtailimages.delete_image", "assets.delete_media")


@dataclass(frozen=True)
class RoleSpec:
    role: str
    # Stored group names are Vietnamese whatever the admin language.
    label: str
    page_actions: tuple = ()
    model_permissions: tuple = ()
    # On the unit's own archive collection; choosing is on the whole archive.
    archive_permissions: tuple = ()
    archive_choose: tuple = ()


UNIT_ROLES = [
    RoleSpec(Role.REPORTER, "Phóng viên", DRAFT, (), ARCHIVE_UPLOAD, ARCHIVE_CHOOSE),
    RoleSpec(Role.CONTRIBUTOR, "Cộng tác viên", DRAFT, (), ARCHIVE_UPLOAD, ARCHIVE_CHOOSE),
    RoleSpec(Role.DESK_EDITOR, "Biên tập viên", EDIT, (), ARCHIVE_EDIT, ARCHIVE_CHOOSE),
    RoleSpec(Role.MANAGING_EDITOR, "Thư ký tòa soạn", EDIT, (), ARCHIVE_EDIT, ARCHIVE_CHOOSE),
    RoleSpec(Role.EDITOR_IN_CHIEF, "Tổng biên tập", PUBLISH, (), ARCHIVE_EDIT, ARCHIVE_CHOOSE),
    RoleSpec(Role.DEPUTY_EDITOR, "Phó tổng biên tập", PUBLISH, (), ARCHIVE_EDIT, ARCHIVE_CHOOSE),
    RoleSpec(Role.DISTRIBUTION, "Phát hành", (), (), (), ARCHIVE_CHOOSE),
    # Unit admins manage their unit's staff through the unit's own staff
    # pages (workflows.views.unit_admin), never Wagtail's site-wide users
    # admin, which would show every unit's accounts and every group.
    RoleSpec(Role.UNIT_ADMIN, "Quản trị đơn vị"),
]
SECTION_HEAD = RoleSpec(Role.SECTION_HEAD, "Trưởng ban", ("add", "change", "lock"), (), ARCHIVE_EDIT, ARCHIVE_CHOOSE)
SPECS = {spec.role: spec for spec in UNIT_ROLES + [SECTION_HEAD]}
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


def _set_archive_permissions(group, by_collection):
    """Exactly these archive permissions for ``group``: {collection: codenames}."""
    wanted = {(collection.pk, permission.pk) for collection, codenames in by_collection.items() for permission in _permissions(codenames)}
    for held in GroupCollectionPermission.objects.filter(group=group):
        if (held.collection_id, held.permission_id) not in wanted:
            held.delete()
    for collection_id, permission_id in wanted:
        GroupCollectionPermission.objects.get_or_create(group=group, collection_id=collection_id, permission_id=permission_id)


def unit_collection(unit):
    """The unit's own collection of the shared archive (under its shared
    part, named after the unit), created with the unit."""
    shared = shared_collection()
    # Read afresh: collections are kept sorted by name, so adding one moves
    # the paths of those after it.
    collection = Collection.objects.filter(pk=unit.archive_collection_id).first()
    if collection is None:
        collection = shared.add_child(name=unit.name)
        # An update, not save(): saving the unit would run its handlers again.
        Unit.objects.filter(pk=unit.pk).update(archive_collection=collection)
        unit.archive_collection = collection
    else:
        if not collection.path.startswith(shared.path):
            collection.move(shared, pos="sorted-child")  # from where units kept it before private parts
            collection.refresh_from_db()
        unit.archive_collection = collection
        if collection.name != unit.name:
            collection.name = unit.name
            collection.save(update_fields=["name"])
    return collection


def private_collection(unit):
    """The unit's private part of the archive (beside the shared one, under
    the root): its staff alone see what is there until one of its stories
    shows it to readers (``release_shown``)."""
    name = f"{unit.name} – Riêng"[:255]
    collection = Collection.objects.filter(pk=unit.private_collection_id).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
        Unit.objects.filter(pk=unit.pk).update(private_collection=collection)
        unit.private_collection = collection
    elif collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    return collection


def release_shown(story):
    """What ``story`` shows from its unit's private part goes to the unit's
    part of the shared archive: readers have seen it, every unit may reuse it."""
    unit = Unit.objects.for_page(story)
    if unit is None or unit.private_collection_id is None or unit.archive_collection_id is None:
        return []
    private = unit.private_collection_id
    if not any(model.objects.filter(collection_id=private).exists() for model in (ArchiveImage, Media)):
        return []  # nothing private to release: the story's items are not read
    released = [item for item in items_shown_by(story) if item.collection_id == private]
    for item in released:
        type(item).objects.filter(pk=item.pk).update(collection_id=unit.archive_collection_id)
    return released


def _ensure_group(unit, spec, page, section=None, collection=None, private=None):
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
    _set_archive_permissions(
        group,
        {
            shared_collection(): spec.archive_choose,
            collection or unit_collection(unit): spec.archive_permissions,
            private or private_collection(unit): spec.archive_choose + spec.archive_permissions,
        },
    )
    return group


@transaction.atomic
def sync_unit_roles(unit):
    """Create or update the unit's groups, their permissions and the unit's
    default workflow. Returns {role: group} (section heads: {section pk: group}
    under Role.SECTION_HEAD)."""
    home = unit.site.root_page
    collection, private = unit_collection(unit), private_collection(unit)
    groups = {spec.role: _ensure_group(unit, spec, home, collection=collection, private=private) for spec in UNIT_ROLES}
    sections = SectionPage.objects.child_of(home)
    heads = {section.pk: _ensure_group(unit, SECTION_HEAD, section, section, collection, private) for section in sections}
    # Sections that are gone take their section-head groups with them.
    stale = UnitGroup.objects.filter(unit=unit, role=Role.SECTION_HEAD).exclude(section__in=sections)
    Group.objects.filter(unit_role__in=stale).delete()
    groups[Role.SECTION_HEAD] = heads
    ensure_default_workflow(unit, home, groups)
    return groups


@transaction.atomic
def sync_section_roles(unit, section):
    """A new section's head group, added to the desk step of the unit's
    default workflow: what ``sync_unit_roles`` would do for it, without
    going over every other group of the unit again."""
    head = _ensure_group(unit, SECTION_HEAD, section, section)
    link = WorkflowPage.objects.filter(page=unit.site.root_page_id).select_related("workflow").first()
    desk = UnitGroup.objects.filter(unit=unit, role=Role.DESK_EDITOR, section=None).values("group")
    if link is not None:
        for task in UnitApprovalTask.objects.filter(workflow_tasks__workflow=link.workflow, groups__in=desk):
            task.groups.add(head)
    return head


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
    _set_archive_permissions(admin, {Collection.get_first_root_node(): ARCHIVE_MANAGE})

    # What sat in the root, shared before the archive had private parts,
    # stays shared.
    shared = shared_collection()
    for model in (ArchiveImage, Media):
        model.objects.filter(collection=Collection.get_first_root_node()).update(collection=shared)

    archive, _ = Group.objects.get_or_create(name=SYSTEM_ROLES[Role.ARCHIVE_MANAGER])
    UnitGroup.objects.get_or_create(group=archive, defaults={"role": Role.ARCHIVE_MANAGER})
    archive.permissions.set(_permissions(("wagtailadmin.access_admin",)))
    _set_archive_permissions(archive, {Collection.get_first_root_node(): ARCHIVE_MANAGE})
    return {Role.SYSTEM_ADMIN: admin, Role.ARCHIVE_MANAGER: archive}


def unit_group(unit, role, section=None):
    return UnitGroup.objects.select_related("group").get(unit=unit, role=role, section=section).group


def sync_all():
    system = sync_system_roles()
    return system, {unit.slug: sync_unit_roles(unit) for unit in Unit.objects.select_related("site__root_page")}


# --- Unit administration: staff and workflows of one unit -----------------
# Called by workflows.views.unit_admin; every function takes the unit and
# refuses anything (groups, people, tasks, workflows) of another unit.


def unit_groups(unit):
    """The unit's role groups (section heads included), never system groups
    nor another unit's."""
    return Group.objects.filter(unit_role__unit=unit).select_related("unit_role__section").order_by("unit_role__role", "name")


def unit_staff(unit):
    return get_user_model().objects.filter(groups__unit_role__unit=unit).distinct()


def only_in_unit(user, unit):
    """True when ``user`` works for ``unit`` alone: their account (name,
    e-mail, password, active) is then the unit's to manage. Superusers and
    people of several units or system groups are managed centrally."""
    if user.is_superuser or user.is_staff:
        return False
    return not user.groups.exclude(unit_role__unit=unit).exists()


@transaction.atomic
def set_unit_roles(user, unit, groups, actor):
    """Give ``user`` exactly ``groups`` among ``unit``'s groups; their groups
    elsewhere are untouched."""
    allowed = set(unit_groups(unit))
    groups = set(groups)
    if not groups <= allowed:
        raise PermissionDenied
    current = set(user.groups.filter(unit_role__unit=unit))
    user.groups.remove(*(current - groups))
    user.groups.add(*(groups - current))
    if current != groups:
        log(instance=user, action="wagtail.edit", user=actor, data={"unit": unit.slug, "groups": sorted(g.name for g in groups)})


def unit_workflows(unit):
    """Workflows attached to the unit's home page or sections, and used by
    no page outside the unit."""
    home_path = unit.site.root_page.path
    attached = Workflow.objects.filter(workflow_pages__page__path__startswith=home_path)
    foreign = WorkflowPage.objects.exclude(page__path__startswith=home_path).values("workflow_id")
    return attached.exclude(pk__in=foreign).distinct().order_by("name")


def unit_workflow_or_403(unit, workflow_id):
    workflow = unit_workflows(unit).filter(pk=workflow_id).first()
    if workflow is None:
        raise PermissionDenied
    return workflow


def step_of(unit, workflow, task_id):
    """A step of ``workflow`` that no other unit's workflow uses."""
    task = Task.objects.filter(pk=task_id, workflow_tasks__workflow=workflow).first()
    if task is None or WorkflowTask.objects.filter(task=task).exclude(workflow__in=unit_workflows(unit)).exists():
        raise PermissionDenied
    return task.specific


@transaction.atomic
def save_step(unit, workflow, task, actor, groups=None):
    """Create or update ``task`` as a step of ``workflow`` (appended when
    new). Its approvers must be the unit's groups or people."""
    new = task.pk is None
    if getattr(task, "reviewer_id", None) is not None and not unit_staff(unit).filter(pk=task.reviewer_id).exists():
        raise PermissionDenied
    if groups is not None and not set(groups) <= set(unit_groups(unit)):
        raise PermissionDenied
    task.save()
    if groups is not None:
        task.groups.set(groups)
    if new:
        last = WorkflowTask.objects.filter(workflow=workflow).order_by("-sort_order").values_list("sort_order", flat=True).first()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=(last if last is not None else -1) + 1)
    log(instance=workflow, action="wagtail.edit", user=actor, data={"unit": unit.slug, "step": task.name})
    return task


class StepInUse(Exception):
    pass


def stories_at_step(workflow, task):
    return TaskState.objects.filter(task=task, workflow_state__workflow=workflow, status=TaskState.STATUS_IN_PROGRESS).count()


@transaction.atomic
def remove_step(unit, workflow, task, actor):
    """Take a step out of a workflow. Refused while stories wait at it or
    when it is the workflow's only step."""
    if WorkflowTask.objects.filter(workflow=workflow).count() <= 1:
        raise StepInUse(_("A workflow needs at least one step."))
    waiting = stories_at_step(workflow, task)
    if waiting:
        message = ngettext(
            "%(count)d story is waiting at this step; approve it or send it back first.",
            "%(count)d stories are waiting at this step; approve or send them back first.",
            waiting,
        )
        raise StepInUse(message % {"count": waiting})
    WorkflowTask.objects.filter(workflow=workflow, task=task).delete()
    if not WorkflowTask.objects.filter(task=task).exists():
        task.active = False
        task.save(update_fields=["active"])
    log(instance=workflow, action="wagtail.edit", user=actor, data={"unit": unit.slug, "removed_step": task.name})


@transaction.atomic
def move_step(workflow, task, offset):
    links = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order", "pk"))
    index = next(i for i, link in enumerate(links) if link.task_id == task.pk)
    target = index + offset
    if 0 <= target < len(links):
        links[index], links[target] = links[target], links[index]
        for order, link in enumerate(links):
            if link.sort_order != order:
                link.sort_order = order
                link.save(update_fields=["sort_order"])


def page_workflow(page):
    """The workflow attached to ``page`` itself (not inherited)."""
    link = WorkflowPage.objects.filter(page=page).select_related("workflow").first()
    return link.workflow if link else None


@transaction.atomic
def give_section_own_workflow(unit, section, actor):
    """A workflow of the section's own (for example a breaking-news lane),
    starting with one step by the unit's desk editors and the section's
    head, which the unit admin then changes."""
    existing = page_workflow(section)
    if existing is not None:
        return existing
    workflow = Workflow.objects.create(name=f"{unit.name} – {section.title}"[:255])
    task = UnitApprovalTask.objects.create(name=f"{section.title}: {SPECS[Role.DESK_EDITOR].label} duyệt"[:255])
    heads = UnitGroup.objects.filter(unit=unit, role=Role.SECTION_HEAD, section=section).values("group")
    task.groups.set(Group.objects.filter(Q(pk=unit_group(unit, Role.DESK_EDITOR).pk) | Q(pk__in=heads)))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=section, workflow=workflow)
    log(instance=workflow, action="wagtail.create", user=actor, data={"unit": unit.slug, "section": section.title})
    return workflow


@transaction.atomic
def use_unit_workflow(unit, section, actor):
    """Back to the unit's default workflow. Stories already in the
    section's workflow finish in it; the workflow is retired once none is."""
    workflow = page_workflow(section)
    if workflow is None:
        return
    WorkflowPage.objects.filter(page=section).delete()
    if not WorkflowPage.objects.filter(workflow=workflow).exists() and not WorkflowState.objects.active().filter(workflow=workflow).exists():
        workflow.active = False
        workflow.save(update_fields=["active"])
    log(instance=workflow, action="wagtail.edit", user=actor, data={"unit": unit.slug, "section": section.title, "detached": True})
