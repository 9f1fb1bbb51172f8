"""The ranked portfolio with the explanation of every score, what-if weights and CSV export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from itsm_pmo.page_actions import attempt, redirect_back

from .. import selectors, services
from ..filtersets import ProjectFilterSet
from ..models import Criterion
from ..permissions import may_reweight_criteria
from ..weights import weights_from_query

# A colour per criterion, in order, for the stacked bars (shared with the legend).
PALETTE = [
    "#6366f1",
    "#06b6d4",
    "#f59e0b",
    "#10b981",
    "#ef4444",
    "#8b5cf6",
    "#ec4899",
    "#84cc16",
    "#64748b",
]


def _ranked(request):
    """The filtered ranking with what-if weights, plus the saved-weights ranking to compare."""
    filterset = ProjectFilterSet(
        request.GET or None, queryset=selectors.projects_visible_to(request.user), request=request
    )
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    try:
        weights = weights_from_query(request.GET, selectors.criterion_ids())
        errors = {}
    except ValidationError as exc:
        weights, errors = {}, exc.message_dict
    rows = selectors.ranked_portfolio(request.user, filtered=filtered, weights=weights)
    return filterset, rows, weights, errors, filtered


class RankingPageView(PermissionRequiredMixin, TemplateView):
    permission_required = "portfolio.view_project"

    def get_template_names(self):
        if self.request.htmx:
            return ["portfolio/_ranking_table.html"]
        return ["portfolio/ranking.html"]

    def get_context_data(self, **kwargs):
        filterset, rows, weights, errors, filtered = _ranked(self.request)
        criteria = list(Criterion.objects.order_by("order", "name"))
        colours = {c.pk: PALETTE[i % len(PALETTE)] for i, c in enumerate(criteria)}
        moved = {}
        if weights:
            saved = selectors.ranked_portfolio(self.request.user, filtered=filtered)
            before = {row.project.pk: row.rank for row in saved}
            moved = {row.project.pk: before[row.project.pk] - row.rank for row in rows}
        for row in rows:
            row.project.moved = moved.get(row.project.pk, 0)
            row.project.bars = [(t, colours[t.criterion_id]) for t in row.terms if t.points]
        query = self.request.GET.copy()
        return super().get_context_data(
            rows=rows,
            criteria=[(c, weights.get(c.pk, c.weight), colours[c.pk]) for c in criteria],
            what_if=bool(weights),
            weight_errors=errors,
            filterset=filterset,
            is_filtered=any(k for k in self.request.GET if not k.startswith("w")),
            can_save=may_reweight_criteria(self.request.user),
            csv_query=query.urlencode(),
            **kwargs,
        )


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@permission_required("portfolio.view_project", raise_exception=True)
def ranking_csv(request):
    """The ranking as a spreadsheet: the same rows, filters and weights as the page."""
    _filterset, rows, _weights, errors, _ = _ranked(request)
    if errors:
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()),
            status=400,
            content_type="text/plain",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portfolio-ranking.csv"'
    writer = csv.writer(response)
    names = [t.criterion for t in rows[0].terms] if rows else []
    writer.writerow(
        [
            "rank",
            "code",
            "name",
            "stage",
            "health",
            "owner",
            "score",
            *[f"{n} (points)" for n in names],
        ]
    )
    for row in rows:
        p = row.project
        writer.writerow(
            [
                row.rank,
                spreadsheet_safe(p.code),
                spreadsheet_safe(p.name),
                p.get_stage_display(),
                p.health,
                spreadsheet_safe(p.owner.name if p.owner else ""),
                row.score,
                *[t.points for t in row.terms],
            ]
        )
    return response


@require_POST
def save_weights(request):
    """Make the what-if weights the saved ones (the service says who may)."""

    def save():
        weights = weights_from_query(request.POST, selectors.criterion_ids())
        if not weights:
            raise ValidationError({"weights": "No weights were sent."})
        return services.criteria_reweight(by=request.user, weights=weights)

    if attempt(request, save) is not None:
        messages.success(request, "Weights saved: the ranking now uses them for everyone.")
    return redirect_back(request, reverse("portfolio:ranking"))
