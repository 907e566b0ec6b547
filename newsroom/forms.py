"""Form fields the admin's per-unit screens share, and the story editor's form."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from assets.text import ascii_slug


class UnitSectionLabels:
    """Sections labelled with their unit ("Unit – Section") when sections
    of several units are offered."""

    def __init__(self, *args, units=(), **kwargs):
        self.units = list(units)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, section):
        if len(self.units) < 2:
            return section.title
        unit = next((unit for unit in self.units if section.path.startswith(unit.site.root_page.path)), None)
        return f"{unit.name} – {section.title}" if unit else section.title


class UnitSectionChoiceField(UnitSectionLabels, forms.ModelChoiceField):
    pass


class UnitSectionsField(UnitSectionLabels, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StoryForm(WagtailAdminPageForm):
    """The story editor's form. A headline another story of the section
    already has (a daily "Giá vàng hôm nay") gets the next free address
    (``-2``, ``-3``…) instead of Wagtail's "slug in use" error, which would
    stop every save and autosave; an address the editor typed is theirs
    and is still checked."""

    def clean(self):
        slug, title = self.cleaned_data.get("slug"), self.cleaned_data.get("title")
        if slug and title and self.parent_page is not None and slug == ascii_slug(title):
            candidate, suffix = slug, 1
            while not Page._slug_is_available(candidate, self.parent_page, self.instance):
                suffix += 1
                candidate = f"{slug}-{suffix}"
            self.cleaned_data["slug"] = candidate
        return super().clean()
