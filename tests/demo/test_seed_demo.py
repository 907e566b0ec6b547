"""`seed_demo`: what a newcomer sees after `make run`."""

import base64
import io
import json
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command, load_command_class
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision, Site, TaskState, WorkflowState

from assets import similarity
from assets.models import ArchiveImage, ArchiveRendition, Media
from assets.renditions import all_filter_specs
from assets.text import fold
from demo import channels as demo_channels
from demo import media as demo_media
from demo.fakes import channel_setup
from demo.fakes.server import FakePlatforms
from demo.management.commands.seed_demo import (
    DEFAULT_DEMO_PASSWORD,
    PRODUCTION_SETTINGS,
)
from demo.seeding import FILES_DIR, LEGACY_GROUPS, DemoSeeder
from newsroom.models import (
    ArticleCorrection,
    ArticleFormat,
    ArticlePage,
    Author,
    HomePage,
    HomePlacement,
    HomePosition,
    SectionPage,
    Unit,
    User,
)
from newsroom.models.pages import search_articles
from publishing import services
from publishing.adapters import registry
from publishing.models import (
    Channel,
    ChannelCopy,
    Delivery,
    DeliveryState,
    Partner,
    Subscriber,
)
from publishing.models.partners import hash_token
from reader_comments import services as reader_comments
from reader_comments.models import CommentState, ReaderComment
from workflows.admin_words import WAGTAIL_GROUPS
from workflows.landing import landing_url
from workflows.models import (
    Assignment,
    AssignmentComment,
    AssignmentStatus,
    Notification,
    NotificationKind,
    PublicationRecord,
    Role,
    UnitGroup,
)

# Seeding is the ORM's ordinary writes, the same on every database; CI
# runs these (the slowest of the suite) on the embedded defaults only.
pytestmark = [pytest.mark.django_db, pytest.mark.once]

PASSWORD = "mat-khau-rieng-cua-demo"


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--no-renditions", *args, stdout=out)
    return out.getvalue()


# Username suffix of each demo account of a unit -> its role.
ROLES = {
    "phongvien": Role.REPORTER,
    "ctv": Role.CONTRIBUTOR,
    "bientap": Role.DESK_EDITOR,
    "truongban": Role.SECTION_HEAD,
    "thuky": Role.MANAGING_EDITOR,
    "tongbientap": Role.EDITOR_IN_CHIEF,
    "photongbientap": Role.DEPUTY_EDITOR,
    "phathanh": Role.DISTRIBUTION,
    "quantri": Role.UNIT_ADMIN,
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Unit, Site, Page, ArticlePage, Revision, Author, ArchiveImage, Media, User, Tag, Group, UnitGroup,
            WorkflowState, TaskState, PageLogEntry, Assignment, AssignmentComment, Notification, ArticleCorrection,
            Channel, ChannelCopy, Delivery, Partner, Subscriber,
        )
    }


def step_of(story):
    task = story.current_workflow_task
    return task.name.split(" (")[0] if task else None


