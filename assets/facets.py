"""The archive's facets: what its listings (Wagtail's filter drawers, a
django-filter FilterSet) and its choosers (a filter form) narrow a search
to. Each facet is a plain filter on a model field the search index names a
FilterField (assets.models), so a facet and a search query combine and
every facet stays a query an index can answer: orientation compares width
and height, a GPS location is a latitude or a key of the technical
details, a duration bucket is a range."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.conf import settings
from django.db.models import F, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.images.views.images import ImagesFilterSet

from . import rights
from .collections import SHARED_ARCHIVE_NAME
from .models import License, Media
from .permissions import media_permission_policy


class Orientation(TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")
    SQUARE = "square", _("Square")


class RightsState(TextChoices):
    USABLE = "usable", _("Usable now")
    EXPIRING = "expiring", _("Licence ending soon")
    EXPIRED = "expired", _("Licence expired")
    EMBARGOED = "embargoed", _("Under embargo")


class Length(TextChoices):
    SHORT = "short", _("Under 1 minute")
    MEDIUM = "medium", _("1–5 minutes")
    LONG = "long", _("5–20 minutes")
    VERY_LONG = "very-long", _("Over 20 minutes")


# Seconds: from (included), to (excluded).
LENGTHS = {Length.SHORT: (None, 60), Length.MEDIUM: (60, 300), Length.LONG: (300, 1200), Length.VERY_LONG: (1200, None)}


def facing(items, orientation):
    """The pictures or videos of ``items`` held ``orientation``; items
    without dimensions (audio) have none."""
    if orientation == Orientation.LANDSCAPE:
        return items.filter(width__gt=F("height"))
    if orientation == Orientation.PORTRAIT:
        return items.filter(height__gt=F("width"))
    if orientation == Orientation.SQUARE:
        return items.filter(width=F("height"))
    return items


def located(items, has_location):
    """The items of ``items`` with (or without) a GPS location: a picture's
    latitude, a recording's ISO 6709 location from its file (assets.processing)."""
    if has_location is None:
        return items
    if items.model is Media:
        # A key of the JSON details, asked of the table by id: the search
        # backends filter on a model's own FilterFields only.
        where = Q(pk__in=Media.objects.filter(technical__has_key="location").values("pk"))
    else:
        where = Q(latitude__isnull=False)
    return items.filter(where) if has_location else items.exclude(where)


def lasting(items, length):
    """The video or audio of ``items`` whose duration is in the bucket ``length``."""
    if length not in LENGTHS:
        return items
    start, end = LENGTHS[length]
    if start is not None:
        items = items.filter(duration__gte=start)
    if end is not None:
        items = items.filter(duration__lt=end)
    return items


