"""Signed-in reads answered again from the cache until the data changes.

Why: a page of 20–50 rows costs 10–40 ms of query, template or serializer work, and most
reads are someone opening the same page again while nothing changed (back, reload, paging
back and forth, a dashboard left open). So a GET by a signed-in user is kept, per user,
under a key made of

- the **minute**, so that what changes with time alone (overdue, "in 3 days") is at most a
  minute old;
- the **request's shape**: the user, the path and query, the host and scheme, `Accept`,
  and every htmx header.

and is answered again only while every table the page read still has the version it had
when the page read it (`itsm_pmo/table_versions.py`: a version per table, bumped by every
statement that writes to it, in any process). So logging an incident leaves the portfolio
board kept, and moving a project makes it stale at once.

Per user, because what a page shows depends on who asks (roles, ownership, the buttons a
person may press). The CSRF token is the one per-session value a page holds: it is rendered
as a placeholder (`csrf_placeholder`) and filled in for each answer.

A value a page takes from another cache (a snapshot's heatmap cells, the fit) must be keyed
by something the page read from the database in the same request (the snapshot pointer,
a fingerprint of the inputs), so that the page depends on what the value came from.

Not kept: anything but a 200 with HTML, JSON or CSV; answers that set a cookie or say
`no-store`/`private`; a request with messages waiting (they show once); `/admin/`; views
marked `page_cache_exempt` (the authenticated floor `/api/me/`, the CSV import that keeps
its upload in the session).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from . import table_versions, throttles

PLACEHOLDER = "csrf-placeholder-4b1d0c2e9f7a"
KEPT_TYPES = ("text/html", "application/json", "text/csv")
MAX_BYTES = 1_000_000


def page_cache_exempt(view: Callable) -> Callable:
    """Mark a view whose answer must be computed every time."""
    view.page_cache_exempt = True  # type: ignore[attr-defined]
    return view


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, its CSRF token is a
    placeholder; the middleware puts the requester's own token in its place."""
    if getattr(request, "page_cache_key", None):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _key(request: HttpRequest) -> str:
    meta = request.META
    shape = [
        str(request.user.pk),
        request.get_full_path(),
        request.get_host(),
        request.scheme,
        meta.get("HTTP_ACCEPT", ""),
    ]
    shape += sorted(f"{k}={v}" for k, v in meta.items() if k.startswith("HTTP_HX_"))
    digest = hashlib.sha256("\n".join(shape).encode()).hexdigest()
    minute = int(time.time() // 60)
    return f"page-cache:{minute}:{digest}"


def _messages_waiting(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    storage = getattr(request, "_messages", None)
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in control
        and "private" not in control
        and response.get("Content-Type", "").split(";")[0] in KEPT_TYPES
        and len(response.content) <= MAX_BYTES
        and not getattr(storage, "added_new", False)
    )


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    marker = PLACEHOLDER.encode()
    if marker not in content:
        return content
    return content.replace(marker, get_token(request).encode())


class PageCacheMiddleware:
    """Answers a repeated signed-in GET from the cache; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            table_versions.stop_recording()
        key = getattr(request, "page_cache_key", None)
        if key and not getattr(response, "from_page_cache", False):
            if _keepable(request, response):
                headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
                kept = (response.content, headers, request.page_cache_reads)
                cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
            response.content = _with_token(request, response.content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._applies(request, view_func):
            return None
        key = _key(request)
        request.page_cache_key = key
        found = cache.get(key)
        if found is None or not table_versions.unchanged(found[2]):
            request.page_cache_reads = table_versions.start_recording()
            return None
        if not throttles.kept_answer_allowed(request, view_func):
            return None  # over its API rate: the view runs and answers its own 429
        content, headers, _ = found
        response = HttpResponse(_with_token(request, content))
        for name, value in headers:
            response[name] = value
        response.from_page_cache = True
        return response

    @staticmethod
    def _applies(request: HttpRequest, view_func) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and request.user.is_authenticated
            and not request.path_info.startswith("/admin/")
            and not getattr(view_func, "page_cache_exempt", False)
            and not getattr(getattr(view_func, "view_class", None), "page_cache_exempt", False)
            and not _messages_waiting(request)
        )
