"""What every page POST that calls a service shares: a refusal becomes a message the user
reads, not an error page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .domain import TransitionRefused


def refusal_text(exc: Exception) -> str:
    """One readable sentence from a refused service call."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(" ".join(v) for v in exc.message_dict.values())
        return " ".join(exc.messages)
    return getattr(exc, "detail", None) or str(exc)


def attempt(request, action):
    """Run a service call; on refusal, say why as a message and return None."""
    try:
        return action()
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return None


def redirect_back(request, fallback: str):
    """Back to the page the form came from (its `next` field) when that is on this site,
    otherwise to `fallback`: a POST never becomes an open redirect."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)
