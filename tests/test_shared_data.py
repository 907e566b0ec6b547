"""The shared test data of tests/conftest.py: the run's newsroom, built
once, reaches only the tests that ask for it, and no test's changes reach
the next."""

import pytest
from django.core.files.storage import default_storage

from newsroom.models import ArticlePage, Unit
from tests.helpers import make_unit

pytestmark = [
    pytest.mark.once,  # the fixtures' bookkeeping; both databases run the same savepoints
    pytest.mark.django_db,
]


def test_a_test_that_does_not_ask_for_the_newsroom_sees_none():
    assert not Unit.objects.exists()
    assert not ArticlePage.objects.exists()


def test_a_test_that_asks_for_the_newsroom_finds_it_with_its_files(newsroom):
    assert set(Unit.objects.values_list("slug", flat=True)) == {"taichinh", "lamdong"}
    assert default_storage.exists(newsroom.cover.file.name)
    rendition = newsroom.cover.renditions.first()
    assert rendition is not None and default_storage.exists(rendition.file.name)


@pytest.mark.parametrize("turn", [1, 2])
def test_no_change_reaches_the_next_test(newsroom, turn):
    """Each turn changes the rows, the objects and the files it was given and
    adds a unit; the other turn finds none of it."""
    rail = newsroom.finance.rail
    assert rail.title == "Đường sắt Bắc–Nam được phê duyệt chủ trương đầu tư"
    assert ArticlePage.objects.get(pk=rail.pk).title == rail.title
    assert not Unit.objects.filter(slug="thu").exists()
    assert default_storage.exists(newsroom.cover.file.name)
    rail.title = f"Đổi lần {turn}"
    rail.save()
    make_unit("thu", "Báo Thử")
    default_storage.delete(newsroom.cover.file.name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_builds_its_own_and_commits_it(newsroom):
    assert Unit.objects.count() == 2
    assert ArticlePage.objects.get(pk=newsroom.finance.rail.pk).live
