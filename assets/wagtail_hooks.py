from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import MediaForm
from .models import Media
from .views import ArchiveImageIndexView, MediaDeleteView, MediaEditView

# Video and audio follow the images' rule: a person changes and deletes the
# items of the collections they may change (their unit's), or those they
# uploaded there; choosing one for a story is open to everyone who writes.
register_permission_policy(Media, CollectionOwnershipPermissionPolicy(Media, owner_field_name="uploaded_by"))


@hooks.register("register_admin_urls")
def register_archive_image_listing():
    # Registered before wagtail.images' own (INSTALLED_APPS order), so these
    # addresses open the archive's listing; every other image view is Wagtail's.
    return [
        path("images/", ArchiveImageIndexView.as_view(), name="archive_images_index"),
        path("images/results/", ArchiveImageIndexView.as_view(results_only=True), name="archive_images_index_results"),
    ]


class MediaViewSet(SnippetViewSet):
    """Video and audio of the shared archive (images use Wagtail's own
    image library, with the archive's custom image model)."""

    model = Media
    icon = "media"
    menu_label = _("Video & audio")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "kind", "duration_display", "credit", "collection", "created_at"]
    list_filter = ["kind", "license", "collection"]
    search_fields = ["title", "caption", "credit"]
    edit_view_class = MediaEditView
    delete_view_class = MediaDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "title", "kind", "collection", "file", "duration", "width", "height", "poster", "caption", "credit", "license", "transcript",
            )
        ],
        base_form_class=MediaForm,
    )

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
