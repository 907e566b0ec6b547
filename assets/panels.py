"""The video and audio form's panels: what the media worker made of the
file (its state, why it failed, its technical details, the items that hold
the same file), where the item is used, and its captions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel

from . import similarity
from .forms import CaptionTrackForm, CaptionTrackFormSet
from .models import Media
from .permissions import media_permission_policy
from .usage import uses_of


class ProcessingPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Processing"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "assets/panels/processing.html"

        def is_shown(self):
            # Nothing to say before the item exists.
            return bool(self.instance and self.instance.pk) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            item = self.instance
            technical = item.technical or {}
            rows = [
                (_("Container"), technical.get("container")),
                (_("Picture"), technical.get("video_codec")),
                (_("Frame rate"), technical.get("frame_rate") and f"{technical['frame_rate']:g}"),
                (_("Rotation"), technical.get("rotation") and f"{technical['rotation']}°"),
                (_("Sound"), technical.get("audio_codec")),
                (_("Sample rate"), technical.get("sample_rate") and f"{technical['sample_rate']:,} Hz".replace(",", ".")),
                (_("Audio channels"), technical.get("channels")),
                (_("Bit rate"), technical.get("bit_rate") and f"{technical['bit_rate'] / 1000:,.0f} kbit/s".replace(",", ".")),
                (_("Recorded at"), technical.get("created")),
                (_("Recorded where"), technical.get("location")),
            ]
            made = [
                (_("Web video (MP4)"), item.web_video_url),
                (_("Adaptive stream (HLS)"), item.hls_url),
                (_("Scrubbing pictures (WebVTT)"), item.scrub_url),
                (_("Normalised sound (MP3, -16 LUFS)"), item.output_url("mp3")),
                (_("Normalised sound (AAC)"), item.aac_url),
            ]
            # Only what the person may see: another unit's private part stays private.
            visible = media_permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
            similar = similarity.similar_videos(item)
            seen = set(visible.filter(pk__in=[other.pk for other, _share in similar]).values_list("pk", flat=True)) if similar else set()
            context.update(
                item=item,
                progress=item.progress() if item.is_working else 0,
                outputs=[(label, url) for label, url in made if url],
                failed=item.state == Media.State.FAILED,
                technical_rows=[(label, value) for label, value in rows if value],
                duplicates=list(item.duplicates().filter(pk__in=visible.values("pk"))[:10]),
                similar=[(other, round(share * 100)) for other, share in similar if other.pk in seen],
            )
            return context


class UsagePanel(Panel):
    """Where the item is used (assets.usage): the stories, the deliveries."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Where used"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "assets/panels/usage.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["uses"] = uses_of(self.instance, self.request.user)
            return context


class CaptionTracksPanel(InlinePanel):
    """The item's caption tracks, one per language: each file read as
    captions (assets.forms.CaptionTrackForm) against the item's duration."""

    def __init__(self, relation_name="caption_tracks", **kwargs):
        kwargs.setdefault("heading", _("Captions"))
        kwargs.setdefault("label", _("Captions"))
        # The file chooser offers caption files first (the form reads what it gets).
        caption_file = FieldPanel("file", widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}))
        kwargs.setdefault("panels", [FieldPanel("language"), FieldPanel("label"), caption_file])
        super().__init__(relation_name, **kwargs)

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(form=CaptionTrackForm, formset=CaptionTrackFormSet)
        return options
