"""Error pages: JSON in the API's shape under /api/, the portal's own pages elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render

from .api import error_body


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(404, "not_found", "No such endpoint."), status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        detail = "Your role does not allow this."
        return JsonResponse(error_body(403, "permission_denied", detail), status=403)
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)
