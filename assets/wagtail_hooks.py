from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.staticfiles import versioned_static
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import rights
from .facets import MediaFilterSet
from .forms import MediaForm
from .models import Media
from .panels import CaptionTracksPanel, ProcessingPanel, UsagePanel
from .permissions import media_permission_policy
from .views import (
    ArchiveImageEditView,
    ArchiveImageIndexView,
    ArchiveImageMultipleAddView,
    MediaChooseResultsView,
    MediaChooseView,
    MediaChosenMultipleView,
    MediaChosenView,
    MediaDeleteView,
    MediaEditView,
    MediaIndexView,
    MediaProgressView,
    MediaRetryView,
    ResumableUploadStatusView,
    ResumableUploadsView,
    ResumableUploadView,
    UploaderView,
    image_chooser_viewset,
    may_upload,
    media_listed,
)

register_permission_policy(Media, media_permission_policy)


class UploaderMenuItem(MenuItem):
    def is_shown(self, request):
        return may_upload(request.user)


@hooks.register("register_admin_menu_item")
def register_uploader_menu_item():
    # Beside the archive's video and audio (menu_order 310).
    return UploaderMenuItem(_("Upload from the field"), reverse("archive_uploader"), icon_name="upload", order=305)


@hooks.register("register_admin_urls")
def register_archive_urls():
    # Registered before wagtail.images' own (INSTALLED_APPS order), so these
    # images addresses open the archive's views; every other is Wagtail's.
    # Then a video or audio item's progress (polled) and its Retry action.
    return [
        path("images/", ArchiveImageIndexView.as_view(), name="archive_images_index"),
        path("images/results/", ArchiveImageIndexView.as_view(results_only=True), name="archive_images_index_results"),
        # The image chooser's search and results, with the archive's facets.
        path("images/chooser/", image_chooser_viewset.choose_view, name="archive_images_choose"),
        path("images/chooser/results/", image_chooser_viewset.choose_results_view, name="archive_images_choose_results"),
        # The picture's page and the multiple uploader's forms, with what the
        # archive already has of it; the forms filled in from its metadata.
        path("images/<int:image_id>/", ArchiveImageEditView.as_view(), name="archive_images_edit"),
        path("images/multiple/add/", ArchiveImageMultipleAddView.as_view(), name="archive_images_add_multiple"),
        path("archive/media/<int:pk>/progress/", MediaProgressView.as_view(), name="archive_media_progress"),
        path("archive/media/<int:pk>/retry/", MediaRetryView.as_view(), name="archive_media_retry"),
        # Uploads from the field: the page, and the tus endpoints it speaks to.
        path("archive/uploads/", UploaderView.as_view(), name="archive_uploader"),
        path("archive/uploads/files/", ResumableUploadsView.as_view(), name="archive_uploads"),
        path("archive/uploads/files/<uuid:pk>/", ResumableUploadView.as_view(), name="archive_upload"),
        path("archive/uploads/files/<uuid:pk>/status/", ResumableUploadStatusView.as_view(), name="archive_upload_status"),
    ]


@hooks.register("insert_global_admin_css")
def archive_grid_css():
    # The grid of video and audio, in the listing and in the chooser modal
    # that any admin page may open.
    return format_html('<link rel="stylesheet" href="{}">', versioned_static("assets/archive.css"))


@hooks.register("construct_image_chooser_queryset")
def choose_usable_pictures(pictures, request):
    # A picture under embargo or past its licence cannot be newly chosen.
    return rights.usable(pictures)


class MediaChooserViewSet(SnippetChooserViewSet):
    """The chooser offers what the person may choose now (assets.rights)."""

    choose_view_class = MediaChooseView
    choose_results_view_class = MediaChooseResultsView
    chosen_view_class = MediaChosenView
    chosen_multiple_view_class = MediaChosenMultipleView


class MediaViewSet(SnippetViewSet):
    """Video and audio of the shared archive (images use Wagtail's own
    image library, with the archive's custom image model)."""

    model = Media
    icon = "media"
    menu_label = _("Video & audio")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "kind", "state", "duration_display", "credit", "collection", "created_at"]
    # Kind, unit of origin, upload date, licence, orientation, duration,
    # GPS, processing and usage rights (assets.facets); shown as a grid of
    # posters (assets.views.MediaIndexView).
    filterset_class = MediaFilterSet
    index_view_class = MediaIndexView
    index_results_template_name = "assets/media/index_results.html"
    list_per_page = 30  # as the image library's grid
    chooser_per_page = 20  # as the image chooser's
    # No search_fields: Wagtail then searches the model's own index
    # (Media.search_fields, folded words included); naming fields made
    # SQLite's full-text query ask for columns its table does not have.
    chooser_viewset_class = MediaChooserViewSet
    edit_view_class = MediaEditView
    delete_view_class = MediaDeleteView
    edit_handler = ObjectList(
        [
            # What the media worker made of the file (assets.processing).
            ProcessingPanel(),
            UsagePanel(),
            *(
                FieldPanel(name)
                for name in (
                    "title", "kind", "collection", "file", "duration", "width", "height", "poster", "poster_at", "caption", "credit", "license",
                    "license_expires_on", "embargoed_until", "transcript",
                )
            ),
            # Its captions, one file per language (WebVTT, or SubRip made WebVTT).
            CaptionTracksPanel(),
        ],
        base_form_class=MediaForm,
    )

    def get_queryset(self, request):
        # A unit's private part stays its own (the permissions say so).
        return media_listed(request)

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
