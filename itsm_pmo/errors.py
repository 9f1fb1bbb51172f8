"""Error pages: JSON in the API's shape under /api/, the portal's own pages elsewhere."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from . import request_id
from .api import error_body
from .htmx_errors import is_htmx, toast_response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(404, "not_found", "No such endpoint."), status=404)
    if is_htmx(request):
        text = "What this asked for is not there any more. Reload the page to see what is."
        return toast_response(title="Not found", text=text, status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        detail = "Your role does not allow this."
        return JsonResponse(error_body(403, "permission_denied", detail), status=403)
    if is_htmx(request):
        # The services' refusals are sentences written for the user; Django's own have none.
        text = str(exception or "") or "Your role does not allow this."
        return toast_response(title="Not allowed", text=text, status=403)
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def csrf_failure(request, reason=""):
    """A POST whose security token does not match: from htmx, a page left open across a new
    sign-in; said as a toast (Django's own page would land inside the element that asked)."""
    if is_htmx(request):
        text = (
            "This page is out of date (you signed in again since it was opened), so nothing "
            "was saved. Reload the page and try again."
        )
        return toast_response(title="Reload the page", text=text, status=403)
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason)


# The database went away under the request (a restart, a failover, a killed connection) or
# gave up on it (a deadlock, a lock timeout): nothing is wrong with the request, and the next
# one gets a new connection (CONN_HEALTH_CHECKS), so the client is told to try again.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """A 500 says only that it failed and under which request id (the log has the rest):
    never a traceback or a setting. The page is rendered without the request's context
    processors, which read the database that may be what failed.

    Django calls this for every exception a view or a middleware let through, while it is
    being handled: a lost database is answered 503 with Retry-After instead."""
    rid = getattr(request, "request_id", None) or request_id.current()
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable(request, rid)
    if request.path.startswith("/api/"):
        detail = "Something went wrong on our side. Quote the request id when reporting it."
        body = error_body(500, "server_error", detail, request_id=rid)
        return JsonResponse(body, status=500)
    html = loader.get_template("errors/500.html").render({"request_id": rid})
    return HttpResponseServerError(html)


def service_unavailable(request, rid: str | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        detail = "The database is not answering. Try again in a few seconds."
        body = error_body(503, "unavailable", detail, request_id=rid)
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        html = loader.get_template("errors/503.html").render({"request_id": rid})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
