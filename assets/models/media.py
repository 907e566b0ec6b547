import math
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.models import CollectionMember
from wagtail.search import index

from ..collections import shared_collection_id
from ..text import clock, fold
from .licensing import License, UsageRights
from .locking import DeletedUnderLock

VIDEO_EXTENSIONS = ["mp4", "webm", "mov", "m4v"]
AUDIO_EXTENSIONS = ["mp3", "m4a", "aac", "ogg", "oga", "opus", "wav"]


class Media(DeletedUnderLock, UsageRights, CollectionMember, index.Indexed, ClusterableModel):
    """A video or audio file in the shared archive.

    Duration and dimensions are stored so pages render without probing
    files; whoever adds the file fills them in (the demo from its own
    files; the archive's editors in the admin). Like images, an item sits
    in a collection, whose permissions say who may change it; everyone
    who writes stories may choose it. Its captions (CaptionTrack) are
    edited with it, hence a cluster.
    """

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")

    class State(models.TextChoices):
        """Where the media worker is with the item's file (assets.processing)."""

        UPLOADED = "uploaded", _("Uploaded, waiting for the media worker")
        PROCESSING = "processing", _("Being processed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(
        _("file"),
        upload_to="media/%Y/%m/",
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS + AUDIO_EXTENSIONS)],
    )
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The moment of the video its poster is taken from, when an editor
    # chose one (the media worker makes it: assets.processing.make_poster).
    poster_at = models.FloatField(
        _("poster frame at (seconds)"), null=True, blank=True,
        help_text=_("Which moment of the video to show before it plays: the media worker makes the poster from that frame."),
    )  # fmt: skip
    collection = models.ForeignKey(
        "wagtailcore.Collection", default=shared_collection_id, verbose_name=_("collection"), related_name="+", on_delete=models.CASCADE
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    license = models.CharField(_("license"), max_length=32, choices=License.choices, default=License.ALL_RIGHTS_RESERVED)
    transcript = models.TextField(_("transcript"), blank=True, help_text=_("Text of the audio, for readers who cannot listen and for search."))
    state = models.CharField(_("processing"), max_length=16, choices=State.choices, default=State.UPLOADED, editable=False)
    failure = models.TextField(_("why processing failed"), blank=True, editable=False)
    # What ffprobe read of the file (codecs, bit rate, frame rate, sample
    # rate, rotation, creation time), and which file that was.
    technical = models.JSONField(_("technical details"), default=dict, blank=True, editable=False)
    # What the media worker made of the file (assets.transcoding), by name:
    # web (MP4), hls (master playlist), sprite and scrub (scrubbing
    # pictures and their WebVTT index), mp3 and aac (at podcast loudness);
    # each {"path": in the storage, and its details}.
    outputs = models.JSONField(_("outputs"), default=dict, blank=True, editable=False)
    # When the media worker last took the item up (or it was queued): the
    # sweeper's measure of a reading lost with its worker (assets.sweeping).
    worked_at = models.DateTimeField(_("last worked on"), null=True, blank=True, editable=False)
    # A recording's loudness in WAVEFORM_BARS steps (0–100), read by the
    # media worker and drawn beside the player.
    waveform = models.JSONField(_("waveform"), default=list, blank=True, editable=False)
    # The file's SHA-256, read by the media worker: the same file put in
    # twice is shown as a duplicate of the one already there.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False, db_index=True)
    # The decoded sound's SHA-256 (16 kHz mono samples): the same recording
    # in another file (other tags, another container) is the same content.
    sound_sha256 = models.CharField(_("sound's SHA-256"), max_length=64, blank=True, editable=False, db_index=True)
    # A video's scrubbing pictures' difference hashes, in order: another
    # copy (resized, re-encoded) is a similar video (assets.similarity).
    frame_hashes = models.JSONField(_("frames' difference hashes"), default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_fields = CollectionMember.search_fields + [
        index.SearchField("title", boost=3),
        index.SearchField("caption"),
        index.SearchField("credit"),
        index.SearchField("transcript"),
        index.AutocompleteField("title"),
        index.AutocompleteField("caption"),
        index.AutocompleteField("credit"),
        # The admin's search box autocompletes: "duong sat" finds "Đường sắt".
        index.SearchField("folded_words"),
        index.AutocompleteField("folded_words"),
        # The transcript without diacritics, for full-text search only.
        index.SearchField("folded_transcript"),
        index.FilterField("kind"),
        index.FilterField("license"),
        # The listing searches within what a person may see (their units'
        # collections and what they uploaded: assets.permissions).
        index.FilterField("uploaded_by"),
        # The choosers offer what may be shown now (assets.rights).
        index.FilterField("license_expires_on"),
        index.FilterField("embargoed_until"),
        # The facets a search combines with (assets.facets); a GPS location
        # is asked by id.
        index.FilterField("id"),
        index.FilterField("state"),
        index.FilterField("created_at"),
        index.FilterField("duration"),
        index.FilterField("width"),
        index.FilterField("height"),
    ]

    class Meta:
        verbose_name = _("video or audio")
        verbose_name_plural = _("video and audio")
        ordering = ["-created_at"]
        # As Wagtail's images and documents: who may put an item in a story
        # is a permission of its own, held per collection.
        permissions = [("choose_media", "Can choose video or audio")]
        indexes = [
            models.Index(fields=["license_expires_on"], name="media_license_expiry"),
            models.Index(fields=["embargoed_until"], name="media_embargo"),
        ]

    def __str__(self):
        return self.title

    def duplicates(self):
        """Other items holding exactly the same file, or the same recording
        in another file (the same decoded sound)."""
        same = models.Q(sha256=self.sha256) if self.sha256 else models.Q(pk__in=[])
        if self.sound_sha256:
            same |= models.Q(sound_sha256=self.sound_sha256)
        return Media.objects.filter(same).exclude(pk=self.pk).select_related("collection")

    def waveform_path(self):
        """SVG path data drawing the waveform as one bar per step in a box
        as wide as the steps and 100 high, centred on its middle line."""
        return "".join(f"M{x}.5 {50 - max(level, 1) / 2:g}v{max(level, 1):g}" for x, level in enumerate(self.waveform or ()))

    def folded_words(self):
        # Not the transcript: an hour of speech, every word's prefixes, would
        # swell the autocomplete index for little gain.
        return fold(" ".join((self.title, self.caption, self.credit)))

    def folded_transcript(self):
        return fold(self.transcript)

    def output_url(self, name):
        """The address of one of the worker's outputs, or "" when it has not
        made it (yet)."""
        output = (self.outputs or {}).get(name)
        return default_storage.url(output["path"]) if output else ""

    @property
    def web_video_url(self):
        return self.output_url("web")

    @property
    def hls_url(self):
        return self.output_url("hls")

    @property
    def aac_url(self):
        return self.output_url("aac")

    @property
    def scrub_url(self):
        return self.output_url("scrub")

    @property
    def listening(self):
        """The file a reader or a podcast app gets: (address, MIME type,
        bytes); the loudness-normalised MP3 once made, else the original."""
        made = (self.outputs or {}).get("mp3")
        if made:
            return default_storage.url(made["path"]), "audio/mpeg", made.get("size")
        try:
            size = self.file.size
        except (OSError, ValueError):  # missing from the storage
            size = None
        return self.file.url, self.mime_type, size

    def captions(self):
        """The item's caption tracks in their order, the first Vietnamese
        one marked ``is_default`` (what the player shows unless the reader
        chooses otherwise)."""
        tracks = list(self.caption_tracks.all())
        default = next((track for track in tracks if track.language.split("-")[0] == "vi"), None)
        for track in tracks:
            track.is_default = track is default
        return tracks

    @property
    def is_working(self):
        return self.state in (self.State.UPLOADED, self.State.PROCESSING)

    def progress(self):
        """How far the media worker is, 0–100: the parts' shares done."""
        if self.state == self.State.READY:
            return 100
        if self.state != self.State.PROCESSING:
            return 0
        shares = self.parts.aggregate(done=models.Sum(models.F("weight") * models.F("done_fraction")), total=models.Sum("weight"))
        return math.floor(100 * (shares["done"] or 0) / shares["total"]) if shares["total"] else 0

    @property
    def filename(self):
        return os.path.basename(self.file.name)

    @property
    def mime_type(self):
        ext = os.path.splitext(self.file.name)[1].lower().lstrip(".")
        if self.kind == self.Kind.VIDEO:
            return {"webm": "video/webm", "mov": "video/quicktime"}.get(ext, "video/mp4")
        return {"mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac", "wav": "audio/wav", "opus": "audio/ogg"}.get(
            ext, "audio/ogg" if ext in {"ogg", "oga"} else "audio/mpeg"
        )

    @property
    def duration_display(self):
        return clock(self.duration) if self.duration else ""

    @property
    def iso_duration(self):
        return f"PT{int(round(self.duration))}S" if self.duration else ""


class MediaFrameBand(models.Model):
    """One byte of the difference hash of one of a video's signature
    frames, in its place: the index similar videos are looked up by
    (assets.similarity), as ArchiveImageBand is for pictures."""

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="frame_bands")
    band = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "value"], name="media_band_lookup")]


class MediaPart(models.Model):
    """One task's share of making an item's versions for readers (a stretch
    of a video's picture, its sound, its scrubbing pictures, a recording at
    podcast loudness, then the assembly): claimed by one worker at a time,
    which reports how far it is; taken over once it has not been heard of
    for MEDIA_PART_LEASE_SECONDS (assets.transcoding)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Done")

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=32)
    # Where this run of the item's versions goes in the storage.
    folder = models.CharField(max_length=255)
    # Which stretch of the recording, in seconds, and its share of the work.
    start = models.FloatField(default=0)
    seconds = models.FloatField()
    weight = models.FloatField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    claim = models.CharField(max_length=32, blank=True)
    queued_at = models.DateTimeField()
    heard_at = models.DateTimeField(null=True, blank=True)
    done_fraction = models.FloatField(default=0)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["media", "name"], name="one_part_of_each_name")]
        indexes = [models.Index(fields=["state", "heard_at"], name="media_part_by_state")]

    def __str__(self):
        return f"{self.media_id}:{self.name}"
