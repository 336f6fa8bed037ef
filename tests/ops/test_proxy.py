"""Behind the proxy, rate limits count the real client; without a trusted proxy, forwarded
headers are ignored (issue 12 item 3, issue 20 "proxy headers").

The second half runs a real nginx (Debian's) with the shipped docker/nginx.conf in front
of the live server, clients connecting from distinct loopback addresses."""

import http.client
import re
import urllib.parse

import pytest

from tests.ops.nginx import running_nginx

pytestmark = pytest.mark.django_db

SIGNUP = "/compte/signup/"
SIGNUP_LIMIT = 10  # ACCOUNT_RATE_LIMITS["signup"] = "10/m/ip"


def signup_attempt(client, remote_addr, forwarded_for=None):
    """One sign-up POST (empty: refused by the form, but counted by the rate limit)."""
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(SIGNUP, {}, **extra).status_code


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_IPS = ["10.0.0.254"]


def test_without_trusted_proxy_forged_forwarded_for_does_not_dodge_the_limit(client, settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default
    statuses = [
        signup_attempt(client, "198.51.100.7", forwarded_for=f"203.0.113.{i}")
        for i in range(SIGNUP_LIMIT + 1)
    ]
    assert statuses[:SIGNUP_LIMIT] == [200] * SIGNUP_LIMIT
    assert statuses[-1] == 429


def test_behind_the_proxy_each_client_has_its_own_count(client, behind_one_proxy):
    proxy = "10.0.0.254"
    for _ in range(SIGNUP_LIMIT):
        assert signup_attempt(client, proxy, forwarded_for="203.0.113.5") == 200
    # The eleventh try of that client is refused, even with a forged first hop…
    assert signup_attempt(client, proxy, forwarded_for="1.2.3.4, 203.0.113.5") == 429
    # …while another person behind the same proxy is not locked out.
    assert signup_attempt(client, proxy, forwarded_for="203.0.113.6") == 200


def test_forwarded_for_from_a_peer_that_is_not_the_proxy_is_ignored(client, behind_one_proxy):
    for i in range(SIGNUP_LIMIT):
        assert signup_attempt(client, "198.51.100.7", forwarded_for=f"203.0.113.{i}") == 200
    assert signup_attempt(client, "198.51.100.7", forwarded_for="203.0.113.99") == 429


def test_a_short_forwarded_for_falls_back_to_the_peer_not_a_500(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXY_IPS = []
    assert signup_attempt(client, "10.0.0.254", forwarded_for="203.0.113.5") == 200


def test_forwarded_proto_is_trusted_only_from_the_proxy(client, settings, behind_one_proxy):
    settings.SECURE_SSL_REDIRECT = True
    # From the proxy: "https" is believed, no redirect.
    assert (
        client.get(
            "/besoin-d-aide/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_PROTO="https"
        ).status_code
        == 200
    )
    # From anybody else: the header is dropped, the plain-HTTP request is redirected.
    forged = client.get(
        "/besoin-d-aide/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https"
    )
    assert forged.status_code == 301 and forged["Location"].startswith("https://")
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    no_proxy = client.get(
        "/besoin-d-aide/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_PROTO="https"
    )
    assert no_proxy.status_code == 301


# --- Through a real nginx with the shipped configuration -------------------------------


def request(port, method, path, *, source, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response, payload


def csrf_of(port, source):
    response, payload = request(port, "GET", SIGNUP, source=source)
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', payload).group(1)
    return cookie, token.decode()


def nginx_signup(port, source, *, forwarded_for=None, origin=None, extra_headers=None):
    cookie, token = csrf_of(port, source)
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin or f"http://127.0.0.1:{port}",
    }
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    headers.update(extra_headers or {})
    response, _ = request(
        port, "POST", SIGNUP, source=source, headers=headers, body=f"csrfmiddlewaretoken={token}"
    )
    return response.status


@pytest.mark.django_db(transaction=True)
def test_through_nginx_rate_limits_count_each_client_not_the_proxy(live_server, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]  # nginx connects to the portal from here
    with running_nginx(live_server) as port:
        # A cross-site-protected POST from http://127.0.0.1:<port> passes CSRF (Host keeps
        # the port), and the first client's tries are counted against its own address.
        statuses = [
            nginx_signup(port, "127.0.0.2", forwarded_for=f"203.0.113.{i}")
            for i in range(SIGNUP_LIMIT + 1)
        ]
        assert statuses[:SIGNUP_LIMIT] == [200] * SIGNUP_LIMIT
        assert statuses[-1] == 429  # forging X-Forwarded-For did not help
        assert nginx_signup(port, "127.0.0.3") == 200  # the next person is not locked out


@pytest.mark.django_db(transaction=True)
def test_through_nginx_a_forged_forwarded_proto_is_replaced(live_server, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    forged = {"X-Forwarded-Proto": "https"}
    # Control: the portal does act on the header when its trusted peer sends it (an HTTPS
    # request with an http:// Origin fails the CSRF origin check).
    direct = urllib.parse.urlsplit(live_server.url).port
    assert nginx_signup(direct, "127.0.0.1", extra_headers=forged) == 403
    with running_nginx(live_server) as port:
        # nginx serves plain HTTP and overwrites the client's header: the POST is plain
        # HTTP for the portal, and passes.
        assert nginx_signup(port, "127.0.0.2", extra_headers=forged) == 200
