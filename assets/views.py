"""The archive's admin views where Wagtail's own need the archive's rule:
every unit sees and chooses the whole archive; only who may change an item
(its unit's staff, an archive manager) opens it for editing or deletes it."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from PIL import Image
from taggit.utils import edit_string_for_tags
from wagtail.images.views import chooser as image_chooser
from wagtail.images.views import images, multiple
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.search.backends import get_search_backend
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets
from wagtail.utils.file import hash_filelike

from . import facets, metadata, processing, rights, similarity, tus
from .models import ArchiveImage, ArchiveRendition, Media, ResumableUpload
from .permissions import media_permission_policy
from .renditions import ADMIN_THUMBNAIL_SPEC, crops, ready_renditions
from .usage import uses_of


class ArchiveImageIndexView(images.IndexView):
    """Wagtail lists only the pictures a person may change; here the whole
    shared archive, the others without an edit link or a checkbox; with the
    archive's facets (assets.facets)."""

    filterset_class = facets.ArchiveImageFilterSet

    def get_base_queryset(self):
        pictures = (
            self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change", "delete"])
            .select_related("collection")
            .prefetch_renditions(ADMIN_THUMBNAIL_SPEC)
        )
        if self.needs_usage_count_subquery:
            pictures = pictures.annotate(usage_count=ReferenceIndex.usage_count_subquery(self.model))
        return pictures

    def decorate_paginated_queryset(self, object_list):
        object_list = super().decorate_paginated_queryset(object_list)
        editable = set(
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(pk__in=[image.pk for image in object_list])
            .values_list("pk", flat=True)
        )
        for image in object_list:
            image.can_edit = image.pk in editable
        return object_list

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if getattr(instance, "can_edit", False) else None


class ArchiveImageChooserMixin:
    """Wagtail's image chooser with the archive's facets and the unit of
    origin in place of its collection list."""

    filter_form_class = facets.ImageChooserFilterForm
    results_template_name = "assets/images/chooser_results.html"

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET, policy=self.permission_policy, user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "is_faceted": self.filter_form.is_faceted}


class ArchiveImageChooseView(ArchiveImageChooserMixin, image_chooser.ImageChooseView):
    pass


class ArchiveImageChooseResultsView(ArchiveImageChooserMixin, image_chooser.ImageChooseResultsView):
    pass


class ArchiveImageChooserViewSet(image_chooser.ImageChooserViewSet):
    """Wagtail's own (its URL names, its other views), whose search and
    results views the archive serves at Wagtail's addresses (wagtail_hooks)."""

    choose_view_class = ArchiveImageChooseView
    choose_results_view_class = ArchiveImageChooseResultsView


image_chooser_viewset = ArchiveImageChooserViewSet("wagtailimages_chooser", model=ArchiveImage, url_prefix="images/chooser")


class ArchiveImageMultipleAddView(multiple.AddView):
    """Wagtail's multiple uploader, whose form for each picture comes back
    filled in from the picture's own metadata (assets.metadata): caption,
    credit, keywords, date and place, for the uploader to check and save;
    with the pictures the archive already has of it, the same or similar
    (assets.similarity), to use instead of a copy."""

    edit_form_template_name = "assets/uploads/picture_form.html"

    def get_edit_upload_form_context_data(self):
        with self.upload_object.file.open("rb") as upload:
            found = metadata.read(upload)
            known = _known_pictures(upload, self.request.user)
        keywords = metadata.fill_blanks(self.object, found, self.upload_object.file.name) if found else []
        context = super().get_edit_upload_form_context_data()
        if keywords:
            context["form"].initial["tags"] = edit_string_for_tags([SimpleNamespace(name=keyword) for keyword in keywords])
        context.update(known)
        return context


def _known_pictures(upload, user):
    """The pictures this person may see that are this file, or look like it."""
    visible = policy_registry.get_by_type(ArchiveImage).instances_user_has_any_permission_for(user, ["choose", "change"])
    file_hash = hash_filelike(upload)  # as Wagtail keeps it for its pictures
    upload.seek(0)
    try:
        with Image.open(upload) as picture:
            dhash = similarity.difference_hash(picture)
    except (OSError, ValueError):
        return {"same_file": [], "similar": []}
    finally:
        upload.seek(0)
    same = list(visible.filter(file_hash=file_hash)[:5])
    return {"same_file": same, "similar": _visible_alike(visible, similarity.similar(dhash), same)[:6]}


def _visible_alike(visible, alike, same):
    """Similar pictures this person may see, the same ones left out."""
    shown = set(visible.filter(pk__in=[picture.pk for picture, _apart in alike]).values_list("pk", flat=True))
    return [(picture, apart) for picture, apart in alike if picture.pk in shown and picture not in same]


