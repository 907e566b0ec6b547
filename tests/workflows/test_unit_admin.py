"""The unit administrator's tools, through HTTP: the unit's staff (accounts
and role groups) and the unit's workflows (steps, a section's own lane)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Task, WorkflowPage

from tests.helpers import make_staff, refused, story_draft
from workflows.models import ChecklistTask, NamedReviewerTask, Role, UnitGroup
from workflows.roles import sync_system_roles, unit_group

pytestmark = pytest.mark.django_db
User = get_user_model()


def can_sign_in(username, password):
    # Through the sign-in form, as the person would (the lockout checks it).
    client = Client()
    client.post("/admin/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def url(name, **kwargs):
    return reverse(f"workflows_unit_admin:{name}", kwargs=kwargs)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    return client


def role_ids(unit, *roles):
    return [str(unit_group(unit, role).pk) for role in roles]


# --- staff -------------------------------------------------------------------


def test_staff_list_shows_the_units_people_only(admin_client, newsroom, staff, django_assert_max_num_queries):
    for n in range(5):
        make_staff(newsroom.finance.unit, Role.REPORTER, f"tc.extra{n}")
    # 21: the page also reads the unit's last account review.
    with django_assert_max_num_queries(21):
        page = admin_client.get(url("staff", unit_slug="taichinh"))
    html = page.content.decode()
    assert "tc.desk_editor" in html and "tc.extra4" in html and "tc.section_head" in html
    assert "ld.reporter" not in html and "ld.editor_in_chief" not in html
    # The unit admin's only unit: the menu entry leads straight to it.
    assert admin_client.get(url("staff_units")).url == url("staff", unit_slug="taichinh")
    assert "tc.extra4" not in admin_client.get(url("staff", unit_slug="taichinh"), {"q": "desk"}).content.decode()


def test_only_the_units_admin_manages_its_staff(client, newsroom, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    assert refused(client.get(url("staff", unit_slug="lamdong")))
    assert client.get(url("staff_edit", unit_slug="taichinh", user_id=staff["other_unit_reporter"].pk)).status_code == 404
    # Wagtail's site-wide users admin (every account, every group) stays closed.
    assert refused(client.get(reverse("wagtailusers_users:index")))
    for role in (Role.EDITOR_IN_CHIEF, Role.MANAGING_EDITOR, Role.REPORTER):
        client.force_login(staff[role])
        assert refused(client.get(url("staff", unit_slug="taichinh")))
        assert refused(client.get(url("staff_units")))


def test_unit_admin_creates_an_account_with_the_units_roles(admin_client, newsroom):
    unit = newsroom.finance.unit
    data = {
        "username": "tc.moi", "last_name": "Phạm", "first_name": "Thu Hà", "email": "ha@example.vn", "phone": "",
        "is_active": "on", "new_password": "mat-khau-rat-dai-2026", "confirm_password": "mat-khau-rat-dai-2026",
        "roles": role_ids(unit, Role.REPORTER),
    }
    response = admin_client.post(url("staff_add", unit_slug="taichinh"), data)
    assert response.status_code == 302
    person = User.objects.get(username="tc.moi")
    assert list(person.groups.all()) == [unit_group(unit, Role.REPORTER)]
    assert not person.is_superuser and not person.is_staff
    assert can_sign_in("tc.moi", "mat-khau-rat-dai-2026")


@pytest.mark.parametrize("foreign", ["other_unit", "system"])
def test_groups_of_other_units_or_the_system_cannot_be_given(admin_client, newsroom, foreign):
    group = unit_group(newsroom.province.unit, Role.EDITOR_IN_CHIEF) if foreign == "other_unit" else sync_system_roles()[Role.SYSTEM_ADMIN]
    data = {
        "username": "tc.leo", "last_name": "Lê", "first_name": "Leo", "email": "leo@example.vn", "is_active": "on",
        "new_password": "mat-khau-rat-dai-2026", "confirm_password": "mat-khau-rat-dai-2026", "roles": [str(group.pk)],
        "is_superuser": "on",
    }
    response = admin_client.post(url("staff_add", unit_slug="taichinh"), data)
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username="tc.leo").exists()


def test_unit_admin_edits_a_person_resets_password_and_changes_roles(admin_client, newsroom, staff):
    unit = newsroom.finance.unit
    reporter = staff[Role.REPORTER]
    data = {
        "last_name": "Nguyễn", "first_name": "Minh", "email": "minh@example.vn", "phone": "0901", "is_active": "on",
        "new_password": "mot-mat-khau-moi-99", "confirm_password": "mot-mat-khau-moi-99",
        "roles": role_ids(unit, Role.DESK_EDITOR), "is_superuser": "on", "username": "hijack",
    }
    assert admin_client.post(url("staff_edit", unit_slug="taichinh", user_id=reporter.pk), data).status_code == 302
    reporter.refresh_from_db()
    assert (reporter.username, reporter.get_full_name(), reporter.email) == ("tc.reporter", "Nguyễn Minh", "minh@example.vn")
    assert not reporter.is_superuser
    assert list(reporter.groups.all()) == [unit_group(unit, Role.DESK_EDITOR)]
    assert can_sign_in("tc.reporter", "mot-mat-khau-moi-99")

    mismatch = dict(data, confirm_password="khac-hoan-toan-99")
    response = admin_client.post(url("staff_edit", unit_slug="taichinh", user_id=reporter.pk), mismatch)
    assert response.status_code == 200 and "confirm_password" in response.context["form"].errors


def test_people_of_several_units_keep_their_other_roles_and_account(admin_client, newsroom, staff):
    unit = newsroom.finance.unit
    shared = staff["other_unit_reporter"]
    shared.groups.add(unit_group(unit, Role.CONTRIBUTOR))
    edit = url("staff_edit", unit_slug="taichinh", user_id=shared.pk)
    form = admin_client.get(edit).context["form"]
    assert set(form.fields) == {"roles"}

    response = admin_client.post(edit, {"roles": role_ids(unit, Role.REPORTER), "first_name": "Đổi", "new_password": "x"})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.first_name == "" and shared.check_password("pw-test-123")
    assert set(shared.groups.all()) == {unit_group(unit, Role.REPORTER), unit_group(newsroom.province.unit, Role.REPORTER)}

    # No role left in the unit: they leave it, and its list.
    admin_client.post(edit, {})
    assert list(shared.groups.all()) == [unit_group(newsroom.province.unit, Role.REPORTER)]
    assert admin_client.get(edit).status_code == 404


# --- workflows ---------------------------------------------------------------


def default_workflow(newsroom):
    return newsroom.finance.home.get_workflow()


def test_workflow_overview_for_admins_and_senior_editors(client, newsroom, staff):
    workflow = default_workflow(newsroom)
    overview = url("workflows", unit_slug="taichinh")
    client.force_login(staff[Role.UNIT_ADMIN])
    html = client.get(overview).content.decode()
    assert "Biên tập viên duyệt (taichinh)" in html and "Tổng biên tập duyệt (taichinh)" in html
    assert url("workflow_edit", unit_slug="taichinh", workflow_id=workflow.pk) in html

    client.force_login(staff[Role.MANAGING_EDITOR])
    html = client.get(overview).content.decode()
    assert "Tổng biên tập duyệt (taichinh)" in html
    assert url("workflow_edit", unit_slug="taichinh", workflow_id=workflow.pk) not in html
    assert refused(client.get(url("workflow_edit", unit_slug="taichinh", workflow_id=workflow.pk)))

    client.force_login(staff[Role.REPORTER])
    assert refused(client.get(overview))


def test_another_units_workflow_and_steps_cannot_be_touched(admin_client, newsroom):
    province_workflow = newsroom.province.home.get_workflow()
    province_step = province_workflow.tasks.first()
    assert refused(admin_client.get(url("workflow_edit", unit_slug="taichinh", workflow_id=province_workflow.pk)))
    assert refused(admin_client.get(url("workflows", unit_slug="lamdong")))
    finance_workflow = default_workflow(newsroom)
    assert refused(admin_client.post(url("step_remove", unit_slug="taichinh", workflow_id=finance_workflow.pk, task_id=province_step.pk)))
    assert province_workflow.tasks.count() == 3


def test_unit_admin_adds_reorders_and_removes_steps(admin_client, newsroom, staff):
    unit, workflow = newsroom.finance.unit, default_workflow(newsroom)
    checklist = {
        "name": "Kiểm tra pháp lý", "groups": role_ids(unit, Role.MANAGING_EDITOR),
        "items": "Đã kiểm chứng số liệu\nĐã kiểm tra pháp lý",
    }
    add = url("step_add", unit_slug="taichinh", workflow_id=workflow.pk, kind="checklist")
    assert admin_client.post(add, checklist).status_code == 302
    step = ChecklistTask.objects.get(name="Kiểm tra pháp lý")
    assert step.item_list == ["Đã kiểm chứng số liệu", "Đã kiểm tra pháp lý"]
    assert list(workflow.tasks)[-1].pk == step.pk

    admin_client.post(url("step_move", unit_slug="taichinh", workflow_id=workflow.pk, task_id=step.pk), {"direction": "up"})
    assert [t.pk for t in workflow.tasks][2] == step.pk  # before the editor-in-chief

    # Another unit's group is no choice.
    foreign = dict(checklist, name="Lạc đơn vị", groups=role_ids(newsroom.province.unit, Role.EDITOR_IN_CHIEF))
    response = admin_client.post(add, foreign)
    assert response.status_code == 200 and "groups" in response.context["form"].errors
    assert not Task.objects.filter(name="Lạc đơn vị").exists()

    # A step where a story waits cannot go.
    story = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Chờ ở bước đầu")
    workflow.start(story, staff[Role.REPORTER])
    desk_step = workflow.tasks.first()
    remove_desk = url("step_remove", unit_slug="taichinh", workflow_id=workflow.pk, task_id=desk_step.pk)
    response = admin_client.post(remove_desk, follow=True)
    assert "đang chờ ở bước này" in response.content.decode()
    assert desk_step.pk in [t.pk for t in workflow.tasks]

    admin_client.post(url("step_remove", unit_slug="taichinh", workflow_id=workflow.pk, task_id=step.pk))
    assert step.pk not in [t.pk for t in workflow.tasks]


def test_named_reviewer_must_work_for_the_unit(admin_client, newsroom, staff):
    workflow = default_workflow(newsroom)
    add = url("step_add", unit_slug="taichinh", workflow_id=workflow.pk, kind="named")
    response = admin_client.post(add, {"name": "Luật sư", "reviewer": staff["other_unit_editor_in_chief"].pk})
    assert response.status_code == 200 and "reviewer" in response.context["form"].errors
    assert admin_client.post(add, {"name": "Luật sư", "reviewer": staff[Role.MANAGING_EDITOR].pk}).status_code == 302
    assert NamedReviewerTask.objects.get(name="Luật sư").reviewer == staff[Role.MANAGING_EDITOR]


def test_breaking_news_section_gets_its_own_one_step_lane(admin_client, newsroom, staff):
    economy = newsroom.finance.economy
    duty_editor = staff[Role.DESK_EDITOR]
    response = admin_client.post(url("section_workflow", unit_slug="taichinh", section_id=economy.pk), {"mode": "own"})
    lane = WorkflowPage.objects.get(page=economy).workflow
    assert response.url == url("workflow_edit", unit_slug="taichinh", workflow_id=lane.pk)

    # The lane's single step becomes the duty editor's.
    first = lane.tasks.first()
    add_named = url("step_add", unit_slug="taichinh", workflow_id=lane.pk, kind="named")
    admin_client.post(add_named, {"name": "Trực ban duyệt tin nóng", "reviewer": duty_editor.pk})
    admin_client.post(url("step_remove", unit_slug="taichinh", workflow_id=lane.pk, task_id=first.pk))
    assert [t.name for t in lane.tasks] == ["Trực ban duyệt tin nóng"]
    overview = admin_client.get(url("workflows", unit_slug="taichinh")).content.decode()
    assert "Trực ban duyệt tin nóng" in overview

    # A story of the section follows the lane; the other section keeps the unit's.
    story = story_draft(economy, staff[Role.REPORTER], title="Cháy chợ trong đêm")
    assert story.get_workflow() == lane
    assert story_draft(newsroom.finance.finance, staff[Role.REPORTER]).get_workflow() == default_workflow(newsroom)
    lane.start(story, staff[Role.REPORTER])
    story.refresh_from_db()
    duty = Client()
    duty.force_login(duty_editor)
    state = story.current_workflow_task_state
    duty.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", state.pk]), {"comment": ""})
    story.refresh_from_db()
    assert story.live

    # Back to the unit's workflow.
    admin_client.post(url("section_workflow", unit_slug="taichinh", section_id=economy.pk), {"mode": "unit"})
    assert economy.get_workflow() == default_workflow(newsroom)
    lane.refresh_from_db()
    assert not lane.active


def test_sections_of_another_unit_cannot_get_a_lane(admin_client, newsroom):
    assert refused(admin_client.post(url("section_workflow", unit_slug="taichinh", section_id=newsroom.province.news.pk), {"mode": "own"}))
    assert not WorkflowPage.objects.filter(page=newsroom.province.news).exists()
    assert UnitGroup.objects.filter(unit=newsroom.province.unit).count() == 9


def test_superusers_choose_among_every_unit(client, newsroom):
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "pw-test-123"))
    html = client.get(url("staff_units")).content.decode()
    assert url("staff", unit_slug="taichinh") in html and url("staff", unit_slug="lamdong") in html
    assert "Báo Lâm Đồng" in client.get(url("workflow_units")).content.decode()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("staff_units") in menu


def test_menu_offers_the_tools_to_their_roles_only(client, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("staff_units") in menu and url("workflow_units") in menu
    client.force_login(staff[Role.MANAGING_EDITOR])
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("staff_units") not in menu and url("workflow_units") in menu
    client.force_login(staff[Role.REPORTER])
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("staff_units") not in menu and url("workflow_units") not in menu
