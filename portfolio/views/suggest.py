"""Suggestions as one types in a filter with hundreds of choices (owners, teams)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors

KINDS = ("owner", "support_team")


@require_GET
@permission_required("portfolio.view_project", raise_exception=True)
def suggest(request, kind: str):
    """The datalist options of a filter field: names containing what was typed."""
    if kind not in KINDS:
        raise Http404("No such suggestions.")
    names = selectors.name_suggestions(kind, request.GET.get(kind, ""))
    return render(request, "portfolio/_suggestions.html", {"names": names})
