"""A request id: in the `X-Request-ID` answer header, on every log line, on the error pages.

Why: a person who hits an error can quote the id shown on the page (or in the API's error
body), and the log lines of that request are found by it; a proxy that already numbers its
requests passes its id on so that both logs agree.

An incoming `X-Request-ID` is kept only if it is a short token of letters, digits, `-`, `_`
and `.`: anything else (long, spaces, newlines, markup) could forge log lines or end up on
a page, so a fresh id is made instead.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current() -> str:
    """The id of the request being served in this thread or task, "-" outside one."""
    return _current.get()


def accepted(incoming: str | None) -> str:
    """The caller's id if it is a safe short token, else a new one."""
    if incoming and SAFE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Kept until the answer is finished, not just until this returns: Django logs a 4xx
        # ("Not Found: …") after the last middleware has returned.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget(**kwargs) -> None:
    _current.set(NO_REQUEST)


request_finished.connect(_forget, dispatch_uid="itsm_pmo.request_id.forget")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current()
        return True