def assert_desk_is_busy(unit, now):
    """The desk board and the daily plan have something in every column."""
    home = unit.site.root_page
    reporter = User.objects.get(username=f"{unit.slug}.phongvien")
    stories = list(ArticlePage.objects.descendant_of(home).specific())
    drafts = [s for s in stories if not s.live and not s.first_published_at and not s.workflow_in_progress and not s.go_live_at]
    assert sum(s.owner_id == reporter.pk for s in drafts) >= 3, unit.name
    assert any(s.owner.username == f"{unit.slug}.ctv" for s in drafts), unit.name

    waiting = [step_of(s) for s in stories if s.workflow_in_progress]
    for step in ("Biên tập viên duyệt", "Thư ký tòa soạn duyệt", "Tổng biên tập duyệt"):
        assert step in waiting, (unit.name, step)
    sent_back = [s for s in stories if s.current_workflow_state and s.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES]
    assert len(sent_back) == 1, unit.name
    rejected = sent_back[0].current_workflow_state.current_task_state
    assert rejected.get_comment() and rejected.finished_by.username == f"{unit.slug}.thuky"
    assert Notification.objects.filter(
        recipient=reporter, kind=NotificationKind.SENT_BACK, page=sent_back[0], comment=rejected.get_comment()
    ).exists()

    end_of_day = timezone.localtime(now).replace(hour=23, minute=59)
    scheduled = [s for s in stories if not s.live and s.approved_schedule and not s.embargo_until]
    assert any(now < s.go_live_at <= max(end_of_day, now + timedelta(minutes=31)) for s in scheduled), unit.name
    embargoed = [s for s in stories if s.embargo_until]
    assert len(embargoed) == 1 and embargoed[0].embargo_until > now and not embargoed[0].live
    assert embargoed[0].approved_schedule and embargoed[0].go_live_at == embargoed[0].embargo_until

    corrected = [s for s in stories if s.live and s.corrections.exists()]
    assert len(corrected) == 1, unit.name
    assert PublicationRecord.objects.get(page=corrected[0]).last_event == "corrected"
    assert not corrected[0].workflow_in_progress

    assignments = Assignment.objects.filter(unit=unit)
    assert set(assignments.values_list("status", flat=True)) == set(AssignmentStatus.values), unit.name
    today = [a for a in assignments.filter(status=AssignmentStatus.ASSIGNED) if a.deadline and a.deadline > now]
    assert any(timezone.localtime(a.deadline).date() == timezone.localtime(now).date() or a.deadline <= now + timedelta(hours=3) for a in today)
    assert sum(a.is_overdue(now) for a in assignments) >= 1
    in_progress = assignments.get(status=AssignmentStatus.IN_PROGRESS)
    assert in_progress.story and not in_progress.story.live and in_progress.assignees.filter(pk=reporter.pk).exists()
    submitted = assignments.get(status=AssignmentStatus.SUBMITTED)
    assert submitted.story.workflow_in_progress
    done = assignments.get(status=AssignmentStatus.DONE)
    assert done.story.live
    assert AssignmentComment.objects.filter(assignment__unit=unit).exists()

    # Notices for the reporter, none of them waiting to be e-mailed.
    assert Notification.objects.filter(recipient=reporter, read_at__isnull=True).count() >= 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def blocks_of(article):
    return {block.block_type: block.value for block in article.body}


def test_demo_newsroom_is_complete_and_seeding_again_changes_nothing(monkeypatch):
    """One seed (the slowest step of the suite) checked whole: the
    newsroom, then its channels aimed at the fake platforms, then a second
    seed that changes nothing."""
    monkeypatch.setenv("DEMO_DOMAIN", "hoitu.test")
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEMO_PARTNER_TOKEN", "doi-tac-thu")
    with FakePlatforms() as fake:
        port = fake.httpd.server_address[1]
        monkeypatch.setenv("FAKE_PLATFORMS_PORT", str(port))
        output = seed()
        the_newsroom_is_complete(output, monkeypatch)
        the_channels_reach_the_fake_platforms(output, fake, port)


