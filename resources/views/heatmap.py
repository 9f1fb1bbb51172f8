"""The capacity heatmap: teams × the next 26 weeks from the published snapshot."""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .. import selectors
from ..filtersets import HeatmapFilterSet
from ..heatmap import ROWS_SHOWN, heatmap_groups, people_rows
from ..models import Team

HEATMAP_WEEKS = 26


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


class HeatmapView(PermissionRequiredMixin, TemplateView):
    permission_required = "resources.view_team"

    def get_template_names(self):
        part = self.request.GET.get("part") if self.request.htmx else None
        if part == "grid":
            return ["resources/_heatmap_grid.html"]
        if part == "group":
            return ["resources/_heatmap_group.html"]
        if part == "rows":
            return ["resources/_heatmap_rows.html"]
        return ["resources/heatmap.html"]

    def get_context_data(self, **kwargs):
        status = selectors.plan_status()
        # The heatmap needs the teams' names and kinds only, not the directory's head counts.
        filterset = HeatmapFilterSet(
            self.request.GET or None, request=self.request, queryset=Team.objects.all()
        )
        groups, weeks = [], []
        get = self.request.GET
        part = get.get("part")
        only_kind = get.get("group") if part in ("group", "rows") else None
        offset = _number(get.get("offset")) if part == "rows" else 0
        # Without htmx, "show more" reloads the page with more rows of the open group.
        rows = ROWS_SHOWN if part == "rows" else max(ROWS_SHOWN, _number(get.get("rows")))
        people = None
        run = filterset.above_capacity
        if status.snapshot is not None and run is not None:
            people, weeks = _people_above(status.snapshot, filterset, run)
        elif status.snapshot is not None:
            teams = filterset.qs if filterset.is_bound and filterset.is_valid() else Team.objects
            groups, weeks = heatmap_groups(
                status.snapshot,
                weeks=HEATMAP_WEEKS,
                teams=teams.all(),
                open_kinds=get.getlist("open"),
                closed_kinds=get.getlist("close"),
                only_kind=only_kind,
                offset=offset,
                rows=rows,
            )
        filters = get.copy()
        for name in ("part", "group", "open", "close", "offset", "rows"):
            filters.pop(name, None)
        context = {
            "status": status,
            "groups": groups,
            "weeks": weeks,
            "filterset": filterset,
            "filters": filters.urlencode(),
            "step": ROWS_SHOWN,
            "team_count": sum(g.teams for g in groups),
            "people": people,  # the people above capacity, when asked (`above`)
            "run": run,
            "is_filtered": bool(filters),
        }
        if only_kind is not None:
            return super().get_context_data(**context, **kwargs)
        open_conflicts, overallocated_people = selectors.conflict_summary(status.snapshot)
        return super().get_context_data(
            **context,
            open_conflicts=open_conflicts,
            overallocated_people=overallocated_people,
            **kwargs,
        )


def _people_above(snapshot, filterset: HeatmapFilterSet, run: int):
    """The people booked above 100 % for `run` weeks or more running in the next 12 weeks,
    as the dashboard counts them (`selectors.people_above_capacity`), of the teams the other
    filters keep (none: everyone's, a person without a team too)."""
    above = [pk for pk, _ in selectors.people_above_capacity(snapshot, run=run)]
    narrowed = {"q", "kind", "team"} & {k for k, v in filterset.form.cleaned_data.items() if v}
    return people_rows(
        snapshot, above, weeks=HEATMAP_WEEKS, teams=filterset.qs if narrowed else None
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
