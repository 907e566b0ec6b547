"""The archive's forms: Wagtail's own image and document forms
(WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE) and the
video and audio form, each refusing in words a damaged picture or a file
over its upload limit (assets/uploads.py) instead of an error page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from .uploads import refuse_oversized


class IntactImageField(WagtailImageField):
    default_error_messages = {
        "damaged": _("This picture file is damaged or incomplete. Save it again from its source and upload it once more."),
    }

    def to_python(self, data):
        refuse_oversized(data)
        try:
            return super().to_python(data)
        except OSError as error:  # Pillow reading a truncated or corrupt file
            raise ValidationError(self.error_messages["damaged"], code="damaged") from error


class LimitedFileField(forms.FileField):
    def to_python(self, data):
        refuse_oversized(data)
        return super().to_python(data)


def _replace_file_field(form, field_class):
    # Wagtail builds the file field itself (its form factory's callback);
    # the same field, with the archive's checks. The multiple uploaders'
    # edit forms have no file field.
    built = form.fields.get("file")
    if built is not None:
        form.fields["file"] = field_class(label=built.label, required=built.required, widget=built.widget, help_text=built.help_text)


class ArchiveImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, IntactImageField)


class ArchiveDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, LimitedFileField)


class MediaForm(WagtailAdminModelForm):
    """A video or audio item goes into a collection the person may add to
    (their unit's, where units have one), as Wagtail's image and document
    forms do; the uploader is recorded, which lets reporters change what
    they uploaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, LimitedFileField)
        if self.for_user is None or "collection" not in self.fields:
            return
        collections = policy_registry.get_by_type(self._meta.model).collections_user_has_permission_for(self.for_user, "add")
        if self.instance.pk:
            collections = collections | Collection.objects.filter(pk=self.instance.collection_id)
        self.collections = list(collections.distinct())
        if len(self.collections) == 1:
            # As Wagtail's collection forms: one choice is no choice.
            del self.fields["collection"]
        else:
            self.fields["collection"].queryset = collections.distinct()

    def save(self, commit=True):
        if "collection" not in self.fields and getattr(self, "collections", None):
            self.instance.collection = self.collections[0]
        if self.instance.pk is None and self.for_user is not None:
            self.instance.uploaded_by = self.for_user
        return super().save(commit=commit)
