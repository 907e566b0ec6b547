from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.helpers import image_block, make_article, make_author, make_image, make_section, make_unit, paragraph


def clear_caches():
    for alias in settings.CACHES:
        backend = caches[alias]
        if hasattr(backend, "delete_pattern"):
            # django-redis: clear() would FLUSHDB the shared Redis (other test
            # runs, Celery queues); delete only this run's prefixed keys.
            backend.delete_pattern("*")
        else:
            backend.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache, Wagtail's site-root cache and the rendition cache would
    # otherwise carry rows from a rolled-back test into the next one.
    clear_caches()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def build_newsroom():
    """Two press units with a little content each (small images keep AVIF
    encoding cheap). Returned as a namespace so tests read like prose."""
    finance_unit, finance_home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    province_unit, province_home = make_unit("lamdong", "Báo Lâm Đồng")
    reporter = make_author("Trần Thị Bình", job_title="Phóng viên")

    cover = make_image("Đoàn tàu Thống Nhất", size=(640, 360), credit="Ảnh: Minh Đức", caption="Đoàn tàu Thống Nhất qua đèo Hải Vân")
    site_photo = make_image("Công trường", color=(30, 90, 160), size=(640, 360), credit="Ảnh: TTXVN", caption="Công trường ga Ngọc Hồi")
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
        cover_image=make_image("Trụ sở Bộ Tài chính", color=(200, 160, 40), size=(640, 360)),
        authors=[reporter],
    )

    news = make_section(province_home, "Thời sự")
    bus = make_article(
        news,
        title="Đà Lạt mở tuyến xe buýt điện đầu tiên",
        sapo="Tuyến xe buýt điện nối trung tâm Đà Lạt với sân bay Liên Khương.",
        cover_image=make_image("Xe buýt điện", color=(40, 140, 70), size=(640, 360)),
    )
    return SimpleNamespace(
        finance=SimpleNamespace(unit=finance_unit, home=finance_home, economy=economy, finance=finance, rail=rail, budget=budget),
        province=SimpleNamespace(unit=province_unit, home=province_home, news=news, bus=bus),
        reporter=reporter,
        cover=cover,
        site_photo=site_photo,
    )


@pytest.fixture
def newsroom(db):
    return build_newsroom()
