"""Turns the demo definitions (units.py, media.py, the content modules) into
sites, pages, images, media and accounts in their role groups, with each
unit's work in progress from newsdesk.py (which plans the desk's
assignments before the published stories, since some were written for
one), then has the product send the deadline notices the new assignments
are owed.

Every record is looked up by a stable key before it is created (unit slug,
section slug under its home, article slug under its home, image and media
title, username, byline slug), so seeding twice creates nothing new and
leaves editors' changes alone.
"""

import base64
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.log_actions import LogContext
from wagtail.models import Collection, Page, Site

from assets.collections import shared_collection
from assets.models import ArchiveImage, License, Media
from assets.services import generate_renditions
from assets.text import ascii_slug
from newsroom import indexing, placements
from newsroom.archive_usage import stories_using
from newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    HomePlacement,
    HomePosition,
    SectionPage,
    Unit,
)
from reader_comments import services as reader_comments
from reader_comments.models import CommentPolicy
from workflows.admin_words import WAGTAIL_GROUPS
from workflows.assignments import check_deadlines
from workflows.models import AuthenticatorApp, Notification, Role
from workflows.roles import private_collection, sync_all, unit_collection

from . import artwork, channels, content_namdinh, content_taichinh, desk, stories
from .media import ALL as ALL_MEDIA
from .newsdesk import NewsDesk
from .units import (
    ADMIN_USERNAME,
    ARCHIVE_MANAGER,
    ARCHIVE_STAFF,
    NAMDINH,
    SECTION_HEAD,
    TAICHINH,
    UNITS,
)

# Wagtail's own groups (by their English names, and as renamed after
# migrating), which the demo accounts were in before units had roles of
# their own.
LEGACY_GROUPS = (*WAGTAIL_GROUPS, *WAGTAIL_GROUPS.values())

FILES_DIR = Path(__file__).resolve().parent / "files"
STORIES = {TAICHINH.slug: content_taichinh.STORIES, NAMDINH.slug: content_namdinh.STORIES}

ART_CREDIT = "Đồ họa: Hội Tụ"
ART_SOURCE = "Hội Tụ – dữ liệu mẫu"


@dataclass
class SeededUnit:
    unit: Unit
    home: HomePage
    url: str
    logins: list  # (username, role label)
    new_assignments: int


@dataclass
class Tally:
    """What one step found and what it had to create."""

    created: int = 0
    existing: int = 0

    def add(self, created):
        if created:
            self.created += 1
        else:
            self.existing += 1


# Every demo account's authenticator app has this published secret (base32),
# so one entry in an app signs in as any of them: never on a real site.
DEFAULT_DEMO_TOTP_SECRET = "HOITUDEMOHOITUDEMOHOITUDEMOHOITU"


# Readers' comments on each unit's spotlight story: (name, text, approved).
DEMO_COMMENTS = [
    ("Minh Anh", "Bài viết rất rõ ràng, cảm ơn phóng viên đã giải thích cặn kẽ.", True),
    ("Trần Quốc Hùng", "Mong toà soạn tiếp tục theo dõi và đưa tin khi có kết quả cụ thể.", True),
    ("Lê Thị Thu", "Ở địa phương tôi tình hình cũng tương tự, rất cần có giải pháp sớm.", True),
    ("Phạm Đức", "Số liệu ở đoạn thứ hai có nguồn từ đâu vậy ạ?", False),
    ("Khuyến mãi", "Vay tiền nhanh tại http://vay-nhanh.example và www.vay-nhanh.example", False),
]


def demo_totp_url(secret):
    return f"otpauth://totp/H%E1%BB%99i%20T%E1%BB%A5%20demo?secret={secret}&issuer=H%E1%BB%99i%20T%E1%BB%A5%20demo"


