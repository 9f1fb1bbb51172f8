"""API rate limits: per signed-in user, per anonymous address, and for the token endpoint.

Counted in the shared cache (Redis when `CACHE_URL` says so, so every process counts the
same requests) in fixed windows: one `add` and one `incr` per request, whatever the rate.
DRF's own throttles keep a list of every request's time in the window and write it back
whole, which costs more the higher the rate, and loses counts between processes that read
the list at once. A fixed window lets a client send up to twice the rate across a window's
edge; for a limit against abuse that is enough. While Redis is down nothing is counted
(`itsm_pmo/cache.py`): the API stays up, unlimited, rather than refusing everyone.

The address is `itsm_pmo.client_ip.client_ip`, the same rule the login lockout counts by.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .client_ip import client_ip


class WindowRateThrottle(SimpleRateThrottle):
    """A rate as `N/period`, counted in fixed windows of one period."""

    cache_format = "throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str | None:
        # Read when the throttle is made, not when the class was: a changed setting counts.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        key = f"{key}:{window}"
        self.cache.add(key, 0, self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the key went (evicted) between add and incr: count afresh
            self.cache.set(key, 1, self.duration + 1)
            count = 1
        self.remaining = (window + 1) * self.duration - now
        return count is None or count <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self, "remaining", None)


class UserThrottle(WindowRateThrottle):
    """`user` rate: every API request of a signed-in user (session or token), per user."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonThrottle(WindowRateThrottle):
    """`anon` rate: every anonymous API request, per client address."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class TokenThrottle(WindowRateThrottle):
    """`token` rate: requests for an API token, per client address, signed in or not."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def kept_answer_allowed(request, view_func: Any) -> bool:
    """Whether an API answer kept by the page cache may be given again: it counts against the
    view's throttles like any request. Refused, the view runs and answers its own 429."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None:
        return True
    return all(
        throttle().allow_request(request, None)
        for throttle in getattr(view_class, "throttle_classes", ())
    )
