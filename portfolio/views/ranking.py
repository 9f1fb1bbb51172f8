"""The ranked portfolio with the explanation of every score, what-if weights and CSV export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from itsm_pmo.page_actions import attempt, redirect_back
from itsm_pmo.spreadsheet import spreadsheet_safe

from .. import selectors, services
from ..choices import RANKED_STAGES
from ..filtersets import RankingFilterSet
from ..models import Criterion
from ..permissions import may_reweight_criteria
from ..weights import weights_from_query
from .board import url_maker

# A colour per criterion, in order, for the stacked bars (shared with the legend): the colours
# are classes `criterion-0` … in static/css/app.css, since the content security policy allows
# no style attribute.
PALETTE_SIZE = 9

# Rows of the ranking a page shows: ranks and the what-if are over the whole portfolio.
RANKING_PAGE = 25


def _filtered(request):
    """The filtered projects and the what-if weights of the query (with their errors)."""
    filterset = RankingFilterSet(
        request.GET or None, queryset=selectors.projects_visible_to(request.user), request=request
    )
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    try:
        weights = weights_from_query(request.GET, selectors.criterion_ids())
        errors = {}
    except ValidationError as exc:
        weights, errors = {}, exc.message_dict
    return filterset, filtered, weights, errors


def _pool(filterset, filtered):
    """The projects ranked: the live ones; with `top=quarter`, the pool of the dashboard's
    "top-ranked quarter completed" (the live ones and those first closed in `closed_after` to
    `closed_before`), of which only the top quarter is shown."""
    top = filterset.top_quarter()
    if top is None:
        return filtered.filter(stage__in=RANKED_STAGES), False
    pool, _closed = selectors.completion_pool(filtered, *top)
    return pool, True


def _rank(pool, top: bool, weights):
    ranked = selectors.rank_projects(pool, weights=weights)
    return selectors.top_quarter(ranked) if top else ranked


def _ranked(request):
    """The filtered ranking with what-if weights (rows with their projects)."""
    filterset, filtered, weights, errors = _filtered(request)
    pool, top = _pool(filterset, filtered)
    rows = selectors.with_projects(
        _rank(pool, top, weights), pool.select_related("owner", "support_team")
    )
    return filterset, rows, weights, errors, filtered


def _stacked(bars: list) -> list:
    """(term, colour, x): each term's bar starts where the previous one ended (points are
    shares of 100, the width of the bar's drawing)."""
    out, x = [], 0.0
    for term, colour in bars:
        out.append((term, colour, f"{x:.2f}"))
        x += float(term.points)
    return out


class RankingPageView(PermissionRequiredMixin, TemplateView):
    permission_required = "portfolio.view_project"

    def get_template_names(self):
        if self.request.htmx:
            return ["portfolio/_ranking_table.html"]
        return ["portfolio/ranking.html"]

    def render_to_response(self, context, **response_kwargs):
        # Refused weights are bad input: a 400, which shows the ranking with the saved weights
        # and says which weight was refused (htmx swaps a 4xx like a success).
        if context["weight_errors"]:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        filterset, filtered, weights, errors = _filtered(self.request)
        live, top = _pool(filterset, filtered)
        # Ranks and the what-if are over every project that matches; only a page is built.
        ranked = _rank(live, top, weights)
        criteria = list(Criterion.objects.order_by("order", "name"))
        colours = {c.pk: i % PALETTE_SIZE for i, c in enumerate(criteria)}
        before = {}
        if weights:
            before = {r.project_id: r.rank for r in selectors.rank_projects(live)}
        paginator = Paginator(ranked, RANKING_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        rows = selectors.with_projects(page.object_list, live.select_related("owner"))
        detail_url = url_maker("portfolio:project_detail")
        for row in rows:
            p = row.project
            p.moved = before[p.pk] - row.rank if before else 0
            p.moved_down = -p.moved
            p.url = detail_url(p.pk)
            p.score_text = f"{row.score:.2f}"
            p.bars = _stacked([(t, colours[t.criterion_id]) for t in row.terms if t.points])
            p.term_rows = [(t, _value_text(t), _weight_text(t.weight)) for t in row.terms]
        query = self.request.GET.copy()
        query.pop("page", None)
        names = {f"w{c.pk}": c.name for c in criteria}
        return super().get_context_data(
            rows=rows,
            count=paginator.count,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
            criteria=[(c, weights.get(c.pk, c.weight), colours[c.pk]) for c in criteria],
            what_if=bool(weights),
            # Each refused weight by its criterion's name (the field the user typed in).
            weight_errors=[(names.get(key, key), problems) for key, problems in errors.items()],
            filterset=filterset,
            is_filtered=any(k for k in self.request.GET if not k.startswith("w") and k != "page"),
            can_save=may_reweight_criteria(self.request.user),
            csv_query=query.urlencode(),
            **kwargs,
        )


def _weight_text(weight) -> str:
    """A weight as `floatformat:"-2"` shows it: two places, none when it is whole."""
    text = f"{weight:.2f}"
    return text[:-3] if text.endswith(".00") else text


def _value_text(term) -> str:
    """What a term's value column says: the 1–5 score, the alignment share, or missing."""
    if term.missing:
        return ""
    if term.value:
        return f"{term.value}/5"
    return f"{round(term.normalised * 100)}% aligned"


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
