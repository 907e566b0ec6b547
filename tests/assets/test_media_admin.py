"""The archive's video and audio items open in the admin: edit, copy and
delete (their pages failed on a name clash: Django named the item "media"
in the template context, where Wagtail keeps the page's CSS and JS)."""

import pytest
from django.test import Client

from assets.models import Media
from tests.publishing.test_ninjs import make_media

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["video", "audio"])
def test_a_media_item_opens_for_edit_copy_and_delete(django_user_model, kind):
    item = make_media(kind, "Lễ khánh thành cầu Rồng", duration=95, credit="Video: Minh Đức")
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-thu-123"))

    for view in ("edit", "copy", "delete"):
        response = client.get(f"/admin/snippets/assets/media/{view}/{item.pk}/")
        assert response.status_code == 200, view
        assert "Lễ khánh thành cầu Rồng" in response.content.decode(), view

    response = client.post(f"/admin/snippets/assets/media/edit/{item.pk}/", {"title": "", "kind": kind})
    assert response.status_code == 200  # the form again, with its errors
    item.refresh_from_db()
    assert item.title == "Lễ khánh thành cầu Rồng"

    response = client.post(f"/admin/snippets/assets/media/delete/{item.pk}/")
    assert response.status_code == 302
    assert not Media.objects.filter(pk=item.pk).exists()
