from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": services.NAME_LENGTH[1]}),
        error_messages={"required": _("Enter the name to show with your comment.")},
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.TEXT_LENGTH[1]}),
        error_messages={"required": _("Write your comment.")},
    )
    # Left empty by people (it is hidden from them); filled by robots that
    # fill every field.
    website = forms.CharField(required=False, max_length=200)

    def clean_name(self):
        name = services.clean_text(self.cleaned_data["name"].replace("\n", " "), services.NAME_LENGTH)
        if name is None:
            raise forms.ValidationError(_("A name is 2 to 60 characters long."))
        return name

    def clean_text(self):
        text = services.clean_text(self.cleaned_data["text"], services.TEXT_LENGTH)
        if text is None:
            raise forms.ValidationError(_("A comment is 2 to 1,500 characters long."))
        return text

    @property
    def from_robot(self):
        return bool(self.data.get("website"))
