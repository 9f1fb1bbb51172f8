"""`/dashboard/`: the executive view, read-only, for every role."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..permissions import may_read_dashboard
from . import board
from .forms import DashboardForm


@require_GET
def dashboard(request):
    if not may_read_dashboard(request.user):
        raise PermissionDenied("The dashboard is for the portal's roles.")
    form = DashboardForm(request.GET)
    if not form.is_valid():
        # The errors show on the filter bar; no numbers for a range that is not one.
        return render(request, "dashboard/index.html", {"form": form}, status=400)
    period = form.period()
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "period": period,
            "previous": period.previous(),
            "sections": board.build(period),
            "scope_names": scope_names(form),
        },
    )


def scope_names(form: DashboardForm) -> list[tuple[str, str]]:
    """("objective", its name) and ("service", its name) for what the page is narrowed to."""
    return [
        (name, dict(form.fields[name].choices)[str(form.cleaned_data[name])])
        for name in ("objective", "service")
        if form.cleaned_data.get(name) is not None
    ]
