"""ADMIN_ALLOWED_NETWORKS: the admin answers only from the listed networks,
the public site from anywhere; behind a proxy the forwarded address counts
only as far as TRUSTED_PROXY_COUNT trusts it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hoitu.admin_networks import AdminNetworkMiddleware

pytestmark = pytest.mark.django_db

NEWSROOM = ["10.20.0.0/16", "203.0.113.7"]


@pytest.fixture
def admin_limited(settings):
    settings.ADMIN_ALLOWED_NETWORKS = NEWSROOM
    # The middleware reads the list once, when the handler is built.
    settings.MIDDLEWARE = list(settings.MIDDLEWARE)


def test_the_admin_answers_only_from_the_listed_networks(admin_limited, client, newsroom):
    refused = client.get("/admin/login/", REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Trang quản trị không mở từ mạng này" in page and "<form" not in page
    assert client.get("/admin/login/", REMOTE_ADDR="10.20.5.6").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="203.0.113.7").status_code == 200
    # The public site is for everyone.
    assert client.get("/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(admin_limited, client, newsroom):
    forged = {"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "10.20.5.6"}
    assert client.get("/admin/login/", **forged).status_code == 403
    with override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1}):
        proxied = {"REMOTE_ADDR": "172.18.0.2", "HTTP_X_FORWARDED_FOR": "10.20.5.6"}
        assert client.get("/admin/login/", **proxied).status_code == 200


def test_an_empty_list_leaves_the_admin_open(client, newsroom):
    assert client.get("/admin/login/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_a_mistyped_network_stops_the_server_from_starting(settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="ADMIN_ALLOWED_NETWORKS"):
        AdminNetworkMiddleware(lambda request: None)
