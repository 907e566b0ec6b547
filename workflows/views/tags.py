"""Wagtail's tag autocomplete, scoped to the user's units: Wagtail offers
every tag in the installation, so a tag used only on another unit's
unpublished story would tell its subject. Served at Wagtail's own
addresses (the project's URLconf matches ``urlpatterns`` before Wagtail's
admin)."""

from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from taggit.models import Tag, TaggedItem
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import tags as wagtail_tags
from wagtail.utils.urlpatterns import decorate_urlpatterns

from newsroom.models import ArticlePage, ArticlePageTag

from ..membership import membership
from ..permissions import visible_pages_q


def tags_in_sight(user, tags):
    """Of ``tags``, those on something the user may see: published stories,
    their units' stories, the shared archive. A tag typed into a draft that
    is not saved on any story yet exists with no use at all, so unused tags
    are left out too."""
    if membership(user).superuser:
        return tags
    seen = ArticlePage.objects.filter(Q(live=True) | visible_pages_q(user)).values("pk")
    on_stories_in_sight = ArticlePageTag.objects.filter(content_object__in=seen).values("tag_id")
    return tags.filter(Q(pk__in=on_stories_in_sight) | Q(pk__in=TaggedItem.objects.values("tag_id")))


def autocomplete(request, app_name=None, model_name=None):
    if app_name and (app_name, model_name) != (Tag._meta.app_label, Tag._meta.model_name):
        return wagtail_tags.autocomplete(request, app_name, model_name)
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    tags = tags_in_sight(request.user, Tag.objects.filter(name__istartswith=term)).order_by("name")
    return JsonResponse(list(tags.values_list("name", flat=True)[: wagtail_tags.TAGS_AUTOCOMPLETE_LIMIT]), safe=False)


urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path("", autocomplete, name="scoped_tag_autocomplete"),
            path("<slug:app_name>/<slug:model_name>/", autocomplete, name="scoped_tag_autocomplete_for_model"),
        ],
        require_admin_access,
    ),
    never_cache,
)
