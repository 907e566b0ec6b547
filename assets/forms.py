"""The archive's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's own,
with a damaged upload refused in words instead of an error page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class IntactImageField(WagtailImageField):
    default_error_messages = {
        "damaged": _("This picture file is damaged or incomplete. Save it again from its source and upload it once more."),
    }

    def to_python(self, data):
        try:
            return super().to_python(data)
        except OSError as error:  # Pillow reading a truncated or corrupt file
            raise ValidationError(self.error_messages["damaged"], code="damaged") from error


class ArchiveImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the file field itself (its form factory's callback);
        # the same field, refusing damaged files. The multiple uploader's
        # edit form has no file field.
        built = self.fields.get("file")
        if built is not None:
            self.fields["file"] = IntactImageField(label=built.label, required=built.required, widget=built.widget)
