import os

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from .licensing import License


class ArchiveImage(AbstractImage):
    """A picture in the shared media archive, reusable by every unit."""

    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True,
        help_text=_("The credit line as shown under the picture, e.g. \"Ảnh: TTXVN\" or \"Đồ họa: Minh Anh\"."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("Where the picture came from (agency, archive, reader)."))
    license = models.CharField(_("license"), max_length=32, choices=License.choices, default=License.ALL_RIGHTS_RESERVED)

    admin_form_fields = Image.admin_form_fields + ("caption", "credit", "source", "license")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    @property
    def default_alt_text(self):
        return self.caption or self.title


class ArchiveRendition(AbstractRendition):
    image = models.ForeignKey(ArchiveImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        # Renditions are open to anyone at their path (the web server serves
        # images/), and Wagtail names them after the original
        # (images/<name>.<filter spec>.<ext>): whoever knew or guessed an
        # embargoed story's picture name would get it before the embargo
        # ends. A folder per picture named by a keyed hash (SECRET_KEY)
        # cannot be guessed; the rendition's row keeps the path it got.
        folder, name = os.path.split(super().get_upload_to(filename))
        return os.path.join(folder, salted_hmac("assets.rendition-folder", str(self.image_id)).hexdigest()[:20], name)
