"""The archive's forms: Wagtail's own image and document forms
(WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE) and the
video and audio form with its captions, each refusing in words a damaged
picture, a file that is not captions or a file over its upload limit
(assets/uploads.py) instead of an error page."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from . import captions, metadata, processing
from .sniffing import content_type, is_media
from .text import clock
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


class MediaFileField(LimitedFileField):
    """A video or audio file, told by its content, not its name."""

    default_error_messages = {
        "not_media": _("“%(name)s” is not a video or a sound recording: its content is %(content)s."),
        "unknown": _("“%(name)s” is not a video or a sound recording: its content is not one the newsroom recognises."),
    }

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is None or not hasattr(uploaded, "read"):
            return uploaded
        mime = content_type(uploaded)
        if not is_media(mime):
            code = "not_media" if mime else "unknown"
            raise ValidationError(self.error_messages[code], code=code, params={"name": uploaded.name, "content": mime})
        return uploaded


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

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.instance.pk is None and hasattr(upload, "read"):
            self._prefill(upload, cleaned)
        return cleaned

    def _prefill(self, upload, cleaned):
        """A new picture's caption, credit, keywords… from its own metadata
        (assets.metadata), where the uploader left them blank; editable after."""
        found = metadata.read(upload)
        if not found:
            return
        typed = {name: value for name, value in cleaned.items() if name in self.fields}
        keywords = metadata.fill_blanks(self.instance, found, upload.name, typed)
        cleaned.update((name, value) for name, value in typed.items() if name in self.fields)
        if keywords and not cleaned.get("tags") and "tags" in self.fields:
            cleaned["tags"] = keywords


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
        _replace_file_field(self, MediaFileField)
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

    def clean_poster_at(self):
        moment = self.cleaned_data.get("poster_at")
        duration = self.instance.duration
        if moment is not None and (moment < 0 or (duration and moment > duration)):
            raise ValidationError(
                _("The poster's moment must be within the video: between 0 and %(seconds)s seconds.") % {"seconds": f"{duration or 0:g}"},
                code="poster_at",
            )
        return moment

    def save(self, commit=True):
        if "collection" not in self.fields and getattr(self, "collections", None):
            self.instance.collection = self.collections[0]
        if self.instance.pk is None and self.for_user is not None:
            self.instance.uploaded_by = self.for_user
        item = super().save(commit=commit)
        # A new moment for the poster, on a video already read: the worker
        # makes it after the commit (a new file gets its poster as it is read).
        if commit and "poster_at" in self.changed_data and item.poster_at is not None and item.duration and "file" not in self.changed_data:
            processing.queue_poster(item)
        return item


# Captions may end a little after the last frame: tools round their times.
CAPTION_END_TOLERANCE = 0.5


class CaptionTrackForm(WagtailAdminModelForm):
    """One caption track of a video or audio item: the file is read as
    captions (assets.captions), SubRip turned into WebVTT, and must end
    within the item (when its duration is known)."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.caption_end = None

    def _refuse(self, name, reason):
        return ValidationError(
            _("“%(name)s” cannot be used as captions: %(reason)s."), code="captions", params={"name": name, "reason": reason}
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):  # the file already stored, or none
            return upload
        refuse_oversized(upload)
        upload.seek(0)
        try:
            read = captions.read(upload.read(captions.MAX_BYTES + 1), upload.name)
        except captions.CaptionError as error:
            raise self._refuse(upload.name, error.reason) from error
        self.caption_end, self.upload_name = read.end, upload.name
        return ContentFile(read.webvtt.encode(), name=f"{os.path.splitext(upload.name)[0]}.vtt")

    def clean(self):
        cleaned = super().clean()
        duration = self.item.duration if self.item is not None else None
        if self.caption_end is not None and duration and self.caption_end > duration + CAPTION_END_TOLERANCE:
            reason = _("its captions run to %(end)s, past the end of the item (%(duration)s)") % {
                "end": clock(self.caption_end),
                "duration": clock(duration),
            }
            self.add_error("file", self._refuse(self.upload_name, reason))
        return cleaned


class CaptionTrackFormSet(BaseChildFormSet):
    """The item's caption tracks; each form knows its item. A form posted
    without them (a script's, or the uploader's: only the fields it
    changes) leaves them as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.left_out = self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "item": self.instance}

    def is_valid(self):
        return self.left_out or super().is_valid()

    def has_changed(self):
        return not self.left_out and super().has_changed()

    def save(self, commit=True):
        return [] if self.left_out else super().save(commit=commit)
