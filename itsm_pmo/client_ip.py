"""The client's address, the one rule every lockout and throttle counts by.

`REMOTE_ADDR` unless `TRUSTED_PROXY_COUNT` says how many proxies of ours stand in front of
the portal: then the address that the outermost of them saw, read from the right of
`X-Forwarded-For` (each proxy appends the address it received the request from, so the
entries to the left of ours are whatever the client chose to send). By default no proxy is
trusted, so a client that rotates `X-Forwarded-For` changes nothing it is counted by.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address to count a request's failures and rate by."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return forwarded[-proxies]
