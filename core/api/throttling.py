"""Rate limits that stay exact when many workers share one cache (Redis).

DRF's throttles read a history list, then write it back: concurrent requests from one
client each read the same list, and more get through than the rate allows. These count in
fixed windows with the cache's atomic add and incr instead (atomic in Redis; under a lock in
the per-process memory cache), so the N+1st request in a window is refused whatever the
concurrency. A client may still make up to N requests at the end of one window and N more
at the start of the next.
"""

import math

from rest_framework import throttling
from rest_framework.settings import api_settings


class FixedWindowRateMixin:
    """allow_request and wait for a SimpleRateThrottle, counted atomically per window."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self._count(f"{key}:{window}") <= self.num_requests

    def _count(self, key: str) -> int:
        # The key outlives its window, so incr never meets an expired key mid-window. incr
        # first: after a window's first request it is the only operation (add then incr cost
        # three round trips to Redis for every request, incr alone two).
        timeout = self.duration + 60
        while True:
            try:
                return self.cache.incr(key)
            except ValueError:  # the window's first request (or its key just expired)
                if self.cache.add(key, 1, timeout):
                    return 1

    def get_ident(self, request) -> str:
        """DRF's rule (NUM_PROXIES, X-Forwarded-For, else the peer's address), read from META:
        building ``request.headers`` cost more than the rest of a read answered from the cache."""
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        address = request.META.get("REMOTE_ADDR")
        proxies = api_settings.NUM_PROXIES
        if proxies is not None:
            if proxies == 0 or forwarded is None:
                return address
            addresses = forwarded.split(",")
            return addresses[-min(proxies, len(addresses))].strip()
        return "".join(forwarded.split()) if forwarded else address

    def wait(self) -> int:
        """Seconds until the current window ends (sent as Retry-After)."""
        return max(1, math.ceil(self.window_ends - self.now))


class AnonRateThrottle(FixedWindowRateMixin, throttling.AnonRateThrottle):
    """THROTTLE_ANON requests per period from one address without credentials."""


class UserRateThrottle(FixedWindowRateMixin, throttling.UserRateThrottle):
    """THROTTLE_USER requests per period per authenticated user (per address otherwise)."""


class ExportRateThrottle(FixedWindowRateMixin, throttling.SimpleRateThrottle):
    """THROTTLE_EXPORT bulk exports per period per user (per address without credentials),
    counted on top of the request limits: an export can stream a whole collection."""

    scope = "export"

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
