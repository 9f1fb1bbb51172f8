"""What every page POST that calls a service shares.

A refusal answers with the same status as the API: the service's PermissionDenied is left to
become the 403 page; a refused move (409) or bad input (400) is said as a message on the page
the form came from, rendered in place with that status rather than redirected, so a browser,
a test and a proxy all see the request was refused. Success redirects (post/redirect/get).
"""

import copy
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .workflow import TransitionRefused


def refusal_text(exc: Exception) -> str:
    """One readable sentence from a refused service call."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(" ".join(v) for v in exc.message_dict.values())
        return " ".join(exc.messages)
    return getattr(exc, "detail", None) or str(exc)


def refusal_status(exc: Exception) -> int:
    """409 for a move the workflow refuses now, 400 for input that is not valid."""
    return 409 if isinstance(exc, TransitionRefused) else 400


def refuse(request: HttpRequest, exc: Exception) -> None:
    """Say why as a message and remember the status the answer must carry."""
    messages.error(request, refusal_text(exc))
    request.refusal_status = refusal_status(exc)  # type: ignore[attr-defined]


def attempt(request: HttpRequest, action):
    """Run a service call; on a refused move or bad input, say why and return None.

    PermissionDenied is not caught: it is the 403 the API answers too."""
    try:
        return action()
    except (TransitionRefused, ValidationError) as exc:
        refuse(request, exc)
        return None


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form came from (its `next` field) when that is on this site,
    otherwise to `fallback`: a POST never becomes an open redirect. After a refusal the page
    is rendered in place with the refusal's status instead."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    status = getattr(request, "refusal_status", None)
    if status:
        page = render_in_place(request, target, status)
        if page is not None:
            return page
    return redirect(target)


def render_in_place(request: HttpRequest, url: str, status: int) -> HttpResponse | None:
    """The page at `url` as a GET would show it (with the messages just added), answered
    with `status`; None when that page is not a plain page of this site."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    page = copy.copy(request)
    page.method = "GET"
    page.GET = QueryDict(parts.query)
    page.POST = QueryDict()
    response = match.func(page, *match.args, **match.kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if response.status_code != 200:
        return None
    response.status_code = status
    return response