def the_newsroom_is_complete(output, monkeypatch):

    # Units: the first answers at DEMO_DOMAIN and is the default site, the
    # others at <slug>.DEMO_DOMAIN; Wagtail's "Welcome" site is gone.
    units = list(Unit.objects.select_related("site", "logo").order_by("pk"))
    assert len(units) >= 2
    first = units[0]
    assert (first.site.hostname, first.site.port, first.site.is_default_site) == ("hoitu.test", 8123, True)
    for unit in units[1:]:
        assert (unit.site.hostname, unit.site.port, unit.site.is_default_site) == (f"{unit.slug}.hoitu.test", 8123, False)
    # Each front page as its managing editor left it: a spotlight, two
    # stories first at the top, and one story (its newest) breaking news.
    for unit in units:
        home = unit.site.root_page
        placed = HomePlacement.objects.filter(home=home)
        assert placed.filter(position=HomePosition.SPOTLIGHT).count() == 1 and placed.filter(position=HomePosition.TOP).count() == 2
        breaking = ArticlePage.objects.descendant_of(home).live().filter(breaking_until__isnull=False)
        assert len(breaking) == 1 and breaking[0].is_breaking()
        # Readers' comments open, on the spotlight story: three shown, two
        # waiting for the desk (one marked for its links).
        assert reader_comments.is_open(unit)
        spotlight = placed.get(position=HomePosition.SPOTLIGHT).story
        comments = ReaderComment.objects.filter(story=spotlight)
        assert reader_comments.approved(spotlight).count() == 3
        assert sorted(comments.filter(state=CommentState.PENDING).values_list("flag", flat=True)) == ["", "links"]
    assert all(isinstance(site.root_page.specific, HomePage) for site in Site.objects.all())
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    for unit in units:
        assert unit.logo and unit.publication_name and unit.press_license and unit.editor_in_chief and unit.email
        assert unit.social_links, unit.name
        assert f"{unit.name}: http://{unit.site.hostname}:8123/" in output

    now = timezone.now()
    for unit in units:
        home = unit.site.root_page
        sections = SectionPage.objects.child_of(home).live().in_menu()
        assert sections.count() >= 6, unit.name
        live = list(ArticlePage.objects.descendant_of(home).live().specific())
        assert len(live) >= 30, unit.name
        assert {a.format for a in live} == set(ArticleFormat.values), unit.name
        assert all(a.cover_image_id and a.sapo and a.article_authors.exists() and a.tags.exists() for a in live)
        assert any(ch in " ".join(a.title for a in live).lower() for ch in "ăâđêôơư"), "Vietnamese text"

        # Each format carries the blocks its template is made for.
        for article in live:
            blocks = blocks_of(article)
            if article.format == ArticleFormat.LONGFORM:
                assert {"heading", "quote", "fact_box", "image", "chart"} <= blocks.keys(), article.title
            elif article.format == ArticleFormat.PHOTO:
                assert len(blocks["gallery"]["images"]) >= 4, article.title
            elif article.format == ArticleFormat.VIDEO:
                video = blocks["video"]["video"]
                assert video.kind == Media.Kind.VIDEO and video.poster_id, article.title
            elif article.format == ArticleFormat.PODCAST:
                assert blocks["audio"]["audio"].kind == Media.Kind.AUDIO, article.title
            elif article.format == ArticleFormat.INFOGRAPHIC:
                assert {"chart", "table"} <= blocks.keys(), article.title
            if "related" in blocks:
                for related in blocks["related"]["articles"]:
                    assert related.live and related.is_descendant_of(home), article.title
            assert article.word_count > 20 and article.reading_time >= 1
        assert any("related" in blocks_of(a) for a in live), unit.name

        # Spread over the last ten days, with news for the 48-hour sitemap.
        published = [a.first_published_at for a in live]
        assert all(now - timedelta(days=10, hours=1) <= when <= now for when in published)
        assert sum(when >= now - timedelta(hours=48) for when in published) >= 5, unit.name
        assert len(set(published)) == len(published)

        bylines = Author.objects.filter(article_links__article__in=[a.pk for a in live]).distinct()
        assert all(author.bio and author.photo_id for author in bylines)
        assert bylines.filter(user__isnull=False).exists(), "reporters' bylines are linked to their accounts"

    assert not ArchiveImage.objects.filter(credit="").exists()
    assert not ArchiveImage.objects.filter(license="").exists()
    cover = ArticlePage.objects.live().first().cover_image
    assert (cover.width, cover.height) == (1600, 900) and cover.caption and cover.file_hash

    assert {m.kind for m in Media.objects.all()} == {Media.Kind.VIDEO, Media.Kind.AUDIO}
    for item in Media.objects.all():
        assert item.file.size > 0 and item.duration and item.poster_id and item.credit
    video = Media.objects.get(kind=Media.Kind.VIDEO)
    assert (video.width, video.height) == (640, 360) and video.mime_type == "video/mp4"

    # Accounts log in to the admin with DEMO_PASSWORD; names read family first.
    usernames = ["admin", "luutru"] + [f"{unit.slug}.{suffix}" for unit in units for suffix in ROLES]
    signing_in = RequestFactory().post("/admin/login/")  # the lockout needs the request
    for username in usernames:
        user = authenticate(signing_in, username=username, password=PASSWORD)
        assert user is not None and user.has_perm("wagtailadmin.access_admin"), username
        assert user.email and user.first_name and user.last_name, username
        assert username in output
    assert authenticate(signing_in, username="admin", password=DEFAULT_DEMO_PASSWORD) is None
    assert str(User.objects.get(username=f"{first.slug}.phongvien")).split()[0] == "Nguyễn"

    # Each account is in its unit's group for its role, and nowhere else.
    for unit in units:
        for suffix, role in ROLES.items():
            user = User.objects.get(username=f"{unit.slug}.{suffix}")
            links = list(UnitGroup.objects.filter(group__user=user))
            assert [(link.unit_id, link.role) for link in links] == [(unit.pk, role)], user.username
            if role == Role.SECTION_HEAD:
                assert links[0].section.slug == "thoi-su"
    assert UnitGroup.objects.get(group__user__username="luutru").role == Role.ARCHIVE_MANAGER
    assert not User.objects.filter(groups__name__in=LEGACY_GROUPS).exists()
    assert User.objects.get(username="admin").is_superuser
    # Reporters, contributors and desk editors write under their bylines.
    for suffix in ("phongvien", "ctv", "bientap"):
        assert Author.objects.filter(user__username=f"{first.slug}.{suffix}").exists(), suffix

    # Every role reaches the admin through the login form and the code of
    # the authenticator app holding the secret the output prints.
    secret = re.search(r"otpauth://totp/\S*secret=([A-Z2-7]+)", output).group(1)
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    for username in ["luutru"] + [f"{first.slug}.{suffix}" for suffix in ROLES]:
        browser = Client()
        response = browser.post("/admin/login/", {"username": username, "password": PASSWORD}, follow=True)
        assert response.status_code == 200 and response.wsgi_request.user.username == username, username
        landing = browser.post(reverse("workflows_two_factor:verify"), {"code": code}).url
        assert landing == landing_url(User.objects.get(username=username)), username
        assert browser.get(landing, follow=True).status_code == 200, username

    for unit in units:
        assert_desk_is_busy(unit, now)

    # A headline typed without diacritics finds its story, in its own unit only.
    other = units[1]
    article = ArticlePage.objects.descendant_of(other.site.root_page).live().filter(title__contains="đ").first()
    assert list(search_articles(other.site.root_page, fold(article.title)))[0] == article
    assert article not in list(search_articles(first.site.root_page, fold(article.title)))

    # The renditions step (the whole of it takes minutes, so a few pictures).
    images = [first.logo_id, cover.pk, Author.objects.exclude(photo=None).first().photo_id]
    DemoSeeder(domain="hoitu.test", port=8123, password=PASSWORD, log=lambda line: None).pregenerate_renditions(images)
    expected = {str(spec) for spec in all_filter_specs()}
    for image_id in images:
        renditions = ArchiveRendition.objects.filter(image_id=image_id)
        assert {r.filter_spec for r in renditions} == expected
        assert all(r.file.storage.exists(r.file.name) for r in renditions)

    # The near-duplicate pair: the video's poster and its smaller copy are
    # similar pictures once the worker has read them.
    poster = Media.objects.get(kind=Media.Kind.VIDEO).poster
    copy = ArchiveImage.objects.get(title__endswith="(bản nhỏ gửi lại từ mạng xã hội)")
    for picture in (poster, copy):
        similarity.fingerprint(picture)
    assert [found for found, _apart in similarity.similar(copy.dhash, exclude=copy.pk)] == [poster]

    # Again, without DEMO_PASSWORD: nothing new, nothing overwritten. An
    # account left in Wagtail's global "Editors" group by an older seed
    # moves to its unit's role.
    reporter = User.objects.get(username=f"{first.slug}.phongvien")
    reporter.groups.set([Group.objects.get(name=WAGTAIL_GROUPS["Editors"])])
    before = counts()
    monkeypatch.delenv("DEMO_PASSWORD")
    output = seed()
    assert counts() == before
    assert [link.role for link in UnitGroup.objects.filter(group__user=reporter)] == [Role.REPORTER]
    assert not reporter.groups.filter(name__in=LEGACY_GROUPS).exists()
    assert authenticate(RequestFactory().post("/admin/login/"), username=f"{first.slug}.phongvien", password=PASSWORD) is not None
    assert DEFAULT_DEMO_PASSWORD in output


