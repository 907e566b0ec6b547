"""Words the admin shows that no catalogue translates: the permissions'
names (stored in English when Django creates them, and shown as they are
on the group pages) and the groups and workflow Wagtail creates at its
first migration. Renamed after every migration, in the site's language;
running it again changes nothing."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import Task, Workflow

ACTIONS = {
    "add": gettext_lazy("Can add %(name)s"),
    "change": gettext_lazy("Can change %(name)s"),
    "delete": gettext_lazy("Can delete %(name)s"),
    "view": gettext_lazy("Can view %(name)s"),
    "choose": gettext_lazy("Can choose %(name)s"),
}
# What Wagtail's first migrations create, by their English names. Stored
# names are Vietnamese whatever the admin's language, as the roles' groups
# are (workflows.roles).
WAGTAIL_GROUPS = {"Editors": "Biên tập (nhóm mặc định của Wagtail)", "Moderators": "Kiểm duyệt (nhóm mặc định của Wagtail)"}
WAGTAIL_STEPS = {"Moderators approval": "Kiểm duyệt (bước mặc định của Wagtail)"}
WAGTAIL_WORKFLOWS = {"Moderators approval": "Kiểm duyệt (quy trình mặc định của Wagtail)"}


def permission_name(permission):
    model = permission.content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        return str(ACTIONS[action] % {"name": model._meta.verbose_name})[:255]
    # A permission of its own: its English name is a message of the
    # catalogues (Wagtail's page permissions are).
    return gettext(permission.name)[:255]


def name_in_the_sites_language():
    with translation.override(settings.LANGUAGE_CODE):
        changed = []
        for permission in Permission.objects.select_related("content_type"):
            name = permission_name(permission)
            if name != permission.name:
                permission.name = name
                changed.append(permission)
        Permission.objects.bulk_update(changed, ["name"], batch_size=500)
        for model, names in ((Group, WAGTAIL_GROUPS), (Task, WAGTAIL_STEPS), (Workflow, WAGTAIL_WORKFLOWS)):
            for english, ours in names.items():
                if not model.objects.filter(name=ours).exists():
                    model.objects.filter(name=english).update(name=ours)


def after_migrate(app_config, **kwargs):
    # Once per migrate, after the permissions of the last app that has
    # models are made (Django announces only those).
    if app_config is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        # Its permissions may not be made yet (receivers run in the order
        # the apps connected them); making them again makes none twice.
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", DEFAULT_DB_ALIAS))
        name_in_the_sites_language()
