import os

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index

from ..collections import shared_collection_id
from ..text import fold
from .licensing import License, UsageRights
from .locking import DeletedUnderLock


class ArchiveImage(DeletedUnderLock, UsageRights, AbstractImage):
    """A picture in the shared media archive, reusable by every unit."""

    collection = models.ForeignKey(
        "wagtailcore.Collection", default=shared_collection_id, verbose_name=_("collection"), related_name="+", on_delete=models.CASCADE
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True,
        help_text=_("The credit line as shown under the picture, e.g. \"Ảnh: TTXVN\" or \"Đồ họa: Minh Anh\"."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("Where the picture came from (agency, archive, reader)."))
    license = models.CharField(_("license"), max_length=32, choices=License.choices, default=License.ALL_RIGHTS_RESERVED)
    # What the picture's own metadata says (assets.metadata), read at upload
    # where the uploader left them blank.
    copyright = models.CharField(_("copyright"), max_length=255, blank=True)
    usage_terms = models.TextField(_("usage terms"), blank=True, help_text=_("What the rights holder allows, as written in the picture."))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    # The picture's fingerprints, read by the media worker (assets.similarity):
    # a difference hash for similar pictures, the decoded pixels' SHA-256 for
    # the same picture in another file (Wagtail's file_hash: the same file).
    dhash = models.BigIntegerField(_("difference hash"), null=True, blank=True, editable=False)
    pixel_sha256 = models.CharField(_("pixels' SHA-256"), max_length=64, blank=True, editable=False, db_index=True)

    admin_form_fields = Image.admin_form_fields + (
        "caption", "credit", "source", "license", "license_expires_on", "embargoed_until", "copyright", "usage_terms", "taken_at",
        "latitude", "longitude",
    )  # fmt: skip

    search_fields = AbstractImage.search_fields + [
        index.SearchField("caption"),
        index.SearchField("credit"),
        index.SearchField("source"),
        index.AutocompleteField("caption"),
        index.AutocompleteField("credit"),
        # The library's search box and the choosers autocomplete: "duong sat"
        # finds "Đường sắt" (the unfolded fields above find "Đường sắt").
        index.SearchField("folded_words"),
        index.AutocompleteField("folded_words"),
        # The choosers offer what may be shown now (assets.rights).
        index.FilterField("license_expires_on"),
        index.FilterField("embargoed_until"),
        # The facets a search combines with (assets.facets).
        index.FilterField("license"),
        index.FilterField("taken_at"),
        index.FilterField("latitude"),
        index.FilterField("width"),
        index.FilterField("height"),
    ]

    class Meta(AbstractImage.Meta):
        indexes = [
            models.Index(fields=["license_expires_on"], name="image_license_expiry"),
            models.Index(fields=["embargoed_until"], name="image_embargo"),
        ]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def same_picture(self):
        """Other pictures of exactly this file or these pixels."""
        same = models.Q(file_hash=self.file_hash) if self.file_hash else models.Q(pk__in=[])
        if self.pixel_sha256:
            same |= models.Q(pixel_sha256=self.pixel_sha256)
        return ArchiveImage.objects.filter(same).exclude(pk=self.pk).select_related("collection")

    @property
    def default_alt_text(self):
        return self.caption or self.title

    def folded_words(self):
        # The keywords (tags) too: "le hoi" finds a picture tagged "lễ hội".
        keywords = " ".join(tag.name for tag in self.tags.all())
        return fold(" ".join((self.title, self.caption, self.credit, self.source, keywords)))


class ArchiveImageBand(models.Model):
    """One byte of a picture's difference hash, in its place: the index
    similar pictures are looked up by (assets.similarity)."""

    image = models.ForeignKey(ArchiveImage, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "value"], name="image_band_lookup")]


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
