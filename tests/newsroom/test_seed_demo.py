"""`seed_demo`: what a newcomer sees after `make run`."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from assets.models import ArchiveImage, ArchiveRendition, Media
from newsroom.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD, PRODUCTION_SETTINGS
from newsroom.models import ArticleFormat, ArticlePage, Author, HomePage, Unit, User
from newsroom.search import search_articles
from newsroom.text import fold

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Site, Page, ArticlePage, Author, ArchiveImage, Media, User)
    }


def test_demo_newsroom_is_complete_and_seeding_again_adds_nothing(monkeypatch):
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", "--no-renditions", stdout=open("/dev/null", "w"))

    units = list(Unit.objects.select_related("site").order_by("pk"))
    assert len(units) >= 2
    first = units[0]
    assert (first.site.hostname, first.site.port, first.site.is_default_site) == ("localhost", 8000, True)
    for unit in units[1:]:
        assert unit.site.hostname == f"{unit.slug}.localhost"
    # Wagtail's "Welcome" starter page is gone: every site roots at a unit home.
    assert all(isinstance(site.root_page.specific, HomePage) for site in Site.objects.all())

    for unit in units:
        home = unit.site.root_page
        live = ArticlePage.objects.descendant_of(home).live()
        assert live.count() >= 30, unit.name
        assert set(live.values_list("format", flat=True)) == set(ArticleFormat.values), unit.name
        assert all(a.cover_image_id for a in live), "every demo story has a cover picture"
        # Vietnamese text, not placeholders.
        titles = " ".join(live.values_list("title", flat=True)).lower()
        assert any(ch in titles for ch in "ăâđêôơư")

    assert not ArchiveImage.objects.filter(credit="").exists()
    kinds = set(Media.objects.values_list("kind", flat=True))
    assert kinds == {Media.Kind.VIDEO, Media.Kind.AUDIO}
    for media in Media.objects.all():
        assert media.file.size > 0 and media.duration and media.poster_id

    for username in ["admin", f"{first.slug}.phongvien", f"{units[1].slug}.tongbientap"]:
        user = authenticate(username=username, password=DEFAULT_DEMO_PASSWORD)
        assert user is not None and user.has_perm("wagtailadmin.access_admin"), username

    assert str(User.objects.get(username=f"{first.slug}.phongvien")).split()[0] == "Nguyễn", "family name first"

    before = counts()
    call_command("seed_demo", "--no-renditions", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_a_seeded_story_is_found_by_its_title_typed_without_diacritics():
    call_command("seed_demo", "--no-renditions", stdout=open("/dev/null", "w"))
    unit = Unit.objects.order_by("pk")[1]
    home = unit.site.root_page
    article = ArticlePage.objects.descendant_of(home).live().filter(title__regex=r"[^\x00-\x7f]").first()
    assert list(search_articles(home, fold(article.title)))[0] == article


def test_seed_makes_the_renditions_the_templates_use():
    from newsroom.demo.seeding import DemoSeeder

    call_command("seed_demo", "--no-renditions", stdout=open("/dev/null", "w"))
    image = ArchiveImage.objects.order_by("pk").first()
    # The command's own step, on one picture: all of them takes minutes.
    DemoSeeder(domain="localhost", port=8000, password="x", log=lambda *a: None).pregenerate_renditions([image.pk])
    formats = {r.filter_spec.rsplit("format-", 1)[-1] for r in ArchiveRendition.objects.filter(image=image)}
    assert {"avif", "webp", "jpeg"} <= formats


def test_refuses_to_run_with_production_settings(settings):
    settings.SETTINGS_MODULE = PRODUCTION_SETTINGS
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--no-renditions")
    assert not Unit.objects.exists()
