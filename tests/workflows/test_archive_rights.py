"""An archive item past its licence or under embargo (assets.rights): left
out of the choosers, never published in a story whichever way publishing
is asked for, taken off a go-live schedule with the reason told, and the
editors of live stories showing an item whose licence ends soon are told
once and find the stories on their dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assets import rights
from assets.models import Media
from newsroom.models import ArticlePage
from tests.helpers import client_for, image_block, make_article, make_image, make_media, make_staff, story_draft, story_form
from workflows.models import Notification, NotificationKind, Role
from workflows.rights import remind_expiring
from workflows.tasks import publish_scheduled

pytestmark = pytest.mark.django_db


def yesterday():
    return timezone.localdate() - timedelta(days=1)



@pytest.fixture
def publisher(newsroom, staff):
    # Publishes directly (the unit's "review edits" rule does not apply to new stories).
    return staff[Role.EDITOR_IN_CHIEF]


def test_the_choosers_leave_out_what_may_not_be_shown_now(newsroom, staff):
    expired = make_image("Ảnh hết hạn bản quyền", size=(32, 32), license_expires_on=yesterday())
    embargoed = make_image("Ảnh còn cấm dùng", size=(32, 32), embargoed_until=timezone.now() + timedelta(hours=2))
    last_day = make_image("Ảnh còn hôm nay", size=(32, 32), license_expires_on=timezone.localdate())
    ended_embargo = make_image("Ảnh hết cấm", size=(32, 32), embargoed_until=timezone.now() - timedelta(minutes=1))
    video = make_media("video", "Phóng sự hết hạn", license_expires_on=yesterday())
    client = client_for(staff[Role.REPORTER])

    offered = client.get("/admin/images/chooser/").json()["html"]
    assert expired.title not in offered and embargoed.title not in offered
    assert last_day.title in offered and ended_embargo.title in offered
    searched = client.get("/admin/images/chooser/results/", {"q": "anh het han"}).content.decode()
    assert expired.title not in searched
    assert video.title not in client.get("/admin/snippets/choose/assets/media/").json()["html"]
    assert client.get(f"/admin/snippets/choose/assets/media/chosen/{video.pk}/").status_code == 404
    # Still in the archive, to renew or replace.
    assert video.title in client.get("/admin/snippets/assets/media/").content.decode()


def test_the_editor_s_publish_is_refused_with_the_reason_and_the_draft_kept(newsroom, staff, publisher):
    picture = make_image("Ảnh hãng hết hạn", size=(32, 32), license_expires_on=yesterday())
    story = story_draft(newsroom.finance.economy, publisher, title="Tin dùng ảnh hết hạn", author=newsroom.reporter)
    data = story_form(story, **{"action-publish": "publish"})
    data["cover_image"] = picture.pk
    client = client_for(publisher)

    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data, follow=True)

    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live and story.live_revision is None
    assert story.get_latest_revision_as_object().cover_image_id == picture.pk  # the draft keeps what was written
    [told] = [str(message) for message in response.context["messages"]]
    assert "Ảnh hãng hết hạn" in told and timezone.localdate().strftime("%Y") in told
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[story.pk])


def test_every_other_way_to_publish_is_refused_the_same(newsroom, staff, publisher):
    video = make_media("video", "Video bị cấm", embargoed_until=timezone.now() + timedelta(days=1))
    story = story_draft(newsroom.finance.economy, publisher, title="Tin có video bị cấm")
    draft = story.get_latest_revision_as_object()
    draft.body = [("video", {"video": video, "caption": ""})]
    draft.save_revision(user=publisher)
    story = ArticlePage.objects.get(pk=story.pk)
    client = client_for(publisher)

    # The model, as the workflow's last approval and a go-live time call it.
    with pytest.raises(rights.RightsRefused) as refused:
        story.get_latest_revision().publish(user=publisher)
    assert "Video bị cấm" in str(refused.value)
    # The explorer's bulk action: back where the editor was, told why.
    response = client.post(
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={story.pk}",
        {"include_descendants": ""},
        HTTP_REFERER=reverse("wagtailadmin_explore", args=[newsroom.finance.economy.pk]),
        follow=True,
    )
    assert response.status_code == 200 and "Video bị cấm" in response.content.decode()
    # The admin API: a JSON answer a script can read.
    response = client.post(f"/admin/api/main/pages/{story.pk}/action/publish/", {}, content_type="application/json")
    assert response.status_code == 400 and "Video bị cấm" in response.json()["rights"][0]
    assert not ArticlePage.objects.get(pk=story.pk).live

    # Once the embargo is over, the same story goes out.
    Media.objects.filter(pk=video.pk).update(embargoed_until=timezone.now() - timedelta(seconds=1))
    assert client.post(f"/admin/api/main/pages/{story.pk}/action/publish/", {}, content_type="application/json").status_code == 200
    assert ArticlePage.objects.get(pk=story.pk).live


def test_a_scheduled_story_with_an_expired_item_leaves_the_schedule_and_the_others_go_live(newsroom, staff, publisher):
    picture = make_image("Ảnh hết hạn lúc lên lịch", size=(32, 32), license_expires_on=yesterday())
    held = story_draft(newsroom.finance.economy, publisher, title="Tin hẹn giờ có ảnh hết hạn", cover_image=picture)
    fine = story_draft(newsroom.finance.economy, publisher, title="Tin hẹn giờ bình thường")
    due = timezone.now() - timedelta(minutes=1)
    for story in (held, fine):
        story.get_latest_revision().__class__.objects.filter(pk=story.get_latest_revision().pk).update(approved_go_live_at=due)

    publish_scheduled.apply()

    assert ArticlePage.objects.get(pk=fine.pk).live
    held = ArticlePage.objects.get(pk=held.pk)
    assert not held.live and not held.revisions.filter(approved_go_live_at__isnull=False).exists()
    [notice] = Notification.objects.filter(recipient=publisher, kind=NotificationKind.RIGHTS)
    assert "Tin hẹn giờ có ảnh hết hạn" in notice.message and "Ảnh hết hạn lúc lên lịch" in notice.message


def test_editors_of_live_stories_hear_of_a_licence_ending_soon_once_and_see_them_on_their_dashboard(newsroom, staff, settings):
    settings.ARCHIVE_RIGHTS_NOTICE_DAYS = 7
    ending = make_image("Ảnh sắp hết hạn", size=(32, 32), license_expires_on=timezone.localdate() + timedelta(days=5))
    later = make_image("Ảnh còn lâu", size=(32, 32), license_expires_on=timezone.localdate() + timedelta(days=30))
    make_article(newsroom.finance.economy, title="Tin đang đăng dùng ảnh sắp hết hạn", body=[image_block(ending), image_block(later)])
    desk, other = staff[Role.DESK_EDITOR], make_staff(newsroom.province.unit, Role.DESK_EDITOR, "ld.bientap.quyen")

    assert remind_expiring() == 1
    assert remind_expiring() == 0  # once per end date
    [notice] = Notification.objects.filter(recipient=desk, kind=NotificationKind.RIGHTS)
    assert "Ảnh sắp hết hạn" in notice.message and "Ảnh còn lâu" not in notice.message
    assert not Notification.objects.filter(recipient=other, kind=NotificationKind.RIGHTS).exists()

    dashboard = client_for(desk).get("/admin/").content.decode()
    assert "Tin đang đăng dùng ảnh sắp hết hạn" in dashboard and "Ảnh sắp hết hạn" in dashboard
    assert "Tin đang đăng dùng ảnh sắp hết hạn" not in client_for(other).get("/admin/").content.decode()

    # A renewed licence with a new end date is told again when that comes near.
    type(ending).objects.filter(pk=ending.pk).update(license_expires_on=timezone.localdate() + timedelta(days=6))
    assert remind_expiring() == 1
