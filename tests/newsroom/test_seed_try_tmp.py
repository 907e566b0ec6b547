import io, time, pytest
from django.core.management import call_command
from newsroom.demo import newsdesk
pytestmark = pytest.mark.django_db
def test_try():
    spent=[0.0]
    orig=newsdesk.NewsDesk.seed
    def timed(self, plan):
        t=time.monotonic(); r=orig(self, plan); spent[0]+=time.monotonic()-t; return r
    newsdesk.NewsDesk.seed=timed
    out = io.StringIO(); t=time.monotonic()
    call_command("seed_demo", "--no-renditions", stdout=out)
    print("first", time.monotonic()-t, "desk", spent[0])
