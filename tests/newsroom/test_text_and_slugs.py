import re
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from assets.text import WORDS_PER_MINUTE, ascii_slug, fold, reading_minutes, word_count
from newsroom.models import ArticlePage
from tests.helpers import make_article, make_author, make_section, make_unit, paragraph

# Nothing here can differ on PostgreSQL + Redis (text folding and slugs): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đường sắt Bắc–Nam", "duong-sat-bac-nam"),
        ("đê điều ĐÀ NẴNG", "de-dieu-da-nang"),
        ("Bộ Tài chính: thu ngân sách 9 tháng đạt 1.541 nghìn tỷ đồng!", "bo-tai-chinh-thu-ngan-sach-9-thang-dat-1541-nghin-ty-dong"),
        ("  Giá xăng   giảm  ", "gia-xang-giam"),
        ("“Nóng” – ‘lạnh’ …", "nong-lanh"),
    ],
)
def test_ascii_slug_transliterates_vietnamese(text, slug):
    assert ascii_slug(text) == slug


def test_ascii_slug_respects_max_length_without_trailing_hyphen():
    assert ascii_slug("Đường sắt Bắc Nam", max_length=11) == "duong-sat-b"
    assert ascii_slug("Đường sắt Bắc Nam", max_length=10) == "duong-sat"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường sắt", "duong sat"),
        ("ĐƯỜNG SẮT", "duong sat"),
        ("Bộ Tài chính", "bo tai chinh"),
        ("đđĐĐ", "dddd"),
        # Decomposed input (macOS, some Word exports) folds like composed input.
        ("Đu\u031bo\u031b\u0300ng", "duong"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_is_lower_case_ascii(text, folded):
    assert fold(text) == folded


def unidecoded(text):
    """What fold gives by its definition (its fast path must not differ)."""
    return unidecode(unicodedata.normalize("NFC", text)).lower()


def test_fold_gives_unidecodes_ascii_for_every_character():
    different = [hex(c) for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF and fold(chr(c)) != unidecoded(chr(c))]
    assert different == []


VIETNAMESE_AND_MORE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ "
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "–“”…\u0301\u0323ß北😀≠"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(VIETNAMESE_AND_MORE), max_size=80))
def test_fold_gives_unidecodes_ascii_for_vietnamese_text(text):
    assert fold(text) == unidecoded(text)


def test_word_count_and_reading_time():
    assert word_count("Đường sắt Bắc–Nam dài 1.541 km.") == 7
    # Vietnamese numbers ("2,5 triệu", "1.541") are one word each.
    assert word_count("Thu 2,5 triệu tỷ, tăng 10.5%") == 6
    assert word_count("") == 0
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(WORDS_PER_MINUTE) == 1
    assert reading_minutes(WORDS_PER_MINUTE + 1) == 2


@pytest.fixture
def economy(db):
    _unit, home = make_unit(default=True)
    return make_section(home, "Kinh tế")


def test_article_slug_is_generated_from_the_vietnamese_title(economy):
    article = make_article(economy, title="Đường sắt Bắc–Nam")
    assert article.slug == "duong-sat-bac-nam"
    assert article.url == "/kinh-te/duong-sat-bac-nam/"
    assert economy.slug == "kinh-te"


def test_same_title_in_one_section_gets_a_suffix_and_other_sections_do_not(economy):
    first = make_article(economy, title="Đường sắt Bắc–Nam")
    second = make_article(economy, title="Đường sắt Bắc–Nam")
    elsewhere = make_article(make_section(economy.get_parent(), "Xã hội"), title="Đường sắt Bắc–Nam")
    assert first.slug == "duong-sat-bac-nam"
    assert second.slug == "duong-sat-bac-nam-2"
    assert elsewhere.slug == "duong-sat-bac-nam"


def test_draft_gets_the_same_ascii_slug_and_address(economy):
    # Wagtail validates drafts with a shorter clean that slugifies on its
    # own ("Đà" → "a"); the draft's slug and stored address must still agree.
    draft = make_article(economy, title="Chợ phiên Đà Lạt", publish=False)
    assert draft.slug == "cho-phien-da-lat"
    assert draft.url_path.endswith("/kinh-te/cho-phien-da-lat/")


def test_editor_chosen_slug_is_kept(economy):
    article = make_article(economy, title="Đường sắt Bắc–Nam", slug="tau-cao-toc")
    assert article.slug == "tau-cao-toc"
    article.title = "Đường sắt Bắc–Nam: Quốc hội thông qua"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.slug == "tau-cao-toc"


