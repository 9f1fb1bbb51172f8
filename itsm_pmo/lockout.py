"""What a locked-out client is told: when to try again, as a page or in the API's error body.

django-axes counts failed sign-ins (the login form, the admin's, `POST /api/auth/token/`) per
username and per client address and calls `lockout_response` once either reaches
`AXES_FAILURE_LIMIT` within the cool-off. Every further attempt while locked out counts as a
failure and starts the cool-off again, so "try again after" is now plus the cool-off.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .api import error_body


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 with `Retry-After`: the login page's look with the time to try again, or (under
    /api/) the API's error body."""
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = math.ceil(cool_off.total_seconds())
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = math.ceil(seconds / 60)
    detail = f"Too many failed sign-ins. Try again after {retry_at:%H:%M} (in {minutes} minutes)."
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            error_body(429, "locked_out", detail, retry_after=seconds), status=429
        )
    else:
        response = TemplateResponse(
            request,
            "registration/locked_out.html",
            {"detail": detail, "retry_at": retry_at, "minutes": minutes},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(seconds)
    return response
