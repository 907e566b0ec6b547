from django import template
from django.conf import settings

from .. import services
from ..forms import CommentForm

register = template.Library()


@register.inclusion_tag("reader_comments/_on_story.html", takes_context=True)
def story_comments(context, story):
    """The comments part of a story's page: nothing while the unit keeps
    comments closed; else the newest approved comments, their count and
    the form."""
    unit = context.get("unit")
    if unit is None or not services.is_open(unit):
        return {"open": False}
    shown = services.thread(story, limit=settings.READER_COMMENTS_SHOWN)
    return {"open": True, "story": story, "comments": shown.comments, "count": shown.count, "form": CommentForm()}
