"""Who may do what, on the server. Every check here is scoped to the
units (and, for section heads, sections) a user's groups belong to."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, PagePermissionTester
from wagtail.permissions import policy_registry

from assets.models import ArchiveImage
from newsroom.models import ArticleAuthor, ArticlePage, HomePage, SectionPage, Unit
from newsroom.page_permissions import register_permission_tester

from .membership import membership
from .models.roles import Role

# Who reviews stories in a workflow step (and so edits them on the way).
REVIEW_ROLES = {Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Who publishes directly (and takes down).
PUBLISH_ROLES = {Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Who may change the unit's own pages (home page, sections).
STRUCTURE_ROLES = {Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Who may see the unit's workflows; unit admins also change them.
WORKFLOW_VIEW_ROLES = {Role.UNIT_ADMIN, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
# Who reads (and exports) the unit's audit trail; system admins read all of it.
AUDIT_TRAIL_ROLES = {Role.UNIT_ADMIN}


def user_can_review(user, page, any_role=False):
    m = membership(user)
    if m.superuser:
        return True
    roles = m.roles_for_path(page.path)
    return bool(roles) if any_role else bool(roles & REVIEW_ROLES)


def user_can_publish(user, page):
    m = membership(user)
    return m.superuser or bool(m.roles_for_path(page.path) & PUBLISH_ROLES)


def visible_pages_q(user, prefix=""):
    """A filter on pages (``prefix`` leads to a Page) keeping those of the
    user's units; everything for superusers, nothing for a user without a
    unit."""
    m = membership(user)
    if m.superuser:
        return Q()
    homes = {unit.site.root_page.path for unit in m.units.values()}
    if not homes:
        return Q(pk__in=[])
    q = Q()
    for path in homes:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def pages_out_of_reach(user, page_ids):
    """Whether any of ``page_ids`` is a page of a unit the user does not
    belong to. The tree above the user's unit homes (root, site roots) is
    within reach: choosers browse up to it."""
    m = membership(user)
    if m.superuser:
        return False
    ids = [int(pk) for pk in page_ids if str(pk).isdigit()]
    if not ids:
        return False
    steplen = Page.steplen
    above_homes = {home[:length] for home in (u.site.root_page.path for u in m.units.values()) for length in range(steplen, len(home), steplen)}
    return Page.objects.filter(pk__in=ids).exclude(visible_pages_q(user)).exclude(path__in=above_homes).exists()


def user_can_see_unpublished_file(user, item, stories):
    """Whether ``user`` may open the original file of archive ``item`` (a
    picture as uploaded, a video, an audio) that no reader may yet.
    ``stories`` are those that show it: staff of their units may, nobody
    else; an item no story shows is for whoever may use it in the archive."""
    if not user.is_authenticated:
        return False
    if membership(user).superuser:
        return True
    if stories.exists():
        return stories.filter(visible_pages_q(user)).exists()
    if isinstance(item, ArchiveImage):
        policy = policy_registry.get_by_type(ArchiveImage)
        return policy.user_has_any_permission_for_instance(user, ["choose", "change"], item)
    return user.has_perm("assets.change_media")


def reviewable_page_filter(user, object_id_field):
    """A filter for rows whose ``object_id_field`` (Wagtail stores object ids
    as text) is a page the user reviews."""
    m = membership(user)
    paths = [scope for role, scope in m.scopes if role in REVIEW_ROLES]
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    ids = Page.objects.filter(q).annotate(text_id=Cast("pk", CharField())).values("text_id")
    return Q(**{f"{object_id_field}__in": ids})


class StoryPermissionTester(PagePermissionTester):
    """Wagtail's checks, plus the newsroom's rules: co-authors edit the
    stories they share; nobody outside a unit acts on its stories; with the
    unit's "review edits" rule, a story already in review, approved or
    published changes only through the workflow."""

    def _is_coauthor(self):
        if not hasattr(self, "_coauthor"):
            self._coauthor = ArticleAuthor.objects.filter(article_id=self.page.pk, author__user_id=self.user.pk).exists()
        return self._coauthor

    def can_edit(self):
        if super().can_edit():
            return True
        return self.user.is_active and "add" in getattr(self, "permissions", ()) and self._is_coauthor()

    def can_publish(self):
        if not super().can_publish():
            return False
        if self.user.is_superuser:
            return True
        return not self._review_required()

    def _review_required(self):
        """Direct publishing skips the workflow; with the unit's rule on, a
        story that has been published, is approved and scheduled, or is in a
        workflow must go through it (its final approval publishes)."""

        page = self.page
        if not isinstance(page, ArticlePage):
            return False
        # Not ``page.live``: a story being created is live by Wagtail's
        # default before its first publication, which is no edit to review.
        if not (page.live_revision_id or page.first_published_at or page.workflow_in_progress or page.scheduled_revision):
            return False
        unit = Unit.objects.for_page(page)
        return bool(unit and unit.review_published_edits and page.get_workflow())


class UnitPagePermissionTester(PagePermissionTester):
    """For a unit's home page and its sections: the page permissions the
    unit's groups hold on the home page let reporters add stories and desk
    editors edit them, but only the managing editor and the
    editor-in-chief's office shape the unit itself (sections, front page)."""

    def _shapes_unit(self):
        if not hasattr(self, "_shapes"):
            m = membership(self.user)
            self._shapes = m.superuser or bool(m.roles_for_path(self.page.path) & STRUCTURE_ROLES)
        return self._shapes

    def can_add_subpage(self):
        allowed = super().can_add_subpage()
        # Stories go into sections; only sections go under the home page.
        if allowed and issubclass(self.page.specific_class or type(None), HomePage):
            return self._shapes_unit()
        return allowed

    def can_edit(self):
        return super().can_edit() and self._shapes_unit()

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and self._shapes_unit()

    def can_lock(self):
        return super().can_lock() and self._shapes_unit()

    def can_unpublish(self):
        return super().can_unpublish() and self._shapes_unit()


def register_permission_testers():
    """The content app's pages take their permissions from these testers
    (called from ``WorkflowsConfig.ready()``)."""
    register_permission_tester(ArticlePage, StoryPermissionTester)
    register_permission_tester(HomePage, UnitPagePermissionTester)
    register_permission_tester(SectionPage, UnitPagePermissionTester)
