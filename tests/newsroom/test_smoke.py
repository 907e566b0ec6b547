import pytest

from tests.helpers import make_article, make_author, make_image, make_section, make_unit


@pytest.mark.django_db
def test_article_slug_and_search(client):
    unit, home = make_unit(default=True)
    section = make_section(home)
    article = make_article(section, authors=[make_author()], cover_image=make_image())
    assert article.slug == "duong-sat-bac-nam"
    from newsroom.search import search_articles

    assert list(search_articles(home, "duong sat")) == [article]
    assert list(search_articles(home, "Đường sắt")) == [article]
