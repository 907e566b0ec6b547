"""Per-unit scoping across the admin: explorer, chooser, search, admin API,
reports, dashboard, and the unit's own pages (home page, sections)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.helpers import refused, story_draft
from workflows.models import Role
from workflows.permissions import UnitPagePermissionTester
from workflows.roles import sync_system_roles

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]  # the chooser answers JSON for its modal
    return response.content.decode()


def in_review(section, owner, title):
    story = story_draft(section, owner, title=title)
    story.get_workflow().start(story, owner)
    story.refresh_from_db()
    return story


def test_explorer_chooser_search_and_api_show_only_the_users_unit(newsroom, staff, client):
    finance, province = newsroom.finance, newsroom.province
    client.force_login(staff[Role.DESK_EDITOR])

    # Wagtail opens the explorer at the closest common ancestor of what the
    # user may explore: their unit home.
    root = text(client.get(reverse("wagtailadmin_explore_root"), follow=True))
    assert finance.economy.title in root and province.news.title not in root

    api = client.get("/admin/api/main/pages/", {"child_of": "root", "for_explorer": "1"}).json()
    assert [item["title"] for item in api["items"]] == [finance.home.title]
    assert client.get(f"/admin/api/main/pages/{province.bus.pk}/").status_code == 404

    chooser_root = text(client.get(reverse("wagtailadmin_choose_page")))
    assert finance.home.title in chooser_root and province.home.title not in chooser_root
    assert finance.rail.title in text(client.get(reverse("wagtailadmin_choose_page_child", args=[finance.economy.pk])))
    # Another unit's section is not there to browse (its title would show).
    assert client.get(reverse("wagtailadmin_choose_page_child", args=[province.news.pk])).status_code == 404
    # The chooser's search covers every page type and the whole tree.
    assert finance.rail.title in text(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "đường sắt"}))
    assert province.bus.title not in text(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "xe buýt"}))

    assert finance.rail.title in text(client.get(reverse("wagtailadmin_pages:search"), {"q": "đường sắt"}))
    assert province.bus.title not in text(client.get(reverse("wagtailadmin_pages:search"), {"q": "xe buýt"}))
    listing_search = client.get(reverse("wagtailadmin_explore", args=[finance.home.pk]), {"q": "xe buýt", "search_all": "1"})
    assert province.bus.title not in text(listing_search)


def test_superusers_and_system_admins_see_every_unit(newsroom, client):
    admins = sync_system_roles()
    system_admin = get_user_model().objects.create_user("sysadmin", password="pw-test-123")
    system_admin.groups.add(admins[Role.SYSTEM_ADMIN])
    superuser = get_user_model().objects.create_superuser("root", "root@example.vn", "pw-test-123")
    for user in (system_admin, superuser):
        client.force_login(user)
        chooser = text(client.get(reverse("wagtailadmin_choose_page_child", args=[newsroom.province.news.pk])))
        assert newsroom.province.bus.title in chooser
        search = text(client.get(reverse("wagtailadmin_pages:search"), {"q": "xe buýt"}))
        assert newsroom.province.bus.title in search


def test_another_units_page_cannot_be_edited_published_unpublished_or_deleted(newsroom, staff, client):
    rail = newsroom.finance.rail
    client.force_login(staff["other_unit_editor_in_chief"])
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[rail.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[rail.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:delete", args=[rail.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:lock", args=[rail.pk])))
    draft = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Bản thảo Tài chính")
    assert refused(client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), {"action-publish": "publish"}))
    rail.refresh_from_db()
    draft.refresh_from_db()
    assert rail.live and not rail.locked and not draft.live


def test_only_senior_editors_shape_the_unit_pages(newsroom, staff):
    home, economy = newsroom.finance.home, newsroom.finance.economy
    reporter = UnitPagePermissionTester(staff[Role.REPORTER], home)
    assert not reporter.can_add_subpage() and not reporter.can_edit()
    # Stories still go into sections.
    assert UnitPagePermissionTester(staff[Role.REPORTER], economy).can_add_subpage()
    assert not UnitPagePermissionTester(staff[Role.DESK_EDITOR], economy).can_edit()
    assert not UnitPagePermissionTester(staff[Role.SECTION_HEAD], economy).can_edit()
    managing = UnitPagePermissionTester(staff[Role.MANAGING_EDITOR], home)
    assert managing.can_add_subpage() and managing.can_edit()
    assert not UnitPagePermissionTester(staff["other_unit_editor_in_chief"], home).can_add_subpage()


def test_dashboard_lists_only_the_units_stories_awaiting_review(newsroom, staff, client):
    finance_story = in_review(newsroom.finance.economy, staff[Role.REPORTER], "Giá xăng giảm lần thứ ba")
    province_story = in_review(newsroom.province.news, staff["other_unit_reporter"], "Đà Lạt đón mùa hoa dã quỳ")
    client.force_login(staff[Role.DESK_EDITOR])
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert finance_story.title in dashboard and province_story.title not in dashboard


def test_workflow_reports_name_only_the_units_workflows_and_people(newsroom, staff, client):
    finance_story = in_review(newsroom.finance.economy, staff[Role.REPORTER], "Giá xăng giảm lần thứ ba")
    province_story = in_review(newsroom.province.news, staff["other_unit_reporter"], "Đà Lạt đón mùa hoa dã quỳ")
    province_workflow = newsroom.province.home.get_workflow().name
    client.force_login(staff[Role.DESK_EDITOR])

    report = text(client.get(reverse("wagtailadmin_reports:workflow")))
    assert finance_story.title in report and newsroom.finance.home.get_workflow().name in report
    assert province_story.title not in report
    assert province_workflow not in report
    # The "requested by" choices: people are shown by name, or username.
    assert "ld.reporter" not in report

    tasks = text(client.get(reverse("wagtailadmin_reports:workflow_tasks")))
    assert finance_story.title in tasks and "(taichinh)" in tasks
    assert province_story.title not in tasks and province_workflow not in tasks and "(lamdong)" not in tasks


def test_locked_pages_and_page_types_reports_stay_in_the_unit(newsroom, staff, client):
    finance, province = newsroom.finance, newsroom.province
    now = timezone.now()
    type(finance.rail).objects.filter(pk=finance.rail.pk).update(locked=True, locked_by=staff[Role.DESK_EDITOR], locked_at=now)
    type(province.bus).objects.filter(pk=province.bus.pk).update(locked=True, locked_by=staff["other_unit_editor_in_chief"], locked_at=now)
    client.force_login(staff[Role.EDITOR_IN_CHIEF])

    locked = text(client.get(reverse("wagtailadmin_reports:locked_pages")))
    assert finance.rail.title in locked
    assert province.bus.title not in locked and "ld.editor_in_chief" not in locked

    # The province's story was edited last, so Wagtail's own report would
    # name it as the latest article.
    province.bus.save_revision(user=staff["other_unit_editor_in_chief"])
    usage = text(client.get(reverse("wagtailadmin_reports:page_types_usage")))
    assert finance.rail.title in usage or finance.budget.title in usage
    assert province.bus.title not in usage and province.home.title not in usage
