"""No reader's request encodes a picture: a page whose pictures have no
renditions yet answers with what exists (the original when it is small
enough, else a placeholder), asks the media worker for the rest once, and
is not kept in the page cache until they are made."""

import pytest
from django.core.cache import cache

from assets.models import ArchiveRendition
from assets.services import generate_renditions
from relay.models import QueuedTask
from tests.helpers import host, make_article, make_image, make_section, make_unit

pytestmark = pytest.mark.django_db

TASK = "assets.tasks.generate_renditions"


@pytest.fixture
def story(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()  # what earlier tests asked of the worker, and their pages
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Kinh tế")
    cover = make_image("Cầu Thăng Long", size=(1600, 900))
    article = make_article(section, title="Cầu Thăng Long sửa xong mặt đường", cover_image=cover)
    QueuedTask.objects.all().delete()  # the uploads' own requests for renditions
    return unit, article, cover


def asked_for(image):
    return [row.args for row in QueuedTask.objects.filter(task=TASK) if row.args[0] == image.pk]


def test_a_page_with_pictures_not_made_answers_with_the_original_and_asks_the_worker(client, story):
    unit, article, cover = story

    for url in (article.url, "/", article.get_parent().url):
        response = client.get(url, **host(unit))
        assert response.status_code == 200, url
        page = response.content.decode()
        assert cover.file.url in page, url  # the original, shown as it is meanwhile
        assert response["X-Cache"] == "SKIP" and "max-age=10" in response["Cache-Control"]

    assert not ArchiveRendition.objects.filter(image=cover).exists()  # nothing encoded
    # Asked once per set of sizes, however many readers came.
    requests = asked_for(cover)
    assert requests and len(requests) == len({tuple(args[1]) for args in requests})

    # The worker makes them: the page shows them and is cached again.
    for args in requests:
        generate_renditions(*args)
    first = client.get(article.url, **host(unit))
    page = first.content.decode()
    assert '<source type="image/avif"' in page and cover.file.url not in page
    assert first["X-Cache"] == "MISS"
    assert client.get(article.url, **host(unit))["X-Cache"] == "HIT"


def test_an_original_too_large_to_show_is_a_placeholder_until_made(client, story, settings):
    unit, article, cover = story
    settings.RENDITION_FALLBACK_MAX_BYTES = 1_000  # the test picture is larger

    page = client.get(article.url, **host(unit)).content.decode()

    assert cover.file.url not in page
    assert 'class="picture-pending' in page and 'aria-label="' in page
    assert not ArchiveRendition.objects.filter(image=cover).exists()
    assert asked_for(cover)


def test_feeds_and_the_partner_api_never_make_a_rendition(client, story):
    unit, article, cover = story

    feed = client.get("/rss/", **host(unit))
    assert feed.status_code == 200
    assert cover.file.url in feed.content.decode()  # the original, small enough
    assert not ArchiveRendition.objects.filter(image=cover).exists()
    assert asked_for(cover)


def test_a_units_logo_waits_for_its_rendition_showing_the_units_name(client, story):
    """Readers may fetch an original only once a live story shows it: a
    logo's is not offered meanwhile (it would answer 404)."""
    unit, article, _cover = story
    unit.logo = make_image("Logo", size=(400, 100))
    unit.save()

    page = client.get(article.url, **host(unit)).content.decode()

    assert unit.logo.file.url not in page and 'class="brand__logo"' not in page
    assert f'<span class="brand__name">{unit.name}</span>' in page
    assert [args for args in asked_for(unit.logo) if len(args) > 1] == [[unit.logo.pk, ["height-96"]]]  # (its upload asked for the rest)
    generate_renditions(unit.logo.pk, ["height-96"])
    assert 'class="brand__logo"' in client.get(article.url, **host(unit)).content.decode()
