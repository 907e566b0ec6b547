import pytest
from tests.helpers import make_staff
from workflows.models import Role
pytestmark = pytest.mark.django_db

def test_dump(newsroom, client):
    u = make_staff(newsroom.finance.unit, Role.REPORTER, "rep")
    from wagtail.users.models import UserProfile
    p = UserProfile.get_for_user(u); p.preferred_language = "en"; p.save()
    client.force_login(u)
    r = client.get(f"/admin/pages/add/newsroom/articlepage/{newsroom.finance.economy.pk}/")
    open("/tmp/add.html", "w").write(r.content.decode())
    print(r.status_code)