class ArchiveImageEditView(images.EditView):
    """Wagtail's picture page, with the pictures the archive has that are
    the same (file or pixels) or similar."""

    template_name = "assets/image_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        same = list(visible.filter(pk__in=self.object.same_picture().values("pk"))[:10])
        alike = similarity.similar(self.object.dhash, exclude=self.object.pk)
        context.update(
            same_picture=same, similar=_visible_alike(visible, alike, same)[:10], uses=uses_of(self.object, self.request.user), crops=self._crops()
        )
        return context

    def _crops(self):
        """Each crop the picture is shown in, around its focal point: the
        ones made, and those still to come (asked of the media worker,
        never made in this request)."""
        shown = crops()
        found = ready_renditions(self.object, [spec for _label, spec in shown])
        return [(label, found.get(spec)) for label, spec in shown]


class InstancePermissionMixin:
    """Wagtail's generic edit and delete views check the model permission
    only; the archive's are per item (its collection)."""

    instance_action = None

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if not self.user_has_permission_for_instance(self.instance_action, item):
            raise PermissionDenied
        return item


def media_listed(request):
    """The video and audio a person sees in the archive: what they may
    choose (the shared archive, their unit's private part) or change."""
    return media_permission_policy.instances_user_has_any_permission_for(request.user, ["choose", "change", "delete"])


def media_to_choose(user):
    """What a person may put in a story now: theirs to choose, and neither
    under embargo nor past its licence (assets.rights)."""
    return rights.usable(media_permission_policy.instances_user_has_any_permission_for(user, ["choose"]))


# The grid's thumbnail of a poster: the image library's own size, which the
# media worker makes when it is missing (assets.renditions).
POSTER_THUMBNAIL = ADMIN_THUMBNAIL_SPEC


def with_posters(media):
    """``media`` with each item's collection, poster and the poster's
    thumbnail, if made, read in two queries for the whole page."""
    thumbnails = ArchiveRendition.objects.filter(filter_spec=POSTER_THUMBNAIL)
    return media.select_related("collection", "poster").prefetch_related(
        Prefetch("poster__renditions", queryset=thumbnails, to_attr="prefetched_renditions")
    )


def show_posters(items, request):
    """Each item's ``thumbnail``: its poster's made rendition, or None (a
    placeholder) while there is no poster or the worker is making it."""
    for item in items:
        item.thumbnail = ready_renditions(item.poster, [POSTER_THUMBNAIL], request).get(POSTER_THUMBNAIL) if item.poster else None
    return items


