import pytest
from django.db import connection
from wagtail.models import Page
from tests.helpers import build_newsroom

@pytest.mark.parametrize("n", [1, 2, 3])
def test_dbg(transactional_db, django_db_serialized_rollback, live_server, n):
    print("N", n, list(Page.objects.values_list("depth", "path")))
    build_newsroom()