def test_a_failure_part_way_leaves_nothing_behind():
    # Someone already uses the second unit's address for another site.
    users_before = User.objects.count()
    Site.objects.create(hostname="namdinh.localhost", port=8000, root_page=Page.get_first_root_node(), site_name="Khác")
    with pytest.raises(CommandError, match="namdinh.localhost"):
        seed()
    assert not Unit.objects.exists()
    assert not ArticlePage.objects.exists()
    assert not ArchiveImage.objects.exists()
    assert User.objects.count() == users_before


def test_refuses_to_run_with_production_settings(settings):
    settings.SETTINGS_MODULE = PRODUCTION_SETTINGS
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not Unit.objects.exists()


def test_refuses_to_run_with_debug_off_outside_the_tests():
    # One override for both: a later override_settings() layer would hide
    # SETTINGS_MODULE again.
    with override_settings(SETTINGS_MODULE="hoitu.settings.dev", DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not Unit.objects.exists()


def test_help_names_the_environment_it_reads():
    parser = load_command_class("demo", "seed_demo").create_parser("manage.py", "seed_demo")
    text = parser.format_help()
    assert all(name in text for name in ("DEMO_DOMAIN", "PORT", "DEMO_PASSWORD", "--no-renditions"))


def test_a_bad_port_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PORT", "tám nghìn")
    with pytest.raises(CommandError, match="PORT"):
        seed()


@pytest.mark.skipif(not shutil.which("ffprobe"), reason="ffprobe (from ffmpeg) is needed to read the committed media files")
@pytest.mark.parametrize("spec", demo_media.ALL, ids=lambda spec: spec.kind)
def test_committed_media_files_are_what_the_archive_says(spec):
    path = FILES_DIR / spec.file
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            check=True, capture_output=True, text=True,
        ).stdout
    )
    stream = probe["streams"][0]
    assert float(probe["format"]["duration"]) == pytest.approx(spec.duration, abs=0.1)
    if spec.kind == "video":
        assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", spec.width, spec.height)
        assert path.stat().st_size < 300 * 1024
    else:
        assert (stream["codec_name"], stream["channels"]) == ("mp3", 1)
        assert path.stat().st_size < 200 * 1024


