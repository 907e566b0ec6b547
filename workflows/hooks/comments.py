"""Admin hooks: the page editor's comment notices. Wagtail's edit view
e-mails the people a comment change concerns inside the request, in
English; these views tell the same people through the product's
notifications (Vietnamese, e-mailed by a worker) instead."""

from wagtail import hooks
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.revisions import RevisionsRevertView
from wagtail.admin.viewsets.pages import PageViewSet

from ..notifications import notify_comment_changes


class CommentNoticesMixin:
    def send_commenting_notifications(self, changes):
        notify_comment_changes(
            self.page,
            self.request.user,
            new_comments=changes["new_comments"],
            new_replies=changes["new_replies"],
            resolved_comments=changes["resolved_comments"],
            deleted_comments=changes["deleted_comments"],
        )


class PageEditView(CommentNoticesMixin, EditView):
    pass


class PageRevisionsRevertView(CommentNoticesMixin, RevisionsRevertView):
    pass


class CommentNoticesPageViewSet(PageViewSet):
    """Every page type's views (the model is Page): Wagtail's, but for the
    two that save comments. A viewset for one page type would bypass it,
    so such a viewset must start from this one."""

    edit_view_class = PageEditView
    revisions_revert_view_class = PageRevisionsRevertView


# Wagtail registers its default page viewset with order=-1: this one, at
# the default order, replaces it at the same addresses (URL names, the unit
# scope middleware and every hook on the editor stay as they are).
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return CommentNoticesPageViewSet()
