"""Admin forms of the publishing app: a channel (its settings and its
write-only credentials, both built from the platform adapter), a partner of
the content API, and the dashboard's filters and "mark as resolved"."""

import copy

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.forms import UnitSectionsField
from newsroom.models import SectionPage, Unit

from .models import Channel, DeliveryState, Partner
from .permissions import channel_units

CONFIG_PREFIX = "config__"
CREDENTIAL_PREFIX = "credential__"


# Settings the engine and the adapters read as on/off (``if config.get(...)``):
# a text input would turn any word, "no" included, into "on".
SWITCH_SETTINGS = {"replace_on_update", "broadcast"}


def _config_field(spec):
    """A settings field from an adapter's ``config_fields`` entry: (name,
    label) is a line of text (a tick box for the on/off settings); a third
    item, a form field, is used as is."""
    name, label = spec[0], spec[1]
    if len(spec) > 2 and isinstance(spec[2], forms.Field):
        field = copy.deepcopy(spec[2])
        field.label = label
        return name, field
    if name in SWITCH_SETTINGS:
        return name, forms.BooleanField(label=label, required=False)
    return name, forms.CharField(label=label, required=False, max_length=500)


class ChannelForm(forms.ModelForm):
    """A channel of one platform (``adapter``). Credentials are write-only:
    their inputs are always empty, a blank input keeps the stored value, and
    the form says only whether each one is set."""

    class Meta:
        model = Channel
        fields = ["unit", "name", "auto_publish", "sections", "base_url", "rate_limit_per_minute"]

    def __init__(self, *args, user, adapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapter = adapter
        editing = self.instance.pk is not None
        units = channel_units(user)
        if editing:
            units = [self.instance.unit]
        self.fields["unit"] = forms.ModelChoiceField(
            queryset=Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name"), label=_("Unit"), empty_label=None,
            disabled=editing, help_text=_("A channel stays with the unit it was made for.") if editing else "",
        )
        if len(units) == 1 and not editing:
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].widget = forms.HiddenInput()
        self.fields["sections"] = UnitSectionsField(
            queryset=SectionPage.objects.of_units(units), units=units, required=False, label=_("Sections"),
            help_text=Channel._meta.get_field("sections").help_text,
        )
        self.fields["base_url"].help_text = _("Leave empty for the platform's own API (%(url)s).") % {
            "url": adapter.default_base_url or "—"
        }

        config = self.instance.config or {}
        for spec in adapter.config_fields:
            name, field = _config_field(spec)
            field.initial = config.get(name, field.initial)
            self.fields[CONFIG_PREFIX + name] = field
        if not adapter.can_edit and not adapter.batched and CONFIG_PREFIX + "replace_on_update" not in self.fields:
            self.fields[CONFIG_PREFIX + "replace_on_update"] = forms.BooleanField(
                label=_("Replace the post when the story changes"), required=False,
                initial=bool(config.get("replace_on_update")),
                help_text=_("%(platform)s cannot edit a post: when on, a corrected story's post is deleted and posted again.")
                % {"platform": adapter.label},
            )

        stored, self.unreadable = self._stored_credentials()
        for name, label in adapter.credential_fields:
            if stored.get(name):
                help_text = _("Set. Leave empty to keep it; it is never shown again.")
            elif self.unreadable:
                help_text = _("The stored value cannot be read with the current encryption keys: enter it again.")
            elif editing:
                help_text = _("Not set.")
            else:
                help_text = _("Stored encrypted; it is never shown again.")
            self.fields[CREDENTIAL_PREFIX + name] = forms.CharField(
                label=label, required=not stored.get(name) and name not in adapter.optional_credentials, strip=True, max_length=2000,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=help_text,
            )

    def _stored_credentials(self):
        """(credentials, unreadable): a key change must not lock people out
        of the form that lets them enter the credentials again."""
        if self.instance.pk is None or not self.instance.has_credentials:
            return {}, False
        try:
            return self.instance.credentials, False
        except ImproperlyConfigured:
            return {}, True

    def clean(self):
        data = super().clean()
        unit, sections = data.get("unit"), data.get("sections")
        if unit is not None and sections:
            outside = [s for s in sections if not s.path.startswith(unit.site.root_page.path)]
            if outside:
                self.add_error("sections", _("Choose sections of %(unit)s only.") % {"unit": unit.name})
        return data

    @property
    def changed_credentials(self):
        return [name for name, _label in self.adapter.credential_fields if self.cleaned_data.get(CREDENTIAL_PREFIX + name)]

    def save(self, commit=True):
        channel = super().save(commit=False)
        channel.kind = self.adapter.kind
        config = dict(channel.config or {})
        for key, value in self.cleaned_data.items():
            if key.startswith(CONFIG_PREFIX):
                config[key[len(CONFIG_PREFIX):]] = value
        channel.config = config
        changed = {name: self.cleaned_data[CREDENTIAL_PREFIX + name] for name in self.changed_credentials}
        if changed:
            channel.credentials = {**self._stored_credentials()[0], **changed}
        if commit:
            channel.save()
            self.save_m2m()
        return channel


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "contact", "units", "sections", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(Unit.objects.select_related("site__root_page").order_by("name"))
        self.fields["units"] = forms.ModelMultipleChoiceField(
            queryset=Unit.objects.order_by("name"), widget=forms.CheckboxSelectMultiple, label=_("Units"),
            help_text=_("The partner reads the published stories of these units."),
        )
        self.fields["sections"] = UnitSectionsField(
            queryset=SectionPage.objects.of_units(units), units=units, required=False, label=_("Sections"),
            help_text=Partner._meta.get_field("sections").help_text,
        )

    def clean(self):
        data = super().clean()
        units, sections = data.get("units"), data.get("sections")
        if units is not None and sections:
            roots = [unit.site.root_page.path for unit in units]
            if any(not any(s.path.startswith(root) for root in roots) for s in sections):
                self.add_error("sections", _("Choose sections of the granted units only."))
        return data


class DeliveryFilterForm(forms.Form):
    """The dashboard's filters; anything invalid is ignored, not an error page."""

    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    channel = forms.ModelChoiceField(label=gettext_lazy("Channel"), queryset=Channel.objects.none(), required=False)
    q = forms.CharField(label=gettext_lazy("Story"), required=False, max_length=200)
    since = forms.DateField(label=gettext_lazy("Updated from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Updated until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states"))] + list(DeliveryState.choices)
        self.fields["channel"].queryset = channels
        self.fields["channel"].empty_label = _("All channels")
        self.fields["q"].widget.attrs["placeholder"] = _("Search story titles")

    @property
    def filters(self):
        """The valid filters: a bad value in one field leaves the others on."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ResolveForm(forms.Form):
    # An address or an id: the adapter reads it (``resolve_delivery``).
    post = forms.CharField(label=gettext_lazy("Address or id of the post"), required=False, max_length=1024)
