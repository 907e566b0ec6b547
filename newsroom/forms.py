"""Form fields the admin's per-unit screens share."""

from django import forms


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
