from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm


def checklist_form_class(items):
    """The approve form of a checklist step: one required box per item,
    plus the usual comment. ``cleaned_data["ticked"]`` is what is stored."""
    fields = {
        f"item_{index}": forms.BooleanField(
            label=item, required=True, error_messages={"required": _("Tick this item before approving.")}
        )
        for index, item in enumerate(items)
    }

    def clean(self):
        cleaned = super(form_class, self).clean()
        ticked = [item for index, item in enumerate(items) if cleaned.pop(f"item_{index}", False)]
        cleaned["ticked"] = ticked
        return cleaned

    form_class = type("ChecklistApprovalForm", (TaskStateCommentForm,), {**fields, "clean": clean})
    return form_class
