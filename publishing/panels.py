"""The story editor's "Channels" tab: where the story went (a status list
that follows a publish live) and, per channel of the story's unit, whether
it goes there and with which headline, text and picture — with each
platform's limits counted as the editor types and a preview of the post."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel

from newsroom.models import Unit
from workflows.membership import membership

from .adapters.base import image_url, story_url
from .models import Channel
from .permissions import user_can_view_deliveries
from .views.story import POLL_INTERVAL_MS, delivery_rows, refusals

# An adapter with its own ``count`` weighs characters like twitter-text v3
# (X): these are that standard's defaults, overridden by the adapter
# module's own constants when it has them.
DEFAULT_URL_WEIGHT = 23
DEFAULT_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def story_unit(story, form=None):
    """The unit of the story being edited (or created under ``form``'s parent)."""
    if story is not None and story.path:
        return Unit.objects.for_page(story)
    parent = getattr(form, "parent_page", None)
    return Unit.objects.for_page(parent) if parent is not None else None


def counting_rules(adapter_class):
    """How the editor's counters count for this platform: plain characters
    of each field, or (an adapter with ``count``) the whole post weighed the
    platform's way, a link counting as a fixed number of characters."""
    if not callable(getattr(adapter_class, "count", None)):
        return {"mode": "characters"}
    import sys

    module = sys.modules.get(adapter_class.__module__)
    return {
        "mode": "weighted",
        "url_weight": getattr(module, "URL_WEIGHT", DEFAULT_URL_WEIGHT),
        "light_ranges": [list(r) for r in getattr(module, "LIGHT_RANGES", DEFAULT_LIGHT_RANGES)],
    }


def channel_info(channel):
    adapter = channel.adapter_class
    return {
        "id": channel.pk,
        "name": channel.name,
        "kind": channel.kind,
        "platform": str(adapter.label),
        "enabled": channel.enabled,
        "limits": [
            {"field": limit.field, "max": limit.max, "label": str(limit.label or limit.field), "required": limit.required}
            for limit in adapter.limits
        ],
        "counting": counting_rules(adapter),
    }

# --- the per-channel copies ---------------------------------------------------


class ChannelCopyForm(WagtailAdminModelForm):
    """One channel's choices for the story. Only channels of the story's
    unit can be chosen, whatever is posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"].queryset = self._allowed_channels()

    def _allowed_channels(self):
        # The story's unit is known once the story is in the tree; a new
        # story's form only narrows to the user's units (``clean`` and the
        # panel narrow further).
        channels = Channel.objects.select_related("unit").order_by("name")
        story = self.instance.story if self.instance.story_id else None
        if story is not None and story.path:
            unit = Unit.objects.for_page(story)
            return channels.filter(unit=unit) if unit else channels.none()
        user = self.for_user
        if user is None:
            return channels.none()

        m = membership(user)
        return channels if m.superuser else channels.filter(unit_id__in=m.unit_ids)


class ChannelCopyFormSet(BaseChildFormSet):
    """One entry per channel, and only the story's unit's channels (known
    here, from the story, for a story already in the tree)."""

    def clean(self):
        super().clean()
        story = self.instance
        unit = Unit.objects.for_page(story) if story.path else None
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            channel = form.cleaned_data.get("channel")
            if channel is None:
                continue
            if story.path and (unit is None or channel.unit_id != unit.pk):
                form.add_error("channel", _("Choose a channel of this story's unit."))
                continue
            if channel.pk in seen:
                raise forms.ValidationError(_("“%(channel)s” is chosen twice: keep one entry per channel.") % {"channel": channel.name})
            seen.add(channel.pk)


class ChannelCopiesPanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        formset["form"] = ChannelCopyForm
        formset["formset"] = ChannelCopyFormSet
        formset["inherit_kwargs"] = ["for_user"]
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is None:
                return
            # Offer only the story's unit's channels (a new story's unit is
            # its parent section's).
            unit = story_unit(self.instance, self.form)
            channels = Channel.objects.filter(unit=unit).order_by("name") if unit else Channel.objects.none()
            for subform in [*self.formset.forms, self.formset.empty_form]:
                if "channel" in subform.fields:
                    subform.fields["channel"].queryset = channels

# --- where the story went ---------------------------------------------------


class ChannelStatusPanel(Panel):
    """The story's deliveries (state, link to the post, error, attempts),
    polled while any is open; the unit's other channels with the reason a
    platform refuses the story, if it does; the data the copy forms'
    counters and previews work from."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/panels/status.html"

        class Media:
            js = ["publishing/story-channels.js"]
            css = {"all": ["publishing/publishing.css"]}

        @cached_property
        def unit(self):
            return story_unit(self.instance, self.form)

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            context = super().get_context_data(parent_context)
            story = self.instance
            unit = self.unit
            channels = list(Channel.objects.filter(unit=unit).order_by("name")) if unit else []
            can_view = unit is not None and user_can_view_deliveries(self.request.user, unit)
            rows = delivery_rows(story.pk) if story.pk and can_view else []
            delivered_to = {row["channel"]["id"] for row in rows}
            saved = story.pk is not None and bool(story.path)
            reasons = refusals(story, channels) if saved else {}
            context.update(
                unit=unit,
                can_view=can_view,
                deliveries=rows,
                open=any(row["open"] for row in rows),
                others=[
                    {"channel": channel, "refusal": reasons.get(channel.pk, "")}
                    for channel in channels
                    if channel.pk not in delivered_to
                ],
                status_url=reverse("publishing_story:deliveries", args=[story.pk]) if saved and can_view else "",
                poll_interval=POLL_INTERVAL_MS,
                editor_data=self.editor_data(story, channels, reasons),
            )
            return context

        def editor_data(self, story, channels, reasons):

            defaults = {"headline": "", "text": "", "url": "", "image_url": ""}
            if story.pk and story.path:
                defaults["headline"] = story.social_title
                defaults["text"] = story.social_description
                defaults["url"] = story_url(story)
                image = story.social_image
                if image is not None:
                    try:
                        defaults["image_url"] = image_url(story, image)
                    except Exception:  # a missing file must not break the editor
                        defaults["image_url"] = ""
            else:
                defaults["headline"] = story.title or ""
            return {
                "channels": {str(channel.pk): {**channel_info(channel), "refusal": reasons.get(channel.pk, "")} for channel in channels},
                "story": defaults,
                "messages": {
                    "over": _("%(over)s over the limit: it will be shortened."),
                    "required": _("%(field)s is required on %(platform)s."),
                    "count": _("%(label)s: %(count)s / %(max)s"),
                    "preview": _("Preview on %(platform)s"),
                    "refused": _("Cannot go to this channel: %(reason)s"),
                    "live": _("Updating while the story is being sent…"),
                    "settled": _("All deliveries have settled."),
                    "view": _("View post"),
                    "removal": _("Removal"),
                    "error": _("Could not refresh the status."),
                },
            }


def channel_panels():
    return [
        ChannelStatusPanel(heading=gettext_lazy("Where this story went")),
        ChannelCopiesPanel(
            "channel_copies",
            heading=gettext_lazy("Channels"),
            label=gettext_lazy("Channel"),
            panels=[FieldPanel("channel"), FieldPanel("include"), FieldPanel("headline"), FieldPanel("text"), FieldPanel("image")],
        ),
    ]