def the_channels_reach_the_fake_platforms(output, fake, port):
    kinds = {adapter.kind for adapter in registry.available()}
    assert {"telegram", "webhook"} <= kinds
    units = list(Unit.objects.select_related("site").order_by("pk"))
    assert [u.slug for u in units] == ["taichinh", "namdinh"]
    assert f"http://127.0.0.1:{port}" in output
    for unit in units:
        channels = {c.kind: c for c in Channel.objects.filter(unit=unit)}
        assert set(channels) == kinds & {spec.kind for spec in demo_channels.CHANNELS}, unit.name
        for kind, channel in channels.items():
            assert channel.enabled and channel.base_url == f"http://127.0.0.1:{port}/{kind}"
            setup = channel_setup(kind) if kind != "newsletter" else {"credentials": {}}
            assert channel.credentials == setup["credentials"]
            for secret in setup["credentials"].values():
                assert secret not in channel.credentials_encrypted

        # Every story readers see goes to every channel that takes it;
        # YouTube takes the video stories only.
        live = [s for s in ArticlePage.objects.descendant_of(unit.site.root_page).live() if not s.is_embargoed()]
        for kind, channel in channels.items():
            stories = set(Delivery.objects.filter(channel=channel).values_list("story_id", flat=True))
            if kind == "youtube":
                assert stories == {s.pk for s in live if s.format == ArticleFormat.VIDEO}
                assert all(ChannelCopy.objects.filter(story_id=pk, channel=channel, include="always").exists() for pk in stories)
            else:
                assert stories == {s.pk for s in live}, (unit.name, kind)
        assert not Delivery.objects.filter(channel__unit=unit).exclude(state=DeliveryState.PENDING).exists()
        if "newsletter" in channels:
            assert Subscriber.objects.filter(unit=unit, confirmed_at__isnull=False).count() == len(demo_channels.SUBSCRIBERS)

    partner = Partner.objects.get(token_hash=hash_token("doi-tac-thu"))
    assert "doi-tac-thu" in output and not Partner.objects.filter(token_hash__contains="doi-tac").exists()
    api = Client()
    assert api.get("/api/ninjs/", HTTP_AUTHORIZATION="Bearer doi-tac-thu").status_code == 200
    assert api.get("/api/ninjs/", HTTP_AUTHORIZATION="Bearer hoitu-demo-partner").status_code == 401
    assert set(partner.units.all()) == set(units)

    # The worker's job, done here: the newest story reaches Telegram.
    story = ArticlePage.objects.live().filter(deliveries__channel__kind="telegram").order_by("-first_published_at").first()
    delivery = Delivery.objects.get(story=story, channel__kind="telegram")
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED, delivery.error
    assert story.title in fake.live_posts("telegram")[delivery.remote_id]["text"]

    # Seeding the channels again (the whole seed: above) creates nothing;
    # channels aimed at the fake follow its port.
    before = {m.__name__: m.objects.count() for m in (Channel, Delivery, Partner, Subscriber, ChannelCopy)}
    demo_channels.seed([(u, u.site.root_page) for u in units], log=lambda line: None, port=8026)
    assert {m.__name__: m.objects.count() for m in (Channel, Delivery, Partner, Subscriber, ChannelCopy)} == before
    assert set(Channel.objects.values_list("base_url", flat=True)) == {f"http://127.0.0.1:8026/{k}" for k in channels}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_a_bad_fake_platforms_port_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("FAKE_PLATFORMS_PORT", "cổng")
    with pytest.raises(CommandError, match="FAKE_PLATFORMS_PORT"):
        seed()
    assert not Unit.objects.exists()
