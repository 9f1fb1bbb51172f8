"""The capacity heatmap: teams × the next 26 weeks from the published snapshot."""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .. import selectors
from ..filtersets import TeamFilterSet

HEATMAP_WEEKS = 26


class HeatmapView(PermissionRequiredMixin, TemplateView):
    permission_required = "resources.view_team"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "grid":
            return ["resources/_heatmap_grid.html"]
        return ["resources/heatmap.html"]

    def get_context_data(self, **kwargs):
        status = selectors.plan_status()
        filterset = TeamFilterSet(
            self.request.GET or None, request=self.request, queryset=selectors.team_list()
        )
        rows, weeks = [], []
        if status.snapshot is not None:
            teams = filterset.qs if filterset.is_bound and filterset.is_valid() else None
            rows, weeks = selectors.team_heatmap(status.snapshot, weeks=HEATMAP_WEEKS, teams=teams)
        conflicts = selectors.conflicts_in(status.snapshot)
        return super().get_context_data(
            status=status,
            rows=rows,
            weeks=weeks,
            filterset=filterset,
            open_conflicts=conflicts.count(),
            overallocated_people=conflicts.filter(kind="overallocation")
            .values("subject_id")
            .distinct()
            .count(),
            **kwargs,
        )


@require_GET
@permission_required("resources.view_team", raise_exception=True)
def plan_status_view(request):
    """Polled by htmx: when the snapshot it shows is old, tell the page to refresh its grid."""
    status = selectors.plan_status()
    response = render(request, "resources/_plan_status.html", {"status": status})
    shown = request.GET.get("shown")
    current = str(status.snapshot.pk) if status.snapshot else ""
    if shown is not None and shown != current:
        response["HX-Trigger"] = "snapshot-published"
    return response
