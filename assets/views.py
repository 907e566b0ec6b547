"""The archive's admin views where Wagtail's own need the archive's rule:
every unit sees and chooses the whole archive; only who may change an item
(its unit's staff, an archive manager) opens it for editing or deletes it."""

from django.core.exceptions import PermissionDenied
from wagtail.images.views import images
from wagtail.models import ReferenceIndex
from wagtail.snippets.views import snippets


class ArchiveImageIndexView(images.IndexView):
    """Wagtail lists only the pictures a person may change; here the whole
    shared archive, the others without an edit link or a checkbox."""

    def get_base_queryset(self):
        pictures = (
            self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change", "delete"])
            .select_related("collection")
            .prefetch_renditions("max-165x165")
        )
        if self.needs_usage_count_subquery:
            pictures = pictures.annotate(usage_count=ReferenceIndex.usage_count_subquery(self.model))
        return pictures

    def decorate_paginated_queryset(self, object_list):
        object_list = super().decorate_paginated_queryset(object_list)
        editable = set(
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(pk__in=[image.pk for image in object_list])
            .values_list("pk", flat=True)
        )
        for image in object_list:
            image.can_edit = image.pk in editable
        return object_list

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if getattr(instance, "can_edit", False) else None


class InstancePermissionMixin:
    """Wagtail's generic edit and delete views check the model permission
    only; the archive's are per item (its collection)."""

    instance_action = None

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if not self.user_has_permission_for_instance(self.instance_action, item):
            raise PermissionDenied
        return item


class MediaEditView(InstancePermissionMixin, snippets.EditView):
    instance_action = "change"


class MediaDeleteView(InstancePermissionMixin, snippets.DeleteView):
    instance_action = "delete"