class MediaIndexView(snippets.IndexView):
    """Video and audio as a grid of posters (each with its kind, duration
    and processing), the others' items without an edit link or a checkbox."""

    def get_base_queryset(self):
        return with_posters(super().get_base_queryset())

    def search_queryset(self, queryset):
        # As the person types: titles, captions, credits. A phrase of the
        # transcript (kept out of the autocomplete index: an hour of speech
        # is a lot of prefixes) is found by its whole words when nothing
        # else matches.
        found = super().search_queryset(queryset)
        if not self.is_searching or found.count():
            return found
        return get_search_backend(self.search_backend_name).search(
            self.search_query, queryset, operator="and", order_by_relevance=not self.is_explicitly_ordered
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = show_posters(context["object_list"], self.request)
        editable = set(
            media_permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(pk__in=[item.pk for item in items])
            .values_list("pk", flat=True)
        )
        for item in items:
            item.edit_url = self.get_edit_url(item) if item.pk in editable else None
        return context


class MediaChooserMixin:
    filter_form_class = facets.MediaChooserFilterForm
    results_template_name = "assets/media/chooser_results.html"

    def get_object_list(self):
        return with_posters(media_to_choose(self.request.user))

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET, policy=media_permission_policy, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for item in show_posters(context["results"], self.request):
            item.chosen_url = self.append_preserved_url_parameters(reverse(self.chosen_url_name, args=(item.pk,)))
        context["is_faceted"] = self.filter_form.is_faceted
        return context


class MediaChooseView(MediaChooserMixin, snippet_chooser.ChooseView):
    pass


class MediaChooseResultsView(MediaChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class MediaChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return media_to_choose(self.request.user).get(pk=pk)


class MediaChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return media_to_choose(self.request.user).filter(pk__in=pks)


class MediaEditView(InstancePermissionMixin, snippets.EditView):
    instance_action = "change"


class MediaDeleteView(InstancePermissionMixin, snippets.DeleteView):
    instance_action = "delete"


class MediaItemView(View):
    """A video or audio item's processing, for those who may change it."""

    def dispatch(self, request, pk):
        self.item = get_object_or_404(Media, pk=pk)
        if not media_permission_policy.user_has_permission_for_instance(request.user, "change", self.item):
            raise PermissionDenied
        return super().dispatch(request, pk)


class MediaProgressView(MediaItemView):
    """Where the media worker is with the item, for the edit page's
    progress bar (polled while the item is being processed)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        item = self.item
        return JsonResponse({"state": item.state, "label": str(item.get_state_display()), "progress": item.progress()})


class MediaRetryView(MediaItemView):
    """Hand the item's file to the media worker again (after a failure, or
    an output that went missing)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        with transaction.atomic():
            processing.queue_processing(self.item)
        messages.success(request, _("“%(title)s” went back to the media worker.") % {"title": self.item.title})
        return redirect("wagtailsnippets_assets_media:edit", self.item.pk)


# --- resumable uploads (tus, assets.tus) ------------------------------------


def _tus_answer(status=204, body=None, **headers):
    response = JsonResponse(body, status=status) if body is not None else HttpResponse(status=status)
    response["Tus-Resumable"] = tus.VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def may_upload(user):
    """Whether ``user`` may add pictures, video or audio somewhere."""
    return any(policy_registry.get_by_type(model).user_has_permission(user, "add") for model in (ArchiveImage, Media))


class TusView(View):
    """The protocol's common rules: its version on every request but
    OPTIONS, a JSON error in words, never a 500 for a bad request."""

    # A staff API token (Authorization: Bearer) may call it, for scripts
    # and phone apps: the middleware that reads it acts as its owner.
    token_authentication = True

    def dispatch(self, request, *args, **kwargs):
        if not may_upload(request.user):
            return _tus_answer(403, {"error": _("You may not add to the archive.")})
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != tus.VERSION:
            return _tus_answer(412, {"error": _("This server speaks tus %(version)s.") % {"version": tus.VERSION}}, Tus_Version=tus.VERSION)
        try:
            return super().dispatch(request, *args, **kwargs)
        except tus.Refused as refused:
            return _tus_answer(refused.status, {"error": refused.message})

    def options(self, request, *args, **kwargs):
        return _tus_answer(
            204, Tus_Version=tus.VERSION, Tus_Extension=tus.EXTENSIONS, Tus_Max_Size=settings.RESUMABLE_UPLOAD_MAX_BYTES,
            Tus_Checksum_Algorithm=",".join(tus.CHECKSUMS),
        )  # fmt: skip


class ResumableUploadsView(TusView):
    """Start an upload (tus creation)."""

    http_method_names = ["options", "post"]

    def post(self, request):
        upload = tus.create(request.user, request.headers.get("Upload-Length"), request.headers.get("Upload-Metadata"))
        location = reverse("archive_upload", args=[upload.pk])
        return _tus_answer(201, Location=request.build_absolute_uri(location), Upload_Expires=http_date(upload.expires_at.timestamp()))


class ResumableUploadView(TusView):
    """One upload: where it is (HEAD), its next bytes (PATCH), given up (DELETE)."""

    http_method_names = ["options", "head", "patch", "delete"]

    def dispatch(self, request, pk):
        # Another person's upload, or one gone: as if it never was.
        self.upload = ResumableUpload.objects.filter(pk=pk, owner=request.user).first() if request.user.is_authenticated else None
        if self.upload is None and request.method != "OPTIONS":
            return _tus_answer(404, {"error": _("There is no such upload.")})
        return super().dispatch(request, pk)

    def head(self, request, pk):
        upload = self.upload
        if upload.state == ResumableUpload.State.RECEIVING and upload.expires_at <= timezone.now():
            return _tus_answer(410)
        return _tus_answer(
            200, Upload_Offset=upload.offset, Upload_Length=upload.length, Upload_Expires=http_date(upload.expires_at.timestamp())
        )

    def patch(self, request, pk):
        if request.content_type != "application/offset+octet-stream":
            return _tus_answer(415, {"error": _("The bytes must come as application/offset+octet-stream.")})
        upload = tus.receive(self.upload, request.headers.get("Upload-Offset"), request, request.headers.get("Upload-Checksum"))
        return _tus_answer(
            204, Upload_Offset=upload.offset, Upload_Expires=http_date(upload.expires_at.timestamp()),
            Hoitu_Upload_Status=reverse("archive_upload_status", args=[upload.pk]),
        )  # fmt: skip

    def delete(self, request, pk):
        if self.upload.state != ResumableUpload.State.RECEIVING:
            return _tus_answer(409, {"error": _("This upload is already complete.")})
        tus.terminate(self.upload)
        return _tus_answer(204)


class ResumableUploadStatusView(View):
    """Where a finished upload stands, for the uploader page: the item it
    became, or why not."""

    token_authentication = True

    http_method_names = ["get"]

    def get(self, request, pk):
        upload = get_object_or_404(ResumableUpload, pk=pk, owner=request.user)
        item_url = ""
        if upload.image_id:
            item_url = reverse("wagtailimages:edit", args=[upload.image_id])
        elif upload.media_id:
            item_url = reverse("wagtailsnippets_assets_media:edit", args=[upload.media_id])
        item = upload.media
        return JsonResponse({
            "state": upload.state, "label": str(upload.get_state_display()), "offset": upload.offset, "length": upload.length,
            "failure": upload.failure, "item_url": item_url,
            "processing": str(item.get_state_display()) if item else "", "progress": item.progress() if item else None,
        })  # fmt: skip


class UploaderView(TemplateView):
    """The admin's uploader from the field: several files at once, each
    with its progress bar, carrying on after a dropped connection."""

    template_name = "assets/uploads/uploader.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_upload(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recent = ResumableUpload.objects.filter(owner=self.request.user).select_related("image", "media").order_by("-created_at")[:20]
        context.update(
            recent=recent, max_bytes=settings.RESUMABLE_UPLOAD_MAX_BYTES, endpoint=reverse("archive_uploads"),
            page_title=_("Upload from the field"), header_icon="upload",
        )  # fmt: skip
        return context
