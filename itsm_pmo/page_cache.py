"""Signed-in reads answered again from the cache until the data changes.

Why: a page of 20–50 rows costs 10–40 ms of query, template or serializer work, and most
reads are someone opening the same page again while nothing changed (back, reload, paging
back and forth, a dashboard left open). So a GET by a signed-in user is kept, per user,
under a key made of

- the **data version**, one number bumped by every statement that writes to the database
  (INSERT, UPDATE or DELETE, seen by a wrapper on every connection of every process: page,
  API, worker, admin, management command, queryset updates and raw SQL alike), and again
  when its transaction commits;
- the **minute**, so that what changes with time alone (overdue, "in 3 days", a write the
  version could not see) is at most a minute old;
- the **request's shape**: the user, the path and query, the host and scheme, `Accept`,
  and every htmx header.

Per user, because what a page shows depends on who asks (roles, ownership, the buttons a
person may press). The CSRF token is the one per-session value a page holds: it is rendered
as a placeholder (`csrf_placeholder`) and filled in for each answer.

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
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "page-cache:data-version"
PLACEHOLDER = "csrf-placeholder-4b1d0c2e9f7a"
KEPT_TYPES = ("text/html", "application/json", "text/csv")
MAX_BYTES = 1_000_000

WRITES = ("INSERT", "UPDATE", "DELETE")
# Writes that change no page: every request may save its session.
IGNORED_TABLES = ("django_session",)


def data_version() -> int:
    found = cache.get(VERSION_KEY)
    if found is None:
        # A lost counter starts from the clock, never from a number old keys may hold.
        cache.add(VERSION_KEY, time.time_ns(), None)
        found = cache.get(VERSION_KEY, 0)
    return int(found)


def bump_data_version(connection=None) -> None:
    """Make every kept answer stale: now, and again when the transaction commits, so that
    a page rendered from the uncommitted state in between cannot outlive the commit."""
    _bump()
    connection = connection or transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _bump for _, func, _ in connection.run_on_commit
    ):
        connection.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no counter yet (or it was evicted)
        cache.set(VERSION_KEY, time.time_ns(), None)


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head in WRITES and not any(table in sql for table in IGNORED_TABLES)


def _bump_after_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _writes(sql):
        bump_data_version(context["connection"])
    return result


def watch_writes(sender, connection, **kwargs) -> None:
    """Receiver for connection_created: every new connection reports its writes."""
    if _bump_after_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_bump_after_writes)


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
    return f"page-cache:{data_version()}:{minute}:{digest}"


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
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and not getattr(response, "from_page_cache", False):
            if _keepable(request, response):
                headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
                cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response.content = _with_token(request, response.content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._applies(request, view_func):
            return None
        key = _key(request)
        found = cache.get(key)
        if found is None:
            request.page_cache_key = key
            return None
        content, headers = found
        response = HttpResponse(_with_token(request, content))
        for name, value in headers:
            response[name] = value
        response.from_page_cache = True
        request.page_cache_key = key
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
