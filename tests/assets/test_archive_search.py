"""The archive's search boxes (the image library, its chooser, video and
audio) find an item by its title, caption or credit, with or without
diacritics (đ included), on both databases. The video and audio listing
answered 500 to any word on SQLite ("no such column: caption": the
listing named fields the full-text table does not have), and a picture
was found only as typed."""

import pytest

from tests.helpers import make_image, make_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(newsroom):
    rail_video = make_media("video", "Đoàn tàu Thống Nhất qua đèo Hải Vân", caption="Tàu SE1 rời ga Đà Nẵng", credit="Video: Minh Đức")
    talk = make_media("audio", "Phỏng vấn Bộ trưởng Tài chính", caption="Dự toán ngân sách", credit="Âm thanh: Lê Hà")
    return rail_video, talk


def found(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200, (url, query)
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["Đoàn tàu", "doan tau", "DOAN TAU", "đèo Hải Vân", "deo hai van", "Đà Nẵng", "da nang", "Minh Đức", "minh duc"],
)
def test_video_and_audio_are_found_with_or_without_diacritics(archivist, archive, query):
    rail_video, talk = archive
    page = found(archivist, "/admin/snippets/assets/media/", query)
    assert rail_video.title in page
    assert talk.title not in page


def test_video_and_audio_search_with_a_filter(archivist, archive):
    rail_video, talk = archive
    page = found(archivist, "/admin/snippets/assets/media/?kind=audio&license=all-rights-reserved", "ngan sach")
    assert talk.title in page and rail_video.title not in page
    collection = talk.collection_id
    page = found(archivist, f"/admin/snippets/assets/media/?collection={collection}", "bo truong")
    assert talk.title in page


@pytest.mark.parametrize(
    ("query", "which"),
    [
        ("Đoàn tàu", "cover"),
        ("doan tau thong nhat", "cover"),
        ("deo hai van", "cover"),  # in the caption only
        ("ngoc hoi", "site_photo"),
        ("Ngọc Hồi", "site_photo"),
        ("ttxvn", "site_photo"),  # the credit
    ],
)
def test_pictures_are_found_with_or_without_diacritics_in_the_library_and_the_chooser(archivist, newsroom, query, which):
    wanted = getattr(newsroom, which)
    other = newsroom.site_photo if which == "cover" else newsroom.cover
    for url in ("/admin/images/", "/admin/images/chooser/results/"):
        page = found(archivist, url, query)
        assert wanted.title in page, url
        assert f">{other.title}<" not in page, url


def test_a_picture_saved_again_is_found_by_its_new_words(archivist, newsroom):
    picture = make_image("Cầu Rồng", size=(64, 36))
    assert "Cầu Rồng" not in found(archivist, "/admin/images/", "phun lua")
    picture.caption = "Cầu Rồng phun lửa đêm cuối tuần"
    picture.save()
    assert "Cầu Rồng" in found(archivist, "/admin/images/", "phun lua")


def test_a_recording_is_found_by_the_words_of_its_transcript_without_diacritics(archivist, newsroom):
    make_media("audio", "Bản tin chiều", transcript="Mưa lớn kéo dài ở Đà Lạt, đường đèo Prenn tạm đóng.")
    make_media("audio", "Bản tin sáng", transcript="Giá xăng giảm nhẹ từ hôm nay.")
    page = found(archivist, "/admin/snippets/assets/media/", "mua lon deo prenn")
    assert "Bản tin chiều" in page and "Bản tin sáng" not in page


def test_a_picture_is_found_by_its_keywords_without_diacritics(archivist, newsroom):
    picture = make_image("Ảnh chợ phiên", size=(32, 32))
    picture.tags.add("lễ hội đường phố")
    picture.save()
    for url in ("/admin/images/", "/admin/images/chooser/results/"):
        assert "Ảnh chợ phiên" in found(archivist, url, "le hoi duong pho")
