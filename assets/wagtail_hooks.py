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

    # Django names a view's object after its model, "media", in the template
    # context, where Wagtail's form views keep the page's CSS and JavaScript:
    # the clash broke the edit and copy pages.
    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(context_object_name="media_item", **kwargs)

    def get_copy_view_kwargs(self, **kwargs):
        return super().get_copy_view_kwargs(context_object_name="media_item", **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(context_object_name="media_item", **kwargs)


register_snippet(MediaViewSet)
