"""What goes into the trail by itself: sign-ins and their failures,
sign-outs, accounts created, deleted, re-passworded or given other powers,
groups and every kind of permission, and one event for each entry Wagtail
logs (every editorial and administrative action already logged: pages,
snippets, users, channels with their credentials, assignments…)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, PageLogEntry

from .recorder import ObjectRef, record
from .registry import UnitRef, resolve_unit

# An account's powers beyond its groups; a change to one is recorded.
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def register_signal_handlers():
    User = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    pre_save.connect(_account_before_save, sender=User, dispatch_uid="audit_account_flags")
    post_save.connect(_account_saved, sender=User, dispatch_uid="audit_account")
    post_delete.connect(_deleted("auth.account_delete"), sender=User, dispatch_uid="audit_account_delete", weak=False)
    post_save.connect(_saved("auth.group_save"), sender=Group, dispatch_uid="audit_group", weak=False)
    post_delete.connect(_deleted("auth.group_delete"), sender=Group, dispatch_uid="audit_group_delete", weak=False)
    post_save.connect(_saved("auth.permission_save"), sender=Permission, dispatch_uid="audit_permission", weak=False)
    for model in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(_saved("auth.object_permission_save"), sender=model, dispatch_uid=f"audit_{model.__name__}", weak=False)
        post_delete.connect(
            _deleted("auth.object_permission_delete"), sender=model, dispatch_uid=f"audit_{model.__name__}_delete", weak=False
        )
    m2m_changed.connect(_account_groups_changed, sender=User.groups.through, dispatch_uid="audit_account_groups")
    m2m_changed.connect(_permissions_changed, sender=Group.permissions.through, dispatch_uid="audit_group_permissions")
    m2m_changed.connect(_permissions_changed, sender=User.user_permissions.through, dispatch_uid="audit_account_permissions")
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(_logged_by_wagtail, sender=model, dispatch_uid=f"audit_{model.__name__}")


def _logged_in(sender, request, user, **kwargs):
    record("auth.login", request=request, actor=user, obj=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", request=request, actor=user, obj=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, ""))
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record("auth.login_failed", request=request, actor=account or username, obj=account, known_account=account is not None)


def _account_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or (update_fields is not None and not set(update_fields) & set(ACCOUNT_FLAGS)):
        return
    before = sender._base_manager.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first() or {}
    instance._audit_flags_changed = {
        name: getattr(instance, name) for name in ACCOUNT_FLAGS if name in before and before[name] != getattr(instance, name)
    }


def _account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record("auth.account_create", obj=instance)
        return
    # Django keeps the new raw password on the account between
    # set_password() and the save that stores it.
    if getattr(instance, "_password", None) is not None:
        record("auth.password_change", obj=instance)
    flags = getattr(instance, "_audit_flags_changed", None)
    if flags:
        record("auth.account_flags", obj=instance, changed=flags)
    instance._audit_flags_changed = None


def _saved(action):
    def handler(sender, instance, created, raw=False, **kwargs):
        if not raw:
            record(action, obj=instance, created=created)

    return handler


def _deleted(action):
    def handler(sender, instance, **kwargs):
        meta = instance._meta
        # Found before the row is gone from the reference; recorded as a name.
        unit = resolve_unit(instance, None)
        record(action, obj=ObjectRef(f"{meta.app_label}.{meta.model_name}", str(instance.pk), str(instance)), unit=unit)

    return handler


M2M_CHANGES = {"post_add": "add", "post_remove": "remove", "pre_clear": "clear"}


def _account_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """One event per account and group, in the group's unit."""
    change = M2M_CHANGES.get(action)
    if change is None:
        return
    if reverse:  # group.user_set
        group = instance
        accounts = get_user_model()._base_manager.filter(pk__in=pk_set) if pk_set is not None else group.user_set.all()
        pairs = [(account, group) for account in accounts]
    else:  # account.groups
        groups = Group.objects.filter(pk__in=pk_set) if pk_set is not None else instance.groups.all()
        pairs = [(instance, group) for group in groups]
    for account, group in pairs:
        record("auth.account_groups", obj=account, unit=resolve_unit(group, None), change=change, group={"id": group.pk, "name": group.name})


def _permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    change = M2M_CHANGES.get(action)
    if change is None:
        return
    if reverse:  # permission.group_set / permission.user_set: who, by id
        record("auth.permissions", obj=instance, change=change, holders={"model": model._meta.label_lower, "ids": sorted(pk_set or [])})
        return
    if pk_set is not None:
        permissions = Permission.objects.filter(pk__in=pk_set)
    else:  # cleared: what it held
        field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
        permissions = getattr(instance, field.name).all()
    codes = sorted(f"{app}.{codename}" for app, codename in permissions.values_list("content_type__app_label", "codename"))
    record("auth.permissions", obj=instance, change=change, permissions=codes)


def _logged_by_wagtail(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    content_type = instance.content_type
    model = content_type.model_class() if content_type else None
    data = instance.data if isinstance(instance.data, dict) else {}
    unit = data.get("unit")
    if isinstance(unit, dict) and "id" in unit:
        # Page entries carry their unit (workflows stamps it).
        unit = UnitRef(unit["id"], unit.get("slug", ""))
    else:
        subject = model._base_manager.filter(pk=instance.object_id).first() if model else None
        unit = resolve_unit(subject, instance.user)
    record(
        instance.action,
        actor=instance.user,
        obj=ObjectRef(f"{content_type.app_label}.{content_type.model}" if content_type else "", str(instance.object_id), instance.label),
        unit=unit,
        log_entry={"model": instance._meta.label_lower, "id": instance.pk, "uuid": str(instance.uuid or "")},
        data=data,
    )