@dataclass
class DemoSeeder:
    domain: str
    port: int
    password: str
    log: callable
    totp_secret: str = DEFAULT_DEMO_TOTP_SECRET
    image_ids: list = field(default_factory=list)
    _palette_turns: Counter = field(default_factory=Counter)
    _password_hash: str = ""

    # --- entry points ---------------------------------------------------
    def seed(self):
        """Everything but renditions, in one transaction: a failure leaves
        the database as it was."""
        fake_platforms_port = channels.fake_platforms_port()
        with transaction.atomic():
            self._remove_wagtail_welcome_site()
            admin = self._superuser()
            media = self._media()
            self._near_duplicate()
            places = [self._place(spec, index == 0, admin) for index, spec in enumerate(UNITS)]
            # Units and sections made their role groups as they were created;
            # a database seeded before the roles existed gets them now.
            system_groups, unit_groups = sync_all()
            staff = self._staff(places, system_groups, unit_groups)
            now = timezone.now().replace(second=0, microsecond=0)
            last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
            seeded = [self._content(spec, place, staff, media, now) for spec, place in zip(UNITS, places, strict=True)]
            if any(item.new_assignments for item in seeded):
                # "Deadline near" and "overdue", as the worker's beat would
                # have sent them by now (it sends the later ones itself).
                check_deadlines(now)
            self._archive_to_units([place[0] for place in places])
            self._rights_and_private_parts([place[0] for place in places])
            channels.seed([(item.unit, item.home) for item in seeded], self.log, port=fake_platforms_port)
            # Searchable at once, without waiting for the worker to index
            # what was published.
            for _done in indexing.rebuild():
                pass
            # The notices made while seeding are history, not news: the
            # worker must not e-mail them to the demo addresses.
            Notification.objects.filter(pk__gt=last_notification, emailed_at__isnull=True).update(emailed_at=now)
        return seeded

    def pregenerate_renditions(self, image_ids=None):
        """Make every rendition the public templates use now, so the first
        reader does not wait for AVIF encoding; existing ones are kept."""
        image_ids = list(dict.fromkeys(self.image_ids if image_ids is None else image_ids))
        made = 0
        for done, image_id in enumerate(image_ids, start=1):
            made += generate_renditions(image_id)
            if done % 25 == 0 or done == len(image_ids):
                self.log(_("Renditions: %(done)d of %(total)d images") % {"done": done, "total": len(image_ids)})
        return made

    # --- Wagtail's starter site -------------------------------------------
    def _remove_wagtail_welcome_site(self):
        """wagtailcore's migration leaves a plain "Welcome to your new Wagtail
        site!" page as localhost:80's root; the units replace it."""
        plain_page = ContentType.objects.get_for_model(Page)
        for page in Page.objects.filter(depth=2, content_type=plain_page, slug="home"):
            if page.get_children_count() == 0:
                Site.objects.filter(root_page=page).delete()
                page.delete()
                self.log(_("Removed Wagtail's welcome page and its site."))

    # --- accounts ---------------------------------------------------------
    def _hashed_password(self):
        # One hash for every demo account: they share the password anyway,
        # and PBKDF2 per account would cost seconds.
        if not self._password_hash:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def _user(self, username, **fields):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, password=self._hashed_password(), **fields)
            user.save()
        # The admin asks every account for a second factor: the demo's is
        # the published secret (accounts seeded before it get it too).
        if not AuthenticatorApp.objects.filter(user=user).exists():
            AuthenticatorApp.for_user(user, key=base64.b32decode(self.totp_secret).hex(), confirmed=True)
        return user, created

    def _superuser(self):
        user, created = self._user(
            ADMIN_USERNAME, first_name="Hội Tụ", last_name="Quản trị", email="admin@hoitu.example", is_staff=True, is_superuser=True
        )
        self.log(_("Superuser %(username)s: %(state)s") % {"username": user.username, "state": _("created") if created else _("exists")})
        return user

    def _staff(self, places, system_groups, unit_groups):
        """Each account joins its role's group. Accounts seeded before the
        units had roles leave Wagtail's global "Editors"/"Moderators"
        groups, which would let them edit every unit; an account whose
        groups someone has since changed is left alone."""
        legacy = list(Group.objects.filter(name__in=LEGACY_GROUPS))
        members = [(None, ARCHIVE_STAFF, system_groups[ARCHIVE_MANAGER])]
        for spec, (unit, _home, sections) in zip(UNITS, places, strict=True):
            roles = unit_groups[unit.slug]
            for member in spec.staff:
                if member.newsroom_role == SECTION_HEAD:
                    group = roles[SECTION_HEAD][sections[member.section][0].pk]
                else:
                    group = roles[member.newsroom_role]
                members.append((spec, member, group))
        tally, staff = Tally(), {}
        for spec, member, group in members:
            user, created = self._user(
                spec.username(member.role) if spec else member.role,
                first_name=member.given_name,
                last_name=member.family_name,
                email=member.email,
            )
            if created or (legacy and user.groups.filter(pk__in=[g.pk for g in legacy]).exists()):
                user.groups.remove(*legacy)
                user.groups.add(group)
            tally.add(created)
            staff[(spec.slug if spec else None, member.role)] = user
        self.log(_("Staff accounts: %(created)d created, %(existing)d already there") % tally.__dict__)
        return staff

    # --- archive ----------------------------------------------------------
    def _image(self, title, draw, filename, caption="", credit=ART_CREDIT, source=ART_SOURCE, license=License.CC0, fmt="JPEG"):
        image = ArchiveImage.objects.filter(title=title).order_by("pk").first()
        created = image is None
        if created:
            data = draw()
            image = ArchiveImage(
                title=title,
                file=ImageFile(io.BytesIO(data), name=filename),
                caption=caption,
                credit=credit,
                source=source,
                license=license,
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),
            )
            image.save()
        self.image_ids.append(image.pk)
        return image, created

    def _artwork(self, title, theme, key, caption, vary=False, **fields):
        """A drawn picture. ``vary`` cycles the theme's palettes, so stories
        that follow each other in a listing do not look alike."""
        variant = None
        if vary:
            variant = self._palette_turns[theme]
            self._palette_turns[theme] += 1
        return self._image(
            title, lambda: artwork.jpeg_bytes(artwork.draw(theme, key, variant=variant)), f"{key}.jpg", caption=caption, **fields
        )

    def _near_duplicate(self):
        """The video's poster as it comes back from a social network, half
        the size and recompressed: the archive shows the two as similar
        pictures (assets.similarity) once the worker has read them."""
        spec = ALL_MEDIA[0]
        original = artwork.draw(spec.poster_theme, spec.poster_key)
        smaller = original.resize((original.width // 2, original.height // 2))
        return self._image(
            f"Ảnh đại diện: {spec.title} (bản nhỏ gửi lại từ mạng xã hội)",
            lambda: artwork.jpeg_bytes(smaller, quality=60),
            f"{spec.poster_key}-ban-nho.jpg",
            caption=spec.caption,
        )

    def _media(self):
        tally, media = Tally(), {}
        for spec in ALL_MEDIA:
            poster, _created = self._artwork(f"Ảnh đại diện: {spec.title}", spec.poster_theme, spec.poster_key, spec.caption)
            item = Media.objects.filter(title=spec.title).order_by("pk").first()
            tally.add(item is None)
            if item is None:
                with (FILES_DIR / spec.file).open("rb") as handle:
                    item = Media.objects.create(
                        title=spec.title,
                        kind=Media.Kind(spec.kind),
                        file=File(handle, name=spec.file),
                        duration=spec.duration,
                        width=spec.width,
                        height=spec.height,
                        poster=poster,
                        caption=spec.caption,
                        credit=spec.credit,
                        license=License(spec.license),
                        transcript=spec.transcript,
                    )
            media[spec.kind] = item
        self.log(_("Video and audio: %(created)d created, %(existing)d already there") % tally.__dict__)
        return media

    def _archive_to_units(self, units):
        """Each picture, video and audio goes to the collection of the unit
        that shows it (its logo, or its stories; the first unit for what
        nobody shows yet), so that unit's desk may change it and the others
        choose it from the shared archive."""
        loose = (Collection.get_first_root_node(), shared_collection())
        logos = {unit.logo_id: unit for unit in units if unit.logo_id}
        for model in (ArchiveImage, Media):
            for item in model.objects.filter(collection__in=loose):
                unit = logos.get(item.pk) if model is ArchiveImage else None
                story = stories_using(item).order_by("pk").first()
                if unit is None and story is not None:
                    unit = Unit.objects.for_page(story)
                model.objects.filter(pk=item.pk).update(collection=unit_collection(unit or units[0]))

    def _rights_and_private_parts(self, units):
        """What the archive's rules look like in use: a picture of a live
        story whose agency licence ends in ten days (its unit's editors see
        the story on their dashboard), one whose licence has ended (no
        chooser offers it), and in each unit's private part a picture of a
        story still under wraps, which the other units do not see."""
        today = timezone.localdate()
        first = units[0]
        story = (
            ArticlePage.objects.live().descendant_of(first.site.root_page).exclude(cover_image=None).order_by("-first_published_at").first()
        )
        if story is not None:
            ArchiveImage.objects.filter(pk=story.cover_image_id, license_expires_on__isnull=True).update(
                license=License.AGENCY, credit="Ảnh: hãng ảnh đối tác", license_expires_on=today + timedelta(days=10),
                usage_terms="Được dùng trên báo in, báo điện tử và mạng xã hội của đơn vị đến hết hạn hợp đồng với hãng ảnh.",
            )  # fmt: skip
        ended, _created = self._artwork(
            "Ảnh hãng đã hết hạn bản quyền", "fields", "het-han-ban-quyen", "Hợp đồng với hãng ảnh đã hết hạn: không chọn được cho bài mới.",
            credit="Ảnh: hãng ảnh đối tác", license=License.AGENCY,
        )  # fmt: skip
        ArchiveImage.objects.filter(pk=ended.pk, license_expires_on__isnull=True).update(license_expires_on=today - timedelta(days=3))
        for unit in units:
            unit = Unit.objects.get(pk=unit.pk)
            picture, _created = self._artwork(
                f"Ảnh độc quyền chưa đăng – {unit.name}", "network", f"doc-quyen-{unit.slug}",
                "Ảnh của một đề tài chưa đăng: chỉ đơn vị thấy, đến khi bài được đăng.", credit="Ảnh: phóng viên đơn vị",
                license=License.ALL_RIGHTS_RESERVED,
            )  # fmt: skip
            ArchiveImage.objects.filter(pk=picture.pk).update(collection=private_collection(unit))

    # --- units ------------------------------------------------------------
    def _hostname(self, spec, default):
        return self.domain if default else f"{spec.slug}.{self.domain}"

    def _place(self, spec, default, admin):
        """The unit, its site, home page and sections."""
        unit = Unit.objects.filter(slug=spec.slug).select_related("site").first()
        if unit is not None:
            home = HomePage.objects.get(pk=unit.site.root_page_id)
            if unit.logo_id:
                self.image_ids.append(unit.logo_id)
            self.log(_("Unit %(name)s: exists") % {"name": spec.name})
        else:
            unit, home = self._create_unit(spec, default, admin)
            self.log(_("Unit %(name)s: created") % {"name": spec.name})
        return unit, home, self._sections(spec, home, admin)

    def _content(self, spec, place, staff, media, now):
        unit, home, sections = place
        self.log(_("%(name)s:") % {"name": spec.name})
        bylines = self._bylines(spec, staff)
        people = {member.role: staff[(spec.slug, member.role)] for member in spec.staff}
        newsdesk = NewsDesk(unit, home, sections, people, list(bylines.values()), now)
        plan = desk.PLANS[spec.slug]
        new_assignments = newsdesk.plan_assignments(plan)
        self._stories(spec, home, sections, bylines, staff, media, newsdesk)
        self._front_page(home, staff[(spec.slug, "thuky")])
        self._reader_comments(unit, home, staff[(spec.slug, "thuky")], staff[(spec.slug, "bientap")])
        made = newsdesk.seed(plan)
        self.log(
            _("  desk: %(stories)d stories in progress, %(corrections)d corrections, %(assignments)d assignments created")
            % {**made, "assignments": new_assignments}
        )
        site = unit.site
        port = "" if site.port == 80 else f":{site.port}"
        logins = [(spec.username(member.role), Role(member.newsroom_role).label) for member in spec.staff]
        return SeededUnit(unit=unit, home=home, url=f"http://{site.hostname}{port}/", logins=logins, new_assignments=new_assignments)

    def _create_unit(self, spec, default, admin):
        hostname = self._hostname(spec, default)
        taken = Site.objects.filter(hostname=hostname, port=self.port).first()
        if taken is not None:
            raise CommandError(
                _("%(host)s:%(port)d already belongs to the site \"%(site)s\", which is not a press unit; delete it or set DEMO_DOMAIN.")
                % {"host": hostname, "port": self.port, "site": taken}
            )
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).filter(slug=spec.slug).first()
        if home is None:
            home = root.add_child(instance=HomePage(title=spec.name, slug=spec.slug, seo_title=f"{spec.name} – {spec.tagline}"))
            home.save_revision(user=admin).publish(user=admin)
        site = Site.objects.create(
            hostname=hostname,
            port=self.port,
            root_page=home,
            site_name=spec.name,
            is_default_site=default and not Site.objects.filter(is_default_site=True).exists(),
        )
        logo, _created = self._image(
            f"Biểu trưng {spec.name}",
            lambda: (FILES_DIR / spec.logo_file).read_bytes(),
            spec.logo_file,
            caption=spec.name,
            credit=spec.name,
            source=spec.name,
            license=License.ALL_RIGHTS_RESERVED,
        )
        unit = Unit.objects.create(
            site=site,
            slug=spec.slug,
            name=spec.name,
            tagline=spec.tagline,
            logo=logo,
            language="vi",
            publication_name=spec.publication_name,
            press_license=spec.press_license,
            editor_in_chief=spec.editor_in_chief,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            **spec.social,
        )
        return unit, home

    def _sections(self, spec, home, admin):
        tally, sections = Tally(), {}
        for section_spec in spec.sections:
            section = SectionPage.objects.child_of(home).filter(slug=section_spec.slug).first()
            tally.add(section is None)
            if section is None:
                section = home.add_child(
                    instance=SectionPage(title=section_spec.title, slug=section_spec.slug, intro=section_spec.intro, show_in_menus=True)
                )
                section.save_revision(user=admin).publish(user=admin)
            sections[section_spec.slug] = (section, section_spec)
        self.log(_("  sections: %(created)d created, %(existing)d already there") % tally.__dict__)
        return sections

    def _bylines(self, spec, staff):
        tally, bylines = Tally(), {}
        for byline in spec.bylines:
            author = Author.objects.filter(slug=byline.slug).first()
            tally.add(author is None)
            if author is None:
                photo, _created = self._artwork(
                    f"Chân dung {byline.name}", "portrait", f"tac-gia-{byline.slug}", f"{byline.name}, {byline.job_title}", vary=True
                )
                user = staff.get((spec.slug, byline.staff_role)) if byline.staff_role else None
                author = Author.objects.create(
                    name=byline.name,
                    slug=byline.slug,
                    job_title=byline.job_title,
                    bio=byline.bio,
                    photo=photo,
                    user=user,
                    email=user.email if user else "",
                )
            elif author.photo_id:
                self.image_ids.append(author.photo_id)
            bylines[byline.slug] = author
        self.log(_("  authors: %(created)d created, %(existing)d already there") % tally.__dict__)
        return bylines

    # --- stories ----------------------------------------------------------
    def _stories(self, spec, home, sections, bylines, staff, media, newsdesk):
        tally = Tally()
        now = timezone.now().replace(second=0, microsecond=0)
        # The editor-in-chief publishes them: the product lets the managing
        # editor only approve, never publish directly.
        reporter, publisher = staff[(spec.slug, "phongvien")], staff[(spec.slug, "tongbientap")]
        per_section = Counter()
        newest = min(STORIES[spec.slug], key=lambda story: story.age)
        for story in STORIES[spec.slug]:
            existing = ArticlePage.objects.descendant_of(home).filter(slug=story.slug).first()
            tally.add(existing is None)
            if existing is not None:
                self.image_ids.extend(self._image_ids_of(existing))
                continue
            section, section_spec = sections[story.section]
            theme = story.art or section_spec.themes[per_section[story.section] % len(section_spec.themes)]
            per_section[story.section] += 1
            cover, _created = self._artwork(
                f"Minh họa: {story.title}", theme, f"{spec.slug}-{story.slug}", artwork.DESCRIPTIONS[theme], vary=True
            )
            content = {
                # The newest story is breaking news for a while after seeding.
                "breaking_until": now + timedelta(hours=6) if story is newest else None,
                "title": story.title,
                "slug": story.slug,
                "kicker": story.kicker,
                "sapo": story.sapo,
                "format": story.format,
                "language": "vi",
                "cover_image": cover,
                "body": self._body(story, spec, home, section_spec, bylines, media),
            }
            # A story the desk assigned is written into the draft its
            # reporter started from the assignment, which publishing closes.
            # Any other starts unpublished, as in the admin: a page created
            # live counts as published and would have to go through review.
            article = newsdesk.start_story(reporter, **content) or ArticlePage(owner=reporter, live=False, **content)
            # The story's own bylines, in place of the assignees' a started draft has.
            article.article_authors = [ArticleAuthor(author=bylines[slug], sort_order=order) for order, slug in enumerate(story.authors)]
            article.tags.add(*story.tags)
            if article.pk is None:
                section.add_child(instance=article)
            revision = article.save_revision(user=reporter)
            # As in the admin, whose log context names who published (the
            # publication record and the assignment's "done" step say so).
            with LogContext(user=publisher):
                revision.publish(user=publisher)
            # Wagtail stamps "now" on first publication; spread the demo over
            # the last days so listings, feeds and the news sitemap look real.
            published_at = now - timedelta(hours=story.age)
            Page.objects.filter(pk=article.pk).update(
                first_published_at=published_at, last_published_at=published_at, latest_revision_created_at=published_at
            )
            # Its authors were told then, and have read it since.
            Notification.objects.filter(page_id=article.pk).update(created_at=published_at, read_at=published_at)
            newsdesk.move_back_assignments(article, now - published_at)
        self.log(_("  articles: %(created)d created, %(existing)d already there") % tally.__dict__)

    def _front_page(self, home, managing_editor):
        """The managing editor's front page, once: the second newest story in
        the spotlight (the newest is breaking news above it) and two older
        ones first at the top."""
        if HomePlacement.objects.filter(home=home).exists():
            return
        newest = list(ArticlePage.objects.descendant_of(home).live().order_by("-first_published_at")[:6])
        if len(newest) < 6:
            return
        placements.place(home, newest[1], HomePosition.SPOTLIGHT, managing_editor)
        for story in (newest[4], newest[5]):
            placements.place(home, story, HomePosition.TOP, managing_editor)

    def _reader_comments(self, unit, home, managing_editor, desk_editor):
        """Comments open, once: on the spotlight story some readers'
        comments shown, some waiting for the desk (one marked for its
        links)."""
        if CommentPolicy.objects.filter(unit=unit).exists():
            return
        reader_comments.set_open(unit, True, managing_editor)
        spotlight = HomePlacement.objects.filter(home=home, position=HomePosition.SPOTLIGHT).select_related("story").first()
        if spotlight is None:
            return
        shown = []
        for n, (name, text, approve) in enumerate(DEMO_COMMENTS):
            comment = reader_comments.post(spotlight.story, unit, name, text, key=f"demo-reader-{n}")
            if approve:
                shown.append(comment)
        reader_comments.approve(shown, desk_editor)

    def _image_ids_of(self, article):
        ids = [article.cover_image_id] if article.cover_image_id else []
        for block in article.body:
            if block.block_type == "image":
                ids.append(block.value["image"].pk)
            elif block.block_type == "gallery":
                ids.extend(item["image"].pk for item in block.value["images"])
        return ids

    def _body(self, story, spec, home, section_spec, bylines, media):
        blocks, pictures = [], 0
        photographer = bylines[story.authors[0]].name

        def picture(caption, theme, credit, license):
            nonlocal pictures
            pictures += 1
            image, _created = self._artwork(
                f"{story.title} (ảnh {pictures})",
                theme or section_spec.themes[pictures % len(section_spec.themes)],
                f"{spec.slug}-{story.slug}-{pictures}",
                caption,
                vary=True,
                credit=credit,
                source=spec.name if license == License.ALL_RIGHTS_RESERVED else ART_SOURCE,
                license=license,
            )
            return image

        for item in story.body:
            if isinstance(item, str):
                blocks.append(("paragraph", f"<p>{escape(item)}</p>"))
            elif isinstance(item, stories.Heading):
                blocks.append(("heading", {"text": item.text, "level": item.level}))
            elif isinstance(item, stories.Quote):
                blocks.append(("quote", {"text": item.text, "attribution": item.attribution}))
            elif isinstance(item, stories.FactBox):
                items = "".join(f"<li>{escape(line)}</li>" for line in item.items)
                blocks.append(("fact_box", {"title": item.title, "body": f"<ul>{items}</ul>"}))
            elif isinstance(item, stories.Picture):
                image = picture(item.caption, item.theme, ART_CREDIT, License.CC0)
                blocks.append(("image", {"image": image, "caption": "", "credit": "", "layout": item.layout}))
            elif isinstance(item, stories.Gallery):
                images = [
                    {"image": picture(caption, theme, f"Ảnh: {photographer}", License.ALL_RIGHTS_RESERVED), "caption": ""}
                    for caption, theme in item.pictures
                ]
                blocks.append(("gallery", {"title": item.title, "images": images}))
            elif isinstance(item, stories.Chart):
                blocks.append(("chart", {"title": item.title, "chart_type": item.kind, "data": item.csv.strip(), "source": item.source}))
            elif isinstance(item, stories.Table):
                table = {"data": [list(row) for row in item.rows], "first_row_is_table_header": True, "first_col_is_header": False}
                blocks.append(("table", {"caption": item.caption, "table": table}))
            elif isinstance(item, stories.Video):
                blocks.append(("video", {"video": media[Media.Kind.VIDEO], "caption": item.caption}))
            elif isinstance(item, stories.Audio):
                blocks.append(("audio", {"audio": media[Media.Kind.AUDIO], "caption": item.caption}))
            elif isinstance(item, stories.Related):
                blocks.append(("related", {"title": item.title, "articles": [self._earlier_story(home, title, story) for title in item.titles]}))
            else:
                raise TypeError(f"Unknown demo block {item!r} in {story.title!r}")
        return blocks

    def _earlier_story(self, home, title, story):
        article = ArticlePage.objects.descendant_of(home).filter(slug=ascii_slug(title)).first()
        if article is None:
            raise CommandError(f"Demo story {story.title!r} lists {title!r} as related, but no earlier story has that headline.")
        return article
