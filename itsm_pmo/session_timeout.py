"""Signed-in sessions end after `SESSION_IDLE_SECONDS` without a request, and in any case
`SESSION_COOKIE_AGE` after sign-in.

Django's own expiry slides: every save of the session pushes it out by `SESSION_COOKIE_AGE`,
and saving on every request (`SESSION_SAVE_EVERY_REQUEST`) would write the session on every
page. So the session keeps when it started and when it was last seen, and "last seen" is
written only when it is more than `SESSION_TOUCH_SECONDS` old: one write in five minutes of
use, at the price of an idle limit that is up to that much shorter.

An ended session is emptied and the request goes on as anonymous, so the page asks for a
login (`PageLoginRequiredMiddleware`) and the API answers 401. It is not a logout: the API
token, which a logout revokes, belongs to the user's scripts, not to this browser.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

STARTED = "session_started"
SEEN = "session_seen"


def mark_sign_in(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: the session starts now (saved with the login, no extra write)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionTimeoutMiddleware:
    """Ends idle and old signed-in sessions; must run before anything answers for the user
    (the page cache answers kept pages in `process_view`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY) is not None:
            self._check(request, int(time.time()))
        return self.get_response(request)

    def _check(self, request: HttpRequest, now: int) -> None:
        session = request.session
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None or seen is None:  # signed in before these were kept
            session[STARTED] = started if started is not None else now
            session[SEEN] = now
            return
        idle, age = now - seen, now - started
        if idle > settings.SESSION_IDLE_SECONDS or age > settings.SESSION_COOKIE_AGE:
            session.flush()
            request.user = AnonymousUser()
            if not request.path_info.startswith("/api/"):
                messages.info(request, "Your session has ended. Please sign in again.")
            return
        if now - seen > settings.SESSION_TOUCH_SECONDS:
            session[SEEN] = now
