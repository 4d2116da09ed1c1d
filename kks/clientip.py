"""The client's address, as django-axes and the rate limiter count it.

X-Forwarded-For is whatever the client chose to send, plus one address appended by each proxy on the way
(nginx: ``$proxy_add_x_forwarded_for``). It is read only when the direct peer (REMOTE_ADDR) is one of the
configured ``KKS_TRUSTED_PROXIES`` (addresses or networks, from the environment; empty by default, so
without a proxy every forwarded header is ignored). Then the entries are walked from the right, skipping
trusted proxies; the first one that is not a trusted proxy is the client. Entries to its left are the
client's own claims and are never used.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in configured if entry.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``; REMOTE_ADDR unless a trusted proxy forwarded it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "KKS_TRUSTED_PROXIES", ()) or ()))
    peer = _parse(remote)
    if peer is None or not networks or not _trusted(peer, networks):
        return remote
    hops = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage appended by a trusted hop: stop at the last address we trust
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