def by_rights(items, state, at=None):
    """The items of ``items`` in the usage-rights ``state`` (assets.rights)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if state == RightsState.USABLE:
        return rights.usable(items, at)
    if state == RightsState.EXPIRING:
        return rights.expiring(rights.usable(items, at), settings.ARCHIVE_RIGHTS_NOTICE_DAYS, at)
    if state == RightsState.EXPIRED:
        return items.filter(license_expires_on__lt=today)
    if state == RightsState.EMBARGOED:
        return items.filter(embargoed_until__gt=at)
    return items


def between_days(items, field, first=None, last=None):
    """The items of ``items`` whose ``field`` (a moment) falls on the days
    ``first`` to ``last`` (both included, Vietnam time)."""
    if first:
        items = items.filter(**{f"{field}__gte": timezone.make_aware(datetime.combine(first, time.min))})
    if last:
        items = items.filter(**{f"{field}__lt": timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))})
    return items


# --- unit of origin -------------------------------------------------------------


def origin_label(collection):
    """A collection as the newsroom names it: each unit's part of the shared
    archive and its private part are named after the unit
    (workflows.roles); the shared part itself holds what belongs to no unit."""
    if collection.depth == 2 and collection.name == SHARED_ARCHIVE_NAME:
        return _("Shared archive (no unit)")
    return collection.name


def origins(policy, user):
    """The collections ``user`` sees items of, in the tree's order: the
    shared part and the units' parts under it, their own unit's private part."""
    visible = policy.collections_user_has_any_permission_for(user, ["choose", "change", "delete"])
    return visible.filter(depth__gt=1).order_by("path")


class OriginChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, collection):
        return origin_label(collection)


class OriginFilter(django_filters.ModelChoiceFilter):
    field_class = OriginChoiceField


def _radio(**kwargs):
    return {"widget": forms.RadioSelect, "empty_label": _("All"), **kwargs}


def _days(label):
    return django_filters.DateFromToRangeFilter(label=label, widget=DateRangePickerWidget)


class ArchiveFilterSetMixin(django_filters.FilterSet):
    """The facets images, video and audio share."""

    created_at = _days(_("Date uploaded"))
    license = django_filters.ChoiceFilter(**_radio(label=_("Licence"), choices=License.choices))
    orientation = django_filters.ChoiceFilter(**_radio(label=_("Orientation"), choices=Orientation.choices, method="filter_orientation"))
    has_gps = django_filters.BooleanFilter(label=_("Has a GPS location"), method="filter_gps", widget=BooleanRadioSelect)
    rights = django_filters.ChoiceFilter(**_radio(label=_("Usage rights"), choices=RightsState.choices, method="filter_rights"))

    def filter_orientation(self, items, name, value):
        return facing(items, value)

    def filter_gps(self, items, name, value):
        return located(items, value)

    def filter_rights(self, items, name, value):
        return by_rights(items, value)

    def origin_filter(self, policy, field_name):
        return OriginFilter(field_name=field_name, label=_("Unit of origin"), queryset=origins(policy, self.request.user))


class ArchiveImageFilterSet(ArchiveFilterSetMixin, ImagesFilterSet):
    """The image library's facets: Wagtail's (collection, tags, usage), the
    collection offered as the unit of origin among all the person sees."""

    taken_at = _days(_("Date taken"))

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, is_searching=None):
        super().__init__(data, queryset, request=request, prefix=prefix, is_searching=is_searching)
        # In Wagtail's place and under its name (the add button reads it).
        self.filters["collection_id"] = self.origin_filter(self.permission_policy, "collection_id")


class MediaFilterSet(ArchiveFilterSetMixin, WagtailFilterSet):
    kind = django_filters.ChoiceFilter(**_radio(label=_("Kind"), choices=Media.Kind.choices))
    duration = django_filters.ChoiceFilter(**_radio(label=_("Duration"), choices=Length.choices, method="filter_duration"))
    state = django_filters.ChoiceFilter(**_radio(label=_("Processing"), choices=Media.State.choices))

    class Meta:
        model = Media
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["collection"] = self.origin_filter(media_permission_policy, "collection")

    def filter_duration(self, items, name, value):
        return lasting(items, value)


# --- the choosers' filter forms ---------------------------------------------------


def _choice(label, choices):
    return forms.ChoiceField(
        label=label, choices=[("", _("All")), *choices], required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )  # fmt: skip


def _day(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date", "data-chooser-modal-search-filter": True}))


class ArchiveChooserFilterForm(SearchFilterMixin, BaseFilterForm):
    """A chooser's search box and facets: the facets narrow first, then the
    words are searched within them. The chooser offers only what may be
    chosen now (assets.rights): its rights facet is whether the licence ends soon."""

    uploaded_from = _day(_("Uploaded from"))
    uploaded_to = _day(_("Uploaded until"))
    license = _choice(_("Licence"), License.choices)
    orientation = _choice(_("Orientation"), Orientation.choices)
    has_gps = _choice(_("Has a GPS location"), [("true", _("Yes")), ("false", _("No"))])
    rights = _choice(_("Usage rights"), [(RightsState.EXPIRING, RightsState.EXPIRING.label)])

    def __init__(self, *args, policy, user, **kwargs):
        super().__init__(*args, **kwargs)
        collections = origins(policy, user)
        self.fields["collection_id"] = forms.ModelChoiceField(
            label=_("Unit of origin"), queryset=collections, required=False, empty_label=_("All"),
            widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
        )  # fmt: skip
        self.fields["collection_id"].label_from_instance = origin_label
        # The facets after the search box, the unit of origin first.
        self.order_fields(["q", "collection_id"])

    def filter(self, objects):
        data = self.cleaned_data
        if data.get("collection_id"):
            self.is_filtering_by_collection = True
            objects = objects.filter(collection=data["collection_id"])
        objects = between_days(objects, "created_at", data.get("uploaded_from"), data.get("uploaded_to"))
        if data.get("license"):
            objects = objects.filter(license=data["license"])
        objects = facing(objects, data.get("orientation"))
        objects = located(objects, {"true": True, "false": False}.get(data.get("has_gps")))
        if data.get("rights"):
            objects = by_rights(objects, data["rights"])
        return super().filter(objects)

    @property
    def is_faceted(self):
        return self.is_bound and self.is_valid() and any(value not in (None, "") for name, value in self.cleaned_data.items() if name != "q")


class ImageChooserFilterForm(ArchiveChooserFilterForm):
    taken_from = _day(_("Taken from"))
    taken_to = _day(_("Taken until"))

    def filter(self, objects):
        objects = between_days(objects, "taken_at", self.cleaned_data.get("taken_from"), self.cleaned_data.get("taken_to"))
        return super().filter(objects)


class MediaChooserFilterForm(ArchiveChooserFilterForm):
    kind = _choice(_("Kind"), Media.Kind.choices)
    duration = _choice(_("Duration"), Length.choices)
    state = _choice(_("Processing"), Media.State.choices)

    def filter(self, objects):
        for name in ("kind", "state"):
            if self.cleaned_data.get(name):
                objects = objects.filter(**{name: self.cleaned_data[name]})
        objects = lasting(objects, self.cleaned_data.get("duration"))
        return super().filter(objects)
