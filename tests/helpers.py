"""Builders shared by every test module: units, sections, articles, images."""

import io
import itertools
import os
import time
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from modelsearch.backends import get_search_backend
from PIL import Image, ImageDraw
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from assets.models import ArchiveImage, Media
from assets.services import generate_renditions
from hoitu.celery import app as celery_app
from newsroom.indexing import index_stories, update_search_index, worker_search_backends
from newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage, Unit
from workflows.models import AuthenticatorApp

_counter = itertools.count(1)


def authenticator_of(user):
    """The user's confirmed authenticator app, set up if they have none."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    return device or AuthenticatorApp.for_user(user, confirmed=True)


def next_code(device):
    """The code the app shows now, or the next one if now's was used
    already (a second sign-in within 30 s): the device takes a code one
    step ahead, and never one it took before."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.STEP, 0, device.DIGITS, device.drift)
    totp.time = max(time.time(), (device.last_t + 1) * device.STEP)
    return f"{totp.token():06d}"


class BrowserSignIn:
    """Signs people in through Wagtail's login form and their authenticator
    app's code, in a Playwright page. Told the people before a ``with
    chromium()`` block (the database is out of reach inside it), it keeps
    their apps' keys and the time steps it has used: a second sign-in within
    30 s takes the next step's code, as the device never takes one twice."""

    def __init__(self, password, *users):
        self.password = password
        self.devices, self.last_step = {}, {}
        for user in users:
            self.add(user)

    def add(self, user):
        device = authenticator_of(user)
        self.devices[user.username] = (device.bin_key, device)
        self.last_step[user.username] = device.last_t

    def code(self, username):
        key, device = self.devices[username]
        step = max(int(time.time()) // device.STEP, self.last_step[username] + 1)
        while step > int(time.time()) // device.STEP + device.TOLERANCE:
            time.sleep(1)
        self.last_step[username] = step
        totp = TOTP(key, device.STEP, 0, device.DIGITS, device.drift)
        totp.time = step * device.STEP
        return f"{totp.token():06d}"

    def __call__(self, page, base, username):
        """Ends where the person's role starts the day (workflows.landing)."""
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", self.password)
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/admin/second-factor/verify/**")
        page.fill("#id_code", self.code(username))
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url.startswith(f"{base}/admin/") and "/second-factor/" not in url)


def client_for(user):
    """A test client signed in as ``user`` (its session past every check)."""
    client = Client()
    client.force_login(user)
    return client


def sign_in_with_code(client, user, password):
    """Signs ``user`` in as a person does: Wagtail's login form, then the
    authenticator app's code. Returns the code page's answer."""
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password})
    return client.post(reverse("workflows_two_factor:verify"), {"code": next_code(authenticator_of(user))})


def verify_second_factor(client, user):
    """Marks ``client``'s session as verified by the user's authenticator
    app, as the code page does after a right code."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session.save()


def make_image(title="Ảnh thử", color=(180, 40, 30), size=(1600, 900), rendered=False, **fields):
    """An archive picture; ``rendered``: with the renditions the media
    worker makes once a picture is saved (pages show them, and never make
    one themselves)."""
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, color)
    ImageDraw.Draw(picture).rectangle([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(240, 240, 240))
    picture.save(buffer, "JPEG", quality=80)
    n = next(_counter)
    image = ArchiveImage.objects.create(title=title, file=ImageFile(buffer, name=f"test-{n}.jpg"), **fields)
    if rendered:
        generate_renditions(image.pk)
    return image


def make_media(kind, title, poster=None, duration=None, **fields):
    """An archive video or audio item; its bytes are never decoded where
    this is used (templates and feeds only link the file)."""
    ext = "mp4" if kind == "video" else "mp3"
    return Media.objects.create(
        kind=kind, title=title, file=ContentFile(b"\0" * 2048, name=f"{title}.{ext}"), poster=poster, duration=duration, **fields
    )


def make_unit(slug="taichinh", name="Thời báo Tài chính", hostname=None, default=False, language="vi"):
    hostname = hostname or ("localhost" if default else f"{slug}.localhost")
    # Wagtail's migration leaves a default "localhost" site behind.
    Site.objects.filter(hostname=hostname, port=80).delete()
    if default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=name, slug=slug))
    site = Site.objects.create(
        hostname=hostname,
        port=80,
        root_page=home,
        site_name=name,
        is_default_site=default,
    )
    unit = Unit.objects.create(site=site, slug=slug, name=name, language=language, publication_name=name)
    return unit, home


def make_section(home, title="Kinh tế", **fields):
    return home.add_child(instance=SectionPage(title=title, show_in_menus=True, **fields))


def make_author(name="Nguyễn Văn An", **fields):
    return Author.objects.create(name=name, **fields)


def paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def image_block(image, caption="", credit="", layout="normal"):
    return ("image", {"image": image, "caption": caption, "credit": credit, "layout": layout})


def make_article(
    section, title="Đường sắt Bắc–Nam", sapo="Dự án đường sắt tốc độ cao được phê duyệt.", body=None, authors=None, tags=(), publish=True, **fields
):
    # A page saved without publishing must not be live (Wagtail's default is
    # live=True, which would put "drafts" on the public site).
    fields.setdefault("live", publish)
    article = ArticlePage(title=title, sapo=sapo, body=body if body is not None else [paragraph(sapo)], **fields)
    for author in authors or []:
        article.article_authors.add(ArticleAuthor(author=author))
    for tag in tags:
        article.tags.add(tag)
    section.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
        # Be the worker that indexes a published story for search.
        index_stories([article.pk])
        if os.environ.get("OPENSEARCH_URL"):
            index_in_opensearch(article)
    return article


def host(unit):
    """Test-client keyword arguments that address ``unit``'s site."""
    return {"HTTP_HOST": unit.site.hostname}


def path(page):
    """The page's path on its own unit's site (``page.url`` is absolute as
    soon as there are two sites)."""
    return page.get_url_parts()[2]


def build_newsroom():
    """Two press units with a little content each (small images keep AVIF
    encoding cheap). Returned as a namespace so tests read like prose."""
    finance_unit, finance_home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    province_unit, province_home = make_unit("lamdong", "Báo Lâm Đồng")
    reporter = make_author("Trần Thị Bình", job_title="Phóng viên")

    cover = make_image("Đoàn tàu Thống Nhất", size=(640, 360), credit="Ảnh: Minh Đức", caption="Đoàn tàu Thống Nhất qua đèo Hải Vân", rendered=True)
    site_photo = make_image("Công trường", color=(30, 90, 160), size=(640, 360), credit="Ảnh: TTXVN", caption="Công trường ga Ngọc Hồi", rendered=True)
    economy = make_section(finance_home, "Kinh tế", intro="Tin kinh tế vĩ mô, đầu tư, hạ tầng.")
    finance = make_section(finance_home, "Tài chính")
    rail = make_article(
        economy,
        title="Đường sắt Bắc–Nam được phê duyệt chủ trương đầu tư",
        sapo="Quốc hội thông qua chủ trương đầu tư tuyến đường sắt tốc độ cao dài 1.541 km.",
        body=[
            paragraph("Tuyến đường sắt tốc độ cao đi qua 20 tỉnh, thành phố, tổng vốn khoảng 67 tỷ USD."),
            image_block(site_photo, caption="Công trường ga Ngọc Hồi"),
            paragraph("Dự án dự kiến khởi công năm 2027 và hoàn thành năm 2035."),
        ],
        cover_image=cover,
        authors=[reporter],
        tags=["hạ tầng"],
    )
    budget = make_article(
        finance,
        title="Bộ Tài chính công bố dự toán ngân sách năm 2026",
        sapo="Tổng thu ngân sách nhà nước dự kiến đạt hơn 2,5 triệu tỷ đồng.",
        cover_image=make_image("Trụ sở Bộ Tài chính", color=(200, 160, 40), size=(640, 360), rendered=True),
        authors=[reporter],
    )

    news = make_section(province_home, "Thời sự")
    bus = make_article(
        news,
        title="Đà Lạt mở tuyến xe buýt điện đầu tiên",
        sapo="Tuyến xe buýt điện nối trung tâm Đà Lạt với sân bay Liên Khương.",
        cover_image=make_image("Xe buýt điện", color=(40, 140, 70), size=(640, 360), rendered=True),
    )
    return SimpleNamespace(
        finance=SimpleNamespace(unit=finance_unit, home=finance_home, economy=economy, finance=finance, rail=rail, budget=budget),
        province=SimpleNamespace(unit=province_unit, home=province_home, news=news, bus=bus),
        reporter=reporter,
        cover=cover,
        site_photo=site_photo,
    )


def make_staff(unit, role, username=None, section=None, email=None, author_name=None, **fields):
    """A user in ``unit``'s group for ``role`` (a workflows.Role value), with
    a byline linked to them when ``author_name`` is given."""
    from django.contrib.auth import get_user_model

    from workflows.roles import unit_group

    username = username or f"{unit.slug}.{role}.{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.vn", password="pw-test-123", **fields
    )
    user.groups.add(unit_group(unit, role, section=section))
    if author_name:
        Author.objects.create(name=author_name, user=user)
    return user


def build_staff(newsroom):
    """One person per role in the finance unit (usernames ``tc.<role>``),
    a section head of its "Kinh tế" section, and a reporter and an
    editor-in-chief of the province unit, all with the password
    ``pw-test-123``."""
    from workflows.models import Role

    unit = newsroom.finance.unit
    people = {
        role: make_staff(unit, role, f"tc.{role}", first_name=role.replace("_", " ").title())
        for role in (
            Role.REPORTER, Role.CONTRIBUTOR, Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF,
            Role.DEPUTY_EDITOR, Role.DISTRIBUTION, Role.UNIT_ADMIN,
        )
    }
    people[Role.SECTION_HEAD] = make_staff(unit, Role.SECTION_HEAD, "tc.section_head", section=newsroom.finance.economy)
    people["other_unit_reporter"] = make_staff(newsroom.province.unit, Role.REPORTER, "ld.reporter")
    people["other_unit_editor_in_chief"] = make_staff(newsroom.province.unit, Role.EDITOR_IN_CHIEF, "ld.editor_in_chief")
    return people


def story_draft(section, owner, title="Bản thảo của phóng viên", author=None, **fields):
    """A draft story created by ``owner`` (not live, with one revision), as the
    admin's create view would leave it."""
    fields.setdefault("sapo", "Tóm tắt bản thảo.")
    article = ArticlePage(title=title, owner=owner, live=False, body=[paragraph(fields["sapo"])], **fields)
    if author is not None:
        article.article_authors.add(ArticleAuthor(author=author))
    section.add_child(instance=article)
    article.save_revision(user=owner)
    return article


def story_form(story, **extra):
    """The story editor's form for ``story`` (its fields and bylines, the
    body one paragraph), plus ``extra`` (e.g. ``{"action-submit": "submit"}``)."""
    links = list(story.article_authors.all())
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "kicker": story.kicker,
            "sapo": story.sapo,
            "format": story.format,
            "language": story.language,
            "cover_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "tags": "",
            "seo_title": "",
            "search_description": "",
            "og_title": "",
            "og_description": "",
            "article_authors": inline_formset([{"id": link.pk, "author": link.author_id} for link in links], initial=len(links), min=1),
            "corrections": inline_formset([]),
            "channel_copies": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def refused(response):
    """How the admin refuses: 403 (a bare one for XHR), a redirect to the
    dashboard carrying Wagtail's message, or 404 for what belongs to
    another unit (it does not exist for the user)."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def broker_messages(queue="celery"):
    """Take (and acknowledge) every message waiting on ``queue`` of this
    process's broker: the test settings' in-memory one."""
    with celery_app.connection_for_write() as connection:
        waiting = connection.SimpleQueue(queue)
        messages = []
        while True:
            try:
                message = waiting.get(block=False)
            except waiting.Empty:
                return messages
            messages.append(message)
            message.ack()


def index_in_opensearch(*objs):
    """Be the worker that writes to a live OpenSearch, and make what it
    wrote searchable now (the engine would within a second)."""
    for obj in objs:
        update_search_index(obj._meta.label, [str(obj.pk)])
    for name in worker_search_backends():
        backend = get_search_backend(name)
        for obj in objs:
            backend.get_index_for_model(type(obj)).refresh()


def run_queued_tasks(queues=("celery", "media")):
    """Be the worker: run here every task waiting on the broker; returns
    their names."""
    names = []
    for queue in queues:
        for message in broker_messages(queue):
            name = message.headers["task"]
            args, kwargs, _options = message.decode()
            celery_app.tasks[name].apply(args=args, kwargs=kwargs)
            names.append(name)
    return names
