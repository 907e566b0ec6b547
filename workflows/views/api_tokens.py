"""A person's own API tokens (workflows.api_tokens): the list, a new
token (shown once, in the answer to the form), and revoking one."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..api_tokens import LIFETIMES, create_token, revoke_token, tokens_of


def _lifetime_choices():
    return [("", gettext_lazy("Never expires"))] + [
        (str(days), gettext_lazy("%(days)s days") % {"days": days}) for days in LIFETIMES if days is not None
    ]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("Where you will use it, e.g. “My phone”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    days = forms.TypedChoiceField(label=gettext_lazy("Expires"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = _lifetime_choices()
        self.fields["days"].initial = "90"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


def index(request):
    form = NewTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = create_token(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        form = NewTokenForm()
    # The new token is in this answer and nowhere else (the admin's answers
    # are never cached).
    return TemplateResponse(
        request,
        "workflows/api_tokens/index.html",
        {
            "page_title": _("API tokens"),
            "header_icon": "key",
            "form": form,
            "new_token": new_token,
            "tokens": tokens_of(request.user),
            "uploads_endpoint": reverse("archive_uploads"),
        },
    )


@require_POST
def revoke(request, token_id):
    row = revoke_token(request.user, token_id)
    if row is None:
        messages.error(request, _("There is no such token, or it is already revoked."))
    else:
        messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": row.name})
    return redirect("workflows_api_tokens:index")


urlpatterns = [
    path("", index, name="index"),
    path("<int:token_id>/revoke/", revoke, name="revoke"),
]
