"""The role × action matrix, cell by cell, through HTTP requests to the
Wagtail admin (create and edit views, "submit", workflow actions,
unpublish, lock, the explorer, the chooser and the search).

Columns are people of the finance unit ("taichinh"): the section head heads
"Kinh tế" and is tried both on a story of "Kinh tế" (sh) and of
"Tài chính" (sh-out); "other" is the editor-in-chief of the province unit
acting on the finance unit's stories. Y: the admin lets them; .: it
refuses (403, or the change does not happen).

The "see other unit" rows try the other unit's story: finance staff look
for the province unit's story, and "other" for the finance unit's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom.models import ArticlePage, Author, SectionPage
from tests.helpers import make_author, make_staff, story_draft
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (Wagtail's permission checks on ordinary reads): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

MATRIX = """
action              rep  ctb  desk  sh  sh-out  me  eic  dep  dist  adm  other
create               Y    Y    Y    Y    .      Y    Y    Y    .     .    .
edit_own_draft       Y    Y    Y    Y    .      Y    Y    Y    .     .    .
edit_others_draft    .    .    Y    Y    .      Y    Y    Y    .     .    .
edit_as_coauthor     Y    Y    Y    Y    .      Y    Y    Y    .     .    .
submit               Y    Y    Y    Y    .      Y    Y    Y    .     .    .
approve_desk_step    .    .    Y    Y    .      .    .    .    .     .    .
approve_me_step      .    .    .    .    .      Y    .    .    .     .    .
approve_eic_step     .    .    .    .    .      .    Y    Y    .     .    .
publish              .    .    .    .    .      .    Y    Y    .     .    .
schedule             .    .    .    .    .      .    Y    Y    .     .    .
unpublish            .    .    .    .    .      .    Y    Y    .     .    .
lock                 .    .    Y    Y    .      Y    Y    Y    .     .    .
add_section          .    .    .    .    .      Y    Y    Y    .     .    .
edit_home_page       .    .    .    .    .      Y    Y    Y    .     .    .
see_other_explorer   .    .    .    .    .      .    .    .    .     .    .
see_other_chooser    .    .    .    .    .      .    .    .    .     .    .
see_other_search     .    .    .    .    .      .    .    .    .     .    .
see_other_edit_view  .    .    .    .    .      .    .    .    .     .    .
"""

COLUMNS = {
    "rep": Role.REPORTER,
    "ctb": Role.CONTRIBUTOR,
    "desk": Role.DESK_EDITOR,
    "sh": Role.SECTION_HEAD,
    "sh-out": Role.SECTION_HEAD,
    "me": Role.MANAGING_EDITOR,
    "eic": Role.EDITOR_IN_CHIEF,
    "dep": Role.DEPUTY_EDITOR,
    "dist": Role.DISTRIBUTION,
    "adm": Role.UNIT_ADMIN,
    "other": "other_unit_editor_in_chief",
}


def _cells():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header = lines[0][1:]
    assert header == list(COLUMNS)
    for row in lines[1:]:
        action, marks = row[0], row[1:]
        assert len(marks) == len(header), action
        for column, mark in zip(header, marks, strict=True):
            yield pytest.param(action, column, mark == "Y", id=f"{action}-{column}")


class World:
    """Who acts and on what: the actor's "own" section is "Kinh tế", except
    for sh-out (the section head on "Tài chính")."""

    def __init__(self, newsroom, staff, client, column):
        self.newsroom, self.staff, self.client, self.column = newsroom, staff, client, column
        self.unit = newsroom.finance.unit
        self.actor = staff[COLUMNS[column]]
        outside = column == "sh-out"
        self.section = newsroom.finance.finance if outside else newsroom.finance.economy
        self.live_story = newsroom.finance.budget if outside else newsroom.finance.rail
        self.writer = make_staff(self.unit, Role.REPORTER, "tc.writer")
        self.writer_byline = make_author("Lê Văn Viết", user=self.writer)
        client.force_login(self.actor)

    # --- stories in a given state -------------------------------------
    def draft_of(self, owner, author=None):
        return story_draft(self.section, owner, title="Bản thảo thử", author=author or self.writer_byline)

    def story_at_step(self, step):
        """A story by another reporter, approved up to ``step`` (0: desk)."""
        story = self.draft_of(self.writer)
        story.get_workflow().start(story, self.writer)
        approvers = [self.staff[Role.DESK_EDITOR], self.staff[Role.MANAGING_EDITOR]]
        for approver in approvers[:step]:
            story.refresh_from_db()
            state = story.current_workflow_task_state
            state.task.specific.on_action(state, approver, "approve", comment="")
        story.refresh_from_db()
        return story

    def other_unit_story(self):
        if self.column == "other":
            return self.newsroom.finance.rail
        return self.newsroom.province.bus

    # --- admin requests -----------------------------------------------
    def article_data(self, story=None, **extra):
        links = list(story.article_authors.all()) if story else []
        authors = [{"id": link.pk, "author": link.author_id} for link in links] or [{"author": self.writer_byline.pk}]
        data = nested_form_data(
            {
                "title": story.title if story else "Tin mới của phóng viên",
                "slug": story.slug if story else "tin-moi-cua-phong-vien",
                "kicker": "",
                "sapo": "Tóm tắt đã sửa.",
                "format": "standard",
                "language": "vi",
                "cover_caption": "",
                "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
                "tags": "",
                "seo_title": "",
                "search_description": "",
                "og_title": "",
                "og_description": "",
                "article_authors": inline_formset(authors, initial=len(links), min=1),
                "corrections": inline_formset([]),
                "channel_copies": inline_formset([]),
                "comments": inline_formset([]),
            }
        )
        data.update(extra)
        return data

    def post_edit(self, story, **extra):
        return self.client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), self.article_data(story, **extra))


def chooser_html(response):
    # Browsing answers JSON for the chooser's modal; searching, bare HTML.
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def latest(story):
    return ArticlePage.objects.get(pk=story.pk)


def act(world, action):
    """Perform ``action`` as the column's person; True when it took effect."""
    client = world.client

    if action == "create":
        url = reverse("wagtailadmin_pages:add", args=["newsroom", "articlepage", world.section.pk])
        client.post(url, world.article_data())
        return ArticlePage.objects.filter(title="Tin mới của phóng viên").exists()

    if action in ("edit_own_draft", "edit_others_draft", "edit_as_coauthor"):
        if action == "edit_own_draft":
            story = world.draft_of(world.actor)
        elif action == "edit_others_draft":
            story = world.draft_of(world.writer)
        else:
            byline = Author.objects.create(name="Đồng tác giả", user=world.actor)
            story = world.draft_of(world.writer, author=byline)
        world.post_edit(story, title="Tiêu đề đã sửa")
        return latest(story).get_latest_revision_as_object().title == "Tiêu đề đã sửa"

    if action == "submit":
        story = world.draft_of(world.actor)
        world.post_edit(story, **{"action-submit": "submit"})
        return latest(story).workflow_in_progress

    if action.startswith("approve_"):
        step = {"approve_desk_step": 0, "approve_me_step": 1, "approve_eic_step": 2}[action]
        story = world.story_at_step(step)
        state = story.current_workflow_task_state
        client.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", state.pk]), {"comment": ""})
        state.refresh_from_db()
        return state.status == state.STATUS_APPROVED

    if action == "publish":
        story = world.draft_of(world.writer)
        world.post_edit(story, **{"action-publish": "publish"})
        return latest(story).live

    if action == "schedule":
        story = world.draft_of(world.writer)
        go_live = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
        world.post_edit(story, go_live_at=go_live, **{"action-publish": "publish"})
        story = latest(story)
        scheduled = story.revisions.filter(approved_go_live_at__isnull=False).exists()
        return scheduled and not story.live

    if action == "unpublish":
        story = world.live_story
        client.post(reverse("wagtailadmin_pages:unpublish", args=[story.pk]))
        return not latest(story).live

    if action == "lock":
        story = world.draft_of(world.writer)
        client.post(reverse("wagtailadmin_pages:lock", args=[story.pk]))
        return latest(story).locked

    if action == "add_section":
        url = reverse("wagtailadmin_pages:add", args=["newsroom", "sectionpage", world.newsroom.finance.home.pk])
        client.post(url, nested_form_data({"title": "Chuyên mục mới", "slug": "chuyen-muc-moi", "intro": "", "comments": inline_formset([])}))
        return SectionPage.objects.filter(title="Chuyên mục mới").exists()

    if action == "edit_home_page":
        home = world.newsroom.finance.home
        client.post(
            reverse("wagtailadmin_pages:edit", args=[home.pk]),
            nested_form_data(
                {"title": "Trang chủ đã sửa", "slug": home.slug, "featured_article": "", "top_story_count": "6",
                 "seo_title": "", "search_description": "", "comments": inline_formset([])}
            ),
        )
        return Page.objects.get(pk=home.pk).get_latest_revision_as_object().title == "Trang chủ đã sửa"

    story = world.other_unit_story()
    section = story.get_parent()
    word = story.title.split()[-1]
    if action == "see_other_explorer":
        response = client.get(reverse("wagtailadmin_explore", args=[section.pk]))
    elif action == "see_other_chooser":
        browse = client.get(reverse("wagtailadmin_choose_page_child", args=[section.pk]))
        search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": word})
        return any(r.status_code == 200 and story.title in chooser_html(r) for r in (browse, search))
    elif action == "see_other_search":
        response = client.get(reverse("wagtailadmin_pages:search"), {"q": word})
    else:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    return response.status_code == 200 and story.title in response.content.decode()


@pytest.mark.parametrize("action,column,allowed", list(_cells()))
def test_role_matrix(newsroom, staff, client, action, column, allowed):
    world = World(newsroom, staff, client, column)
    assert act(world, action) is allowed
