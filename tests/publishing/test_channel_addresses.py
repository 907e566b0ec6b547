"""In production the worker sends a channel's posts and credentials only to
public Internet addresses: the host itself, private networks and the cloud
metadata service are refused before anything is sent (redirects included),
unless the installation allows a self-hosted platform's network."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publishing import services
from publishing.adapters.addresses import AddressRefused, GuardedSession, check_url, requests_environment
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article, make_section, make_unit
from tests.publishing.conftest import make_channel

# Nothing here can differ on PostgreSQL + Redis (addresses checked): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture
def production_rule(settings):
    settings.PUBLISHING_REFUSE_PRIVATE_ADDRESSES = True
    settings.PUBLISHING_ALLOWED_NETWORKS = []
    return settings


@pytest.fixture
def finance(db):
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    return unit, make_section(home, "Kinh tế")


def deliver(story, channel):
    delivery = Delivery.objects.get(story=story, channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8025/telegram",
        "http://localhost/wp-json",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://172.16.0.5/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::1]/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://203.0.113.5/hook",
    ],
)
def test_the_host_private_and_reserved_networks_are_refused(production_rule, url):
    with pytest.raises(AddressRefused):
        check_url(url)


def test_public_addresses_pass_and_the_rule_can_be_off(production_rule):
    check_url("https://8.8.8.8/bot123/sendMessage")
    check_url("https://[2001:4860:4860::8888]/")
    production_rule.PUBLISHING_REFUSE_PRIVATE_ADDRESSES = False
    check_url("http://127.0.0.1:8025/telegram")


def test_a_channel_inside_the_host_fails_with_the_reason_and_nothing_is_sent(production_rule, fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "telegram", fake_platforms)
    story = make_article(section, title="Tin không được gửi vào mạng nội bộ")
    delivery = deliver(story, channel)
    assert delivery.state == DeliveryState.FAILED
    assert "127.0.0.1" in delivery.error and "PUBLISHING_ALLOWED_NETWORKS" in delivery.error
    assert fake_platforms.requests_to("telegram") == []


def test_an_allowed_network_is_posted_to(production_rule, fake_platforms, finance):
    production_rule.PUBLISHING_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    unit, section = finance
    channel = make_channel(unit, "telegram", fake_platforms)
    story = make_article(section, title="Tin gửi tới máy chủ tự vận hành")
    delivery = deliver(story, channel)
    assert delivery.state == DeliveryState.DELIVERED, delivery.error
    assert story.title in fake_platforms.live_posts("telegram")[delivery.remote_id]["text"]


class RedirectToAnotherHost(BaseHTTPRequestHandler):
    """An allowed host that sends the worker on to 127.0.0.2 (also this
    machine, outside the allowed /32)."""

    seen = []

    def do_POST(self):  # noqa: N802 — the name http.server calls
        RedirectToAnotherHost.seen.append(self.path)
        self.send_response(307)
        self.send_header("Location", f"http://127.0.0.2:{self.server.server_address[1]}{self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


def test_a_redirect_into_a_refused_network_is_not_followed(production_rule, finance):
    production_rule.PUBLISHING_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = ThreadingHTTPServer(("0.0.0.0", 0), RedirectToAnotherHost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    RedirectToAnotherHost.seen = []
    try:
        unit, section = finance
        channel = make_channel(unit, "webhook", credentials={"secret": "bi-mat-cua-kenh"})
        channel.base_url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        channel.save()
        story = make_article(section, title="Tin bị chuyển hướng")
        delivery = deliver(story, channel)
    finally:
        server.shutdown()
        server.server_close()
    assert delivery.state == DeliveryState.FAILED
    assert "127.0.0.2" in delivery.error
    assert len(RedirectToAnotherHost.seen) == 1, "the redirect's target was never asked"


@pytest.fixture
def environment(monkeypatch):
    """This process's environment as a worker starts with it (read once)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    requests_environment.cache_clear()
    yield monkeypatch
    requests_environment.cache_clear()


def test_a_ca_bundle_named_in_the_environment_is_used_without_reading_it_per_request(environment, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    environment.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    session = GuardedSession()
    assert session.verify == str(bundle)
    # Nothing else is looked up before each request (proxies, ~/.netrc).
    assert session.trust_env is False
    assert session.merge_environment_settings("https://graph.facebook.com/", {}, None, None, None)["verify"] == str(bundle)


def test_a_proxy_named_in_the_environment_is_used_and_no_proxy_respected(environment):
    environment.setenv("HTTPS_PROXY", "http://proxy.toasoan.vn:3128")
    environment.setenv("NO_PROXY", "doitac.toasoan.vn")
    session = GuardedSession()
    assert session.trust_env is True
    assert session.merge_environment_settings("https://graph.facebook.com/", {}, None, None, None)["proxies"]["https"] == "http://proxy.toasoan.vn:3128"
    assert "https" not in session.merge_environment_settings("https://doitac.toasoan.vn/", {}, None, None, None)["proxies"]
