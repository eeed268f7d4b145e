"""Counting requests per key (an IP address, an e-mail address) over a fixed window.

The counters live in the cache (Redis in production, shared by every process): a limit
is a brake on abuse (mail bombing an address, flooding the moderators), not a ledger, so
a cache that forgets a counter only forgives a little early.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def limit_exceeded(keys: Iterable[str], *, limit: int, window: int) -> bool:
    """Count one request under every key; True when any key has now had more than
    `limit` requests within `window` seconds (its first request starts the window)."""
    counts = [_hit(f"rate:{key}", window) for key in keys]
    return any(count > limit for count in counts)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind FORWARDED_FOR_PROXIES reverse proxies,
    each of which appends the address it saw to X-Forwarded-For, that is the entry the
    outermost proxy wrote (what a client writes itself stands further left and is
    ignored); without proxies, the connection's own address."""
    proxies = int(getattr(settings, "FORWARDED_FOR_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def ip_bucket(ip: str) -> str:
    """What a limit per IP address counts: the address itself for IPv4, its /64 network
    for IPv6 (one connection usually has a whole /64 to choose addresses from)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
