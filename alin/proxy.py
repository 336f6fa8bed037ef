"""Forwarded headers count only when they come from the configured reverse proxy.

Behind nginx, the client's address is in X-Forwarded-For and the scheme in
X-Forwarded-Proto; straight from the Internet, anybody can write those headers, to dodge
the per-address rate limits (a new address per try) or to pass for HTTPS. The number of
proxies in front of the portal is ALLAUTH_TRUSTED_PROXY_COUNT (environment:
TRUSTED_PROXY_COUNT; allauth's rate limits take the client address that many hops from
the right of X-Forwarded-For). This middleware, first in the chain, removes every
forwarded header of a request that did not come through that proxy, so nothing later
(allauth, Django's SECURE_PROXY_SSL_HEADER, logs) can read a forged one.
"""

import ipaddress

from django.conf import settings

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def trusted_networks():
    """TRUSTED_PROXY_IPS as networks; empty means "whoever connects is the proxy" (the
    portal's port is then reachable only by the proxy, as in docker-compose)."""
    return [ipaddress.ip_network(value, strict=False) for value in settings.TRUSTED_PROXY_IPS]


def comes_from_trusted_proxy(request):
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT <= 0:
        return False
    networks = trusted_networks()
    if not networks:
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in networks)


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if not comes_from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        else:
            hops = [ip for ip in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
            if meta.get("HTTP_X_FORWARDED_FOR") is not None and (
                len(hops) < settings.ALLAUTH_TRUSTED_PROXY_COUNT
            ):
                # Fewer hops than proxies: the header was not written by our proxies
                # (allauth would raise ImproperlyConfigured, a 500); use the peer address.
                meta.pop("HTTP_X_FORWARDED_FOR")
        return self.get_response(request)
