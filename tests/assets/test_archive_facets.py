"""The archive's facets (assets.facets): each narrows the image library,
the image chooser, the video and audio listing and their chooser to what
a person expects, together with a search typed without diacritics
("duong sat" finds "Đường sắt"); another unit's private part stays out
whatever is asked; an empty result says what to try; a page of the grid
reads its posters' thumbnails without a query per item."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assets.collections import shared_collection
from assets.models import ArchiveImage, Media
from assets.services import generate_renditions
from newsroom.models import Unit
from tests.helpers import make_image, make_media
from tests.shared import built_once
from workflows.models import Role

pytestmark = pytest.mark.django_db

QUERY = "duong sat"
IMAGES, IMAGE_CHOOSER = "/admin/images/", "/admin/images/chooser/results/"
MEDIA, MEDIA_CHOOSER = "/admin/snippets/assets/media/", "/admin/snippets/choose/assets/media/results/"


def _moment(day):
    return timezone.make_aware(datetime.fromisoformat(day))


def build_archive(newsroom, staff):
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    province = Unit.objects.get(pk=newsroom.province.unit.pk)
    shared = shared_collection()
    today = timezone.localdate()
    pictures = {
        "landscape": make_image(
            "Đường sắt Thống Nhất qua Huế", size=(64, 36), collection=finance.archive_collection, license="cc-by",
            taken_at=_moment("2024-03-10T08:00"), latitude=16.46, longitude=107.59,
        ),
        "portrait": make_image(
            "Ga tàu điện Cát Linh", caption="Tuyến đường sắt đô thị", size=(36, 64), collection=province.archive_collection,
            license="agency", taken_at=_moment("2025-06-01T17:30"), license_expires_on=today + timedelta(days=5),
        ),
        "square": make_image("Đường sắt cao tốc phương án", size=(40, 40), collection=shared, license_expires_on=today - timedelta(days=3)),
        "own_private": make_image(
            "Đường sắt chưa công bố", size=(64, 36), collection=finance.private_collection,
            embargoed_until=timezone.now() + timedelta(days=2),
        ),
        "their_private": make_image("Đường sắt Đà Lạt bí mật", size=(64, 36), collection=province.private_collection, latitude=11.9),
        "other_words": make_image("Cầu Rồng phun lửa", size=(64, 36), collection=finance.archive_collection, license="cc-by", latitude=16.06),
    }
    ArchiveImage.objects.filter(pk=pictures["landscape"].pk).update(created_at=_moment("2023-01-05T09:00"))
    generate_renditions(pictures["landscape"].pk, ["max-165x165"])  # as the media worker makes it
    media = {
        "video": make_media(
            "video", "Tàu qua đèo Hải Vân", caption="Đường sắt Bắc Nam", duration=45, width=1920, height=1080,
            collection=finance.archive_collection, poster=pictures["landscape"],
            technical={"location": "+16.1939+108.1270/"},
        ),
        "upright": make_media(
            "video", "Đường sắt trên cao dọc phố", duration=200, width=1080, height=1920, collection=province.archive_collection,
            license_expires_on=today + timedelta(days=3),
        ),
        "talk": make_media("audio", "Phỏng vấn về đường sắt", duration=1500, collection=shared, license="agency"),
        "their_private": make_media(
            "video", "Đường sắt Lâm Đồng bí mật", duration=45, width=1920, height=1080, collection=province.private_collection,
            technical={"location": "+11.9+108.4/"},
        ),
        "other_words": make_media("audio", "Tiếng còi tàu", duration=30, collection=finance.archive_collection),
    }
    Media.objects.filter(pk=media["video"].pk).update(created_at=_moment("2023-02-01T10:00"))
    # Where the media worker is with each (it is not run here).
    Media.objects.filter(pk__in=[item.pk for item in media.values()]).update(state=Media.State.READY)
    Media.objects.filter(pk=media["upright"].pk).update(state=Media.State.PROCESSING)
    return {
        "pictures": {name: picture.title for name, picture in pictures.items()},
        "media": {name: item.title for name, item in media.items()},
        "collections": {
            "finance": finance.archive_collection_id, "finance_private": finance.private_collection_id, "shared": shared.pk,
            "province_private": province.private_collection_id,
        },
    }  # fmt: skip


_module_archive = built_once("archive", build_archive, "newsroom", "staff")


@pytest.fixture
def archive(_module_archive, shared_data, newsroom, staff):
    return shared_data(_module_archive, build_archive, newsroom, staff)


@pytest.fixture
def reporter(staff):
    client = Client()
    client.force_login(staff[Role.REPORTER])
    return client


def found(client, url, params, titles):
    response = client.get(url, {"q": QUERY, **params})
    assert response.status_code == 200, (url, params)
    page = response.content.decode()
    return {name for name, title in titles.items() if title in page}


def collection(archive, value):
    return archive["collections"][value[1:]] if value.startswith("@") else value


IMAGE_FACETS = [
    # (listing parameters, chooser parameters, found in the listing, found in the chooser)
    ({}, {}, {"landscape", "portrait", "square", "own_private"}, {"landscape", "portrait"}),
    ({"orientation": "landscape"}, None, {"landscape", "own_private"}, {"landscape"}),
    ({"orientation": "portrait"}, None, {"portrait"}, {"portrait"}),
    ({"orientation": "square"}, None, {"square"}, set()),
    ({"has_gps": "true"}, None, {"landscape"}, {"landscape"}),
    ({"has_gps": "false"}, None, {"portrait", "square", "own_private"}, {"portrait"}),
    ({"license": "agency"}, None, {"portrait"}, {"portrait"}),
    ({"collection_id": "@finance"}, None, {"landscape"}, {"landscape"}),
    ({"collection_id": "@finance_private"}, None, {"own_private"}, set()),
    ({"collection_id": "@shared"}, None, {"square"}, set()),
    ({"taken_at_from": "2025-01-01"}, {"taken_from": "2025-01-01"}, {"portrait"}, {"portrait"}),
    ({"taken_at_to": "2024-12-31"}, {"taken_to": "2024-12-31"}, {"landscape"}, {"landscape"}),
    ({"created_at_to": "2023-12-31"}, {"uploaded_to": "2023-12-31"}, {"landscape"}, {"landscape"}),
    ({"created_at_from": "2024-01-01"}, {"uploaded_from": "2024-01-01"}, {"portrait", "square", "own_private"}, {"portrait"}),
    ({"rights": "usable"}, {}, {"landscape", "portrait"}, {"landscape", "portrait"}),  # all the chooser offers
    ({"rights": "expiring"}, None, {"portrait"}, {"portrait"}),
    ({"rights": "expired"}, {}, {"square"}, {"landscape", "portrait"}),  # the chooser offers no expired licence
    ({"rights": "embargoed"}, {}, {"own_private"}, {"landscape", "portrait"}),
    ({"orientation": "landscape", "has_gps": "true", "license": "cc-by"}, None, {"landscape"}, {"landscape"}),
]


@pytest.mark.parametrize(("listing", "chooser", "in_listing", "in_chooser"), IMAGE_FACETS)
def test_each_facet_narrows_the_image_library_and_its_chooser_with_a_search(archive, reporter, listing, chooser, in_listing, in_chooser):
    listing = {name: collection(archive, value) for name, value in listing.items()}
    chooser = listing if chooser is None else chooser
    assert found(reporter, IMAGES, listing, archive["pictures"]) == in_listing
    assert found(reporter, IMAGES, {**listing, "layout": "list"}, archive["pictures"]) == in_listing
    assert found(reporter, IMAGE_CHOOSER, chooser, archive["pictures"]) == in_chooser


MEDIA_FACETS = [
    ({}, {"video", "upright", "talk"}),
    ({"kind": "audio"}, {"talk"}),
    ({"kind": "video"}, {"video", "upright"}),
    ({"orientation": "landscape"}, {"video"}),
    ({"orientation": "portrait"}, {"upright"}),
    ({"duration": "short"}, {"video"}),
    ({"duration": "medium"}, {"upright"}),
    ({"duration": "long"}, set()),
    ({"duration": "very-long"}, {"talk"}),
    ({"has_gps": "true"}, {"video"}),
    ({"has_gps": "false"}, {"upright", "talk"}),
    ({"state": "processing"}, {"upright"}),
    ({"state": "ready"}, {"video", "talk"}),
    ({"license": "agency"}, {"talk"}),
    ({"collection": "@shared"}, {"talk"}),
    ({"collection": "@finance"}, {"video"}),
    ({"created_at_to": "2023-12-31"}, {"video"}),
    ({"rights": "expiring"}, {"upright"}),
    ({"kind": "video", "has_gps": "true", "duration": "short"}, {"video"}),
]

# The chooser's names for what the listing's drawer calls otherwise.
CHOOSER_NAMES = {"collection": "collection_id", "created_at_to": "uploaded_to"}


@pytest.mark.parametrize(("params", "expected"), MEDIA_FACETS)
def test_each_facet_narrows_video_and_audio_and_their_chooser_with_a_search(archive, reporter, params, expected):
    params = {name: collection(archive, value) for name, value in params.items()}
    assert found(reporter, MEDIA, params, archive["media"]) == expected
    chooser = {CHOOSER_NAMES.get(name, name): value for name, value in params.items()}
    assert found(reporter, MEDIA_CHOOSER, chooser, archive["media"]) == expected


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"collection_id": "@province_private"},
        {"collection": "@province_private"},
        {"orientation": "landscape", "has_gps": "true"},
        {"kind": "video", "duration": "short", "has_gps": "true"},
        {"rights": "usable", "license": "all-rights-reserved"},
    ],
)
def test_another_unit_s_private_items_never_appear_whatever_the_facets(archive, reporter, params):
    params = {name: collection(archive, value) for name, value in params.items()}
    for url, titles in ((IMAGES, "pictures"), (IMAGE_CHOOSER, "pictures"), (MEDIA, "media"), (MEDIA_CHOOSER, "media")):
        chooser = {CHOOSER_NAMES.get(name, name): value for name, value in params.items()} if "chooser" in url else params
        for query in (QUERY, ""):
            response = reporter.get(url, {"q": query, **chooser})
            assert response.status_code == 200, url
            assert archive[titles]["their_private"] not in response.content.decode(), (url, params, query)


def test_the_unit_of_origin_offers_the_collections_the_person_sees_named_by_unit(archive, reporter, newsroom):
    page = reporter.get(IMAGES).content.decode()
    assert "Kho dùng chung (không thuộc đơn vị nào)" in page
    assert f">{newsroom.finance.unit.name}<" in page or f"{newsroom.finance.unit.name}\n" in page
    assert f"{newsroom.finance.unit.name} – Riêng" in page
    assert f"{newsroom.province.unit.name} – Riêng" not in page
    chooser = reporter.get("/admin/snippets/choose/assets/media/").json()["html"]
    assert "Đơn vị gốc" in chooser and f"{newsroom.finance.unit.name} – Riêng" in chooser
    assert f"{newsroom.province.unit.name} – Riêng" not in chooser


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (IMAGES, {"orientation": "square", "has_gps": "true"}),
        (IMAGE_CHOOSER, {"orientation": "square"}),
        (MEDIA, {"kind": "audio", "orientation": "landscape"}),
        (MEDIA_CHOOSER, {"duration": "long"}),
    ],
)
def test_a_search_and_facets_that_find_nothing_say_what_to_try(archive, reporter, url, params):
    page = reporter.get(url, {"q": QUERY, **params}).content.decode()
    assert "Không có tư liệu nào khớp với “duong sat” trong các bộ lọc đã chọn." in page
    assert "tìm kiếm nhận cả từ có dấu lẫn không dấu" in page
    page = reporter.get(url, params).content.decode()
    assert "Không có tư liệu nào khớp với các bộ lọc đã chọn." in page


def test_the_video_grid_shows_posters_kind_duration_and_processing(archive, staff):
    desk = Client()
    desk.force_login(staff[Role.DESK_EDITOR])  # who may change the unit's items
    page = desk.get(MEDIA, {"q": QUERY}).content.decode()
    assert 'class="archive-grid"' in page
    video = Media.objects.get(title=archive["media"]["video"])
    thumbnail = video.poster.renditions.get(filter_spec="max-165x165")
    assert thumbnail.url in page  # the poster's thumbnail, made by the worker
    assert "0:45" in page and "25:00" in page  # durations
    assert "Đang xử lý" in page  # the item still with the media worker
    # Without a poster, or before its thumbnail is made: a placeholder.
    assert page.count("archive-tile__placeholder") == 2
    # An item of another unit is listed without an edit link.
    upright = Media.objects.get(title=archive["media"]["upright"])
    assert f"/admin/snippets/assets/media/edit/{video.pk}/" in page
    assert f"/admin/snippets/assets/media/edit/{upright.pk}/" not in page


def _listing_of(count, newsroom):
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    for n in range(count):
        poster = make_image(f"Khung hình đường sắt {n}", size=(32, 18), collection=finance.archive_collection)
        generate_renditions(poster.pk, ["max-165x165"])
        make_media(
            "video", f"Đường sắt số {n}", duration=30 + n, width=1280, height=720, collection=finance.archive_collection,
            poster=poster, state=Media.State.READY, technical={"location": "+16+108/"} if n % 2 else {},
        )  # fmt: skip


@pytest.mark.parametrize("params", [{}, {"q": QUERY, "kind": "video", "orientation": "landscape", "has_gps": "false"}])
def test_a_page_of_thirty_items_reads_its_posters_without_a_query_per_item(newsroom, staff, reporter, django_assert_max_num_queries, params):
    _listing_of(3, newsroom)
    chooser = {CHOOSER_NAMES.get(name, name): value for name, value in params.items()}
    reporter.get(MEDIA, params)  # the session, the menus' caches
    counts = {}
    for url, asked in ((MEDIA, params), (MEDIA_CHOOSER, chooser)):
        with django_assert_max_num_queries(25) as few:
            assert reporter.get(url, asked).status_code == 200
        counts[url] = len(few.captured_queries)
    _listing_of(30, newsroom)
    # As many queries for a full page as for three items.
    with django_assert_max_num_queries(counts[MEDIA]):
        page = reporter.get(MEDIA, params).content.decode()
    assert page.count('class="archive-grid__item"') == (30 if not params else 17)  # a full page, or the landscape ones without GPS
    with django_assert_max_num_queries(counts[MEDIA_CHOOSER]):
        page = reporter.get(MEDIA_CHOOSER, chooser).content.decode()
    assert page.count('class="archive-grid__item"') == (20 if not params else 17)  # the chooser's page
