"""Wagtail's revision compare in the desk's forms: a time as the newsroom
writes it (06/12/2026 15:58, Hà Nội time; "—" for none) where Wagtail
shows Python's ``None 2026-12-06 15:58:52.125000+07:00``, yes or no in
words, and tags by their names (Wagtail shows their ASCII slugs)."""

from django.db import models
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.managers import TaggableManager
from wagtail.admin.compare import FieldComparison, TagsFieldComparison, TextDiff, register_comparison_class


class ShownValueComparison(FieldComparison):
    def shown(self, value):
        raise NotImplementedError

    def htmldiff(self):
        before, after = self.shown(self.val_a), self.shown(self.val_b)
        if self.val_a != self.val_b:
            return TextDiff([("deletion", before), ("addition", after)]).to_html()
        return escape(after)


class DateTimeComparison(ShownValueComparison):
    def shown(self, value):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"


class DateComparison(ShownValueComparison):
    def shown(self, value):
        return value.strftime("%d/%m/%Y") if value else "—"


class BooleanComparison(ShownValueComparison):
    def shown(self, value):
        return _("Yes") if value else _("No")


class TagNamesComparison(TagsFieldComparison):
    def get_item_display(self, tag):
        return tag.name


def register():
    register_comparison_class(models.DateTimeField, comparison_class=DateTimeComparison)
    register_comparison_class(models.DateField, comparison_class=DateComparison, exact_class=True)
    register_comparison_class(models.BooleanField, comparison_class=BooleanComparison)
    register_comparison_class(TaggableManager, comparison_class=TagNamesComparison)
