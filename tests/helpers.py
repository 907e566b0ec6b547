"""Builders shared by every test module: units, sections, articles, images."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.models import Page, Site

from assets.models import ArchiveImage
from newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage, Unit

_counter = itertools.count(1)


def make_image(title="Ảnh thử", color=(180, 40, 30), size=(1600, 900), **fields):
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, color)
    ImageDraw.Draw(picture).rectangle([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(240, 240, 240))
    picture.save(buffer, "JPEG", quality=80)
    n = next(_counter)
    return ArchiveImage.objects.create(title=title, file=ImageFile(buffer, name=f"test-{n}.jpg"), **fields)


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


def make_article(section, title="Đường sắt Bắc–Nam", sapo="Dự án đường sắt tốc độ cao được phê duyệt.", body=None, authors=None, tags=(), publish=True, **fields):
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
    return article


def host(unit):
    """Test-client keyword arguments that address ``unit``'s site."""
    return {"HTTP_HOST": unit.site.hostname}
