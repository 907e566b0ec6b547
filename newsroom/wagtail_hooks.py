from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "job_title", "user"]
    # The search goes through the model's index (name and its ASCII fold).


register_snippet(AuthorViewSet)


# A password an administrator chose in Wagtail's user screens is theirs to
# know: its owner chooses their own at the next sign-in.
@hooks.register("after_create_user")
def password_chosen_on_create(request, user):
    _flag_password_set_by_administrator(user)


@hooks.register("after_edit_user")
def password_chosen_on_edit(request, user):
    if request.POST.get("password1") and user.pk != request.user.pk:
        _flag_password_set_by_administrator(user)


def _flag_password_set_by_administrator(user):
    if user.has_usable_password():
        type(user).objects.filter(pk=user.pk).update(must_change_password=True)
