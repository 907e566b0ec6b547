from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Media


class MediaViewSet(SnippetViewSet):
    """Video and audio of the shared archive (images use Wagtail's own
    image library, with the archive's custom image model)."""

    model = Media
    icon = "media"
    menu_label = _("Video & audio")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "kind", "duration_display", "credit", "created_at"]
    list_filter = ["kind", "license"]
    search_fields = ["title", "caption", "credit"]


register_snippet(MediaViewSet)
