"""Every admin and chooser search box answers whatever is typed into it. A
double quote used to end SQLite's full-text query early (a 500 on every
Wagtail search box); the authors' search failed on SQLite whatever was
typed. Run on both databases."""

from urllib.parse import quote

import pytest
from django.test import Client

from assets.text import fold

pytestmark = pytest.mark.django_db

SEARCH_BOXES = [
    "/admin/pages/search/",
    "/admin/pages/{home}/",
    "/admin/choose-page/search/",
    "/admin/images/",
    "/admin/images/chooser/results/",
    "/admin/documents/",
    "/admin/documents/chooser/results/",
    "/admin/snippets/assets/media/",
    "/admin/snippets/newsroom/author/",
    "/admin/users/",
]


@pytest.fixture
def editor(newsroom, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-thu-123"))
    return client


@pytest.mark.parametrize("typed", ['"', 'ngân sách"', '"ngân sách', 'Bộ "Tài chính" công bố', '""'])
def test_a_quote_in_any_search_box_is_a_character_like_any_other(editor, newsroom, typed):
    for box in SEARCH_BOXES:
        url = box.format(home=newsroom.finance.home.pk)
        response = editor.get(f"{url}?q={quote(typed)}")
        assert response.status_code == 200, url


def test_a_quoted_phrase_still_finds_its_story(editor, newsroom):
    response = editor.get("/admin/pages/search/", {"q": '"dự toán ngân sách"'})
    assert response.status_code == 200
    assert newsroom.finance.budget.title in response.content.decode()
    response = editor.get("/admin/pages/search/", {"q": '"ngân sách dự toán"'})
    assert newsroom.finance.budget.title not in response.content.decode()


@pytest.mark.parametrize("typed", ["Bình", "binh", fold("Trần Thị Bình")])
def test_authors_are_found_with_or_without_diacritics(editor, newsroom, typed):
    response = editor.get("/admin/snippets/newsroom/author/", {"q": typed})
    assert response.status_code == 200
    assert newsroom.reporter.name in response.content.decode()
    assert newsroom.reporter.name not in editor.get("/admin/snippets/newsroom/author/", {"q": "Hoàng"}).content.decode()