def test_slug_the_admin_script_garbled_is_repaired(economy):
    """The admin's slug script drops letters with two marks ("Chợ nổi" →
    "ch-ni"); the server puts them back, but a slug of the editor's own words
    stays."""
    garbled = make_article(economy, title="Chợ nổi Cái Răng vào mùa trái cây", slug="ch-ni-cai-rang-vao-mua-trai-cay")
    assert garbled.slug == "cho-noi-cai-rang-vao-mua-trai-cay"
    chosen = make_article(economy, title="Chợ nổi Cái Răng vào mùa", slug="cai-rang")
    assert chosen.slug == "cai-rang"


def test_author_slug_is_ascii_and_unique(db):
    assert make_author("Nguyễn Văn Đông").slug == "nguyen-van-dong"
    assert make_author("Nguyễn Văn Đông").slug == "nguyen-van-dong-2"


def test_word_count_and_reading_time_are_computed_from_the_body_on_save(economy):
    body_words = " ".join(["chữ"] * (WORDS_PER_MINUTE * 2))
    article = make_article(economy, title="Bài dài", sapo="Ba chữ thôi.", body=[paragraph(body_words), ("quote", {"text": "Một câu trích", "attribution": ""})])
    assert article.word_count == 3 + WORDS_PER_MINUTE * 2 + 3
    assert article.reading_time == 3

    article.body = [paragraph("Ngắn gọn.")]
    article.save_revision().publish()
    article.refresh_from_db()
    assert (article.word_count, article.reading_time) == (5, 1)


def test_the_preview_gives_the_editors_checks_the_storys_own_words(economy):
    """Wagtail's checks panel counts the words of the preview's first
    "main": the story's sapo and body, not the menus, byline, related
    stories and footer around them (it said 257 for a body of 128)."""
    article = make_article(
        economy, title="Giá xăng giảm lần thứ ba", sapo="Giá xăng giảm từ 15 giờ chiều nay.", body=[paragraph("Mỗi lít rẻ hơn 300 đồng.")]
    )
    preview = article.make_preview_request().content.decode()
    counted = re.search(r'<(main|div role="main")[^>]*>', preview)
    assert counted.group(0) == '<div role="main" hidden data-hoitu-counted>'
    text = preview[counted.end() : preview.index("</div>", counted.end())]
    assert word_count(text) == article.word_count == 8 + 6
    # Readers' pages keep one main, the page's.
    page = Client().get(article.url).content.decode()
    assert "data-hoitu-counted" not in page and page.count("<main") == 1


def _article_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kicker": "",
            "sapo": "Quốc hội thông qua chủ trương đầu tư.",
            "format": "standard",
            "language": "vi",
            "cover_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Tuyến đường sắt dài 1.541 km.</p>"))]),
            "tags": "",
            "seo_title": "",
            "search_description": "",
            "og_title": "",
            "og_description": "",
            "article_authors": inline_formset([{"author": "{author}"}], min=1),
            "corrections": inline_formset([]),
            "channel_copies": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("bientap", "bientap@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return client


def test_editor_creates_article_with_own_slug_in_the_admin(admin_client, economy):
    """The real editor path through Wagtail's create view (the admin's own
    script fills the slug field from the title; here the editor changed it)."""
    author = make_author()
    data = {k: (str(author.pk) if v == "{author}" else v) for k, v in _article_form("Đường sắt Bắc–Nam", "tau-cao-toc").items()}
    response = admin_client.post(f"/admin/pages/add/newsroom/articlepage/{economy.pk}/", data)
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="Đường sắt Bắc–Nam")
    assert article.slug == "tau-cao-toc"
    assert article.url == "/kinh-te/tau-cao-toc/"
    assert article.live
    assert [a.name for a in article.authors] == [author.name]


def test_a_live_storys_garbled_address_leads_to_its_repaired_one(economy, django_capture_on_commit_callbacks):
    """A story published with the admin script's garbled slug (before the
    script folded Vietnamese) gets its letters back at its next save; the
    old address, already shared on Telegram and X, answers with a
    permanent redirect to the new one."""
    story = make_article(economy, title="Kho bạc: thu chi đảm bảo")
    garbled_path = story.url_path.replace("kho-bac-thu-chi-dam-bao", "kho-bc-thu-chi-djm-bo")
    ArticlePage.objects.filter(pk=story.pk).update(slug="kho-bc-thu-chi-djm-bo", url_path=garbled_path)
    story.refresh_from_db()
    old = story.url
    assert old == "/kinh-te/kho-bc-thu-chi-djm-bo/"

    story.sapo = "Kho bạc Nhà nước bảo đảm thu chi."
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail announces the new slug once the change commits
        story.save_revision().publish()
    story.refresh_from_db()
    assert story.slug == "kho-bac-thu-chi-dam-bao"
    reader = Client()
    moved = reader.get(old, HTTP_HOST="localhost")
    assert (moved.status_code, moved["Location"].removeprefix("http://localhost")) == (301, "/kinh-te/kho-bac-thu-chi-dam-bao/")
    assert reader.get(moved["Location"], HTTP_HOST="localhost").status_code == 200
