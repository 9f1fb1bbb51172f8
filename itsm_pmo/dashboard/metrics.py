"""Metric values and the families that depend on a period: change, knowledge, delivery and
operational impact (docs/metrics.md defines each; capacity, which reads the published plan,
is in capacity.py).

A `Metric` carries its value, the previous period's value, its unit, and when it cannot be
computed, why (`why_missing`): an unknown is never 0 or NaN. Its `drill` names the list that
produced it, filtered so that the list's count equals the number.

The apps' aggregates live in each app's selectors (the only face another app may import); they
are imported inside the functions that use them, not at module level: the platform package
(itsm_pmo) is imported by every app, so a module-level import of an app from here would be a
load-time cycle. The dashboard names its metrics one by one (docs/metrics.md is the list), so
a registry filled by the apps, as the home page's, would only hide that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from .period import Period, Scope

Figures = dict[str, Any]


@dataclass(frozen=True)
class Drill:
    """The list behind a number: its URL name and the query that filters it."""

    url_name: str
    # A date range is two days, both included: `<x>_after=<first>&<x>_before=<last>`.
    params: dict[str, str] = field(default_factory=dict)

    @cached_property  # a page reads it for the tile, the chart and its table
    def url(self) -> str:
        query = urlencode(self.params)
        return reverse(self.url_name) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str
    why_missing: str = ""  # set when `value` is None
    drill: Drill | None = None

    @property
    def change(self) -> float | None:
        """The value less the previous period's, when both are known."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def ratio(part: float, whole: float) -> float | None:
    """part / whole as a percentage, rounded to one decimal; None when there is no whole."""
    return None if not whole else round(100 * part / whole, 1)


# --- Change -----------------------------------------------------------------------------

# The success score's weights (docs/metrics.md): per reviewed change by its outcome, and per
# incident a change caused by the incident's priority (P4 and P5 weigh nothing).
OUTCOME_WEIGHTS = {"successful": 3, "with_issues": -2, "failed": -5}
INCIDENT_WEIGHTS = {1: -10, 2: -5, 3: -2}

NO_REVIEWS = "No change was reviewed in this period."
NO_RAISED = "No change was raised in this period."
NO_IMPLEMENTED = "No change was implemented in this period."


def change_figures(period: Period) -> Figures:
    """The change family's numbers for one period, in its scope, in five aggregate queries."""
    from changes import selectors

    start, end = period.bounds()
    scope = period.scope.narrowing()
    reviews = selectors.review_outcomes(start, end, **scope)
    by_priority = selectors.incidents_caused_by_priority(start, end, **scope)
    raised = selectors.raised_by_type(start, end, **scope)
    lead = selectors.lead_time(start, end, **scope)
    reviewed = reviews["reviewed"]
    score = (
        sum(reviews[outcome] * weight for outcome, weight in OUTCOME_WEIGHTS.items())
        + sum(by_priority.get(p, 0) * weight for p, weight in INCIDENT_WEIGHTS.items())
        if reviewed
        else None
    )
    mean: timedelta | None = lead["mean"]
    return {
        "success_rate": ratio(reviews["successful"], reviewed),
        "failure_rate": ratio(reviews["failed_or_caused"], reviewed),
        "emergency_share": ratio(raised["emergency"], raised["raised"]),
        "lead_time": None if mean is None else round(mean.total_seconds() / 86400, 1),
        "refused": selectors.refused_by_cab(start, end, **scope),
        "score": score,
    }


def drill_range(period: Period, prefix: str) -> dict[str, str]:
    """A drill-down's dates (`<prefix>_after`, `<prefix>_before`) and the period's scope."""
    return {
        f"{prefix}_after": period.start.isoformat(),
        f"{prefix}_before": period.end.isoformat(),
        **period.scope.params(),
    }


def change_metrics(period: Period) -> list[Metric]:
    now, before = change_figures(period), change_figures(period.previous())
    reviewed = drill_range(period, "reviewed")
    specs: list[tuple[str, str, str, str, dict[str, str]]] = [
        (
            "success_rate",
            "Change success rate",
            "%",
            NO_REVIEWS,
            {"outcome": "successful", **reviewed},
        ),
        ("failure_rate", "Change failure rate", "%", NO_REVIEWS, {"failed": "1", **reviewed}),
        (
            "emergency_share",
            "Emergency changes",
            "%",
            NO_RAISED,
            {"change_type": "emergency", **drill_range(period, "raised")},
        ),
        (
            "lead_time",
            "Change lead time",
            "days",
            NO_IMPLEMENTED,
            drill_range(period, "implemented"),
        ),
        ("refused", "Refused by the CAB", "changes", "", drill_range(period, "refused")),
        ("score", "Change success score", "points", NO_REVIEWS, reviewed),
    ]
    return [
        _metric(key, label, unit, now[key], before[key], why, Drill("changes:index", params))
        for key, label, unit, why, params in specs
    ]


def _metric(
    key: str, label: str, unit: str, value: Any, previous: Any, why: str, drill: Drill | None
) -> Metric:
    return Metric(
        key=key,
        label=label,
        value=value,
        previous=previous,
        unit=unit,
        why_missing=why if value is None else "",
        drill=drill,
    )


# --- Knowledge --------------------------------------------------------------------------


def knowledge_metrics(period: Period) -> list[Metric]:
    """Lessons captured and lessons marked applied, in the period's scope: counts, always
    known (none is 0)."""
    from knowledge import selectors

    scope = period.scope.narrowing()
    now = selectors.lessons_captured_applied(*period.bounds(), **scope)
    before = selectors.lessons_captured_applied(*period.previous().bounds(), **scope)
    return [
        _metric(
            "lessons_captured",
            "Lessons captured",
            "lessons",
            now["captured"],
            before["captured"],
            "",
            Drill("knowledge:index", {"state": "published", **drill_range(period, "created")}),
        ),
        _metric(
            "lessons_applied",
            "Lessons marked applied",
            "lessons",
            now["applied"],
            before["applied"],
            "",
            Drill("knowledge:index", {"state": "published", **drill_range(period, "applied")}),
        ),
    ]


def quarters_touched(period: Period) -> list[Period]:
    """Every calendar quarter the period touches, whole, in order, in the period's scope."""
    quarters = [Period.quarter_of(period.start).within(period)]
    while quarters[-1].end < period.end:
        quarters.append(Period.quarter_of(quarters[-1].end + timedelta(days=1)).within(period))
    return quarters


def lessons_by_quarter(period: Period) -> list[tuple[date, int, int]]:
    """(first day of the quarter, captured, applied) for each quarter the period touches, the
    empty ones too (a chart's gap is a zero, the counts are known): the knowledge chart."""
    from knowledge import selectors

    # Whole quarters at both ends: a quarter's bar is the whole quarter's count.
    quarters = quarters_touched(period)
    counted = selectors.lessons_by_quarter(
        quarters[0].bounds()[0], quarters[-1].bounds()[1], **quarters[0].scope.narrowing()
    )
    none = {"captured": 0, "applied": 0}
    return [
        (q.start, counted.get(q.start, none)["captured"], counted.get(q.start, none)["applied"])
        for q in quarters
    ]


# --- Delivery (the part that needs no new data) ------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One bar or slice of a chart: its label, its count and the list behind it."""

    label: str
    value: int
    drill: Drill


def delivery_metrics(period: Period) -> list[Metric]:
    """Throughput (projects closed in the period, a count), the completion rate of the
    top-ranked quarter, schedule adherence, budget accuracy and scope stability, each in the
    period's scope."""
    from portfolio import selectors

    return [
        _metric(
            "throughput",
            "Projects closed",
            "projects",
            selectors.projects_closed(*period.bounds(), period.scope),
            selectors.projects_closed(*period.previous().bounds(), period.scope),
            "",
            Drill("portfolio:project_list", {"stage": "closed", **drill_range(period, "closed")}),
        ),
        completion_metric(period),
        *schedule_metrics(period),
        *budget_metrics(period),
        *replan_metrics(period),
    ]


NO_RANKED = "No project is ranked (no live project and none closed in this period)."


def completion_figure(period: Period) -> float | None:
    from portfolio import selectors

    closed, size = selectors.top_quarter_completion(*period.bounds(), period.scope)
    return ratio(closed, size)


def completion_metric(period: Period) -> Metric:
    """Completion rate of the top-ranked quarter of the portfolio (docs/metrics.md)."""
    return _metric(
        "top_quarter_completion",
        "Top-ranked quarter completed",
        "%",
        completion_figure(period),
        completion_figure(period.previous()),
        NO_RANKED,
        Drill("portfolio:ranking", {"top": "quarter", **drill_range(period, "closed")}),
    )


def throughput_by_quarter(period: Period) -> list[tuple[date, int]]:
    """(first day of the quarter, projects closed) for each whole quarter the period touches."""
    from portfolio import selectors

    quarters = quarters_touched(period)
    counted = selectors.projects_closed_by_quarter(
        quarters[0].bounds()[0], quarters[-1].bounds()[1], period.scope
    )
    return [(q.start, counted.get(q.start, 0)) for q in quarters]


def projects_by_stage_and_health(period: Period | None = None) -> list[Segment]:
    """The live portfolio now (not a period's; only the period's scope is read): one segment
    per stage and health with any project, in the board's order of stages, green before
    amber before red."""
    from portfolio import selectors
    from portfolio.choices import BOARD_STAGES, Health, Stage

    scope = period.scope if period else Scope()
    stage_order = {stage.value: n for n, stage in enumerate(BOARD_STAGES)}
    health_order = {health.value: n for n, health in enumerate(Health)}
    rows = sorted(
        selectors.live_projects_by_stage_and_health(scope),
        key=lambda r: (stage_order[r["stage"]], health_order[r["health"]]),
    )
    return [
        Segment(
            f"{Stage(row['stage']).label} – {Health(row['health']).label}",
            row["n"],
            Drill(
                "portfolio:project_list",
                {"stage": row["stage"], "health": row["health"], **scope.params()},
            ),
        )
        for row in rows
    ]


# Schedule adherence (docs/metrics.md, "Delivery"): milestones against their baseline dates.
NO_BASELINE_DUE = "No milestone was due by its baseline date in this period."


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def schedule_figures(period: Period, today: date) -> Figures:
    from portfolio import selectors

    counts = selectors.schedule_adherence(period.start, period.end, today, period.scope)
    return {
        "schedule_adherence": ratio(counts["met"], counts["met"] + counts["missed"]),
        "projects_late": counts["late_projects"],
    }


def schedule_metrics(period: Period) -> list[Metric]:
    """Schedule adherence (%) and the projects that missed a baseline date in the period.
    The rate has no drill-down (no page lists milestones); the count does, and it is the
    rate's misses by project."""
    today = _today()
    now, before = schedule_figures(period, today), schedule_figures(period.previous(), today)
    return [
        _metric(
            "schedule_adherence",
            "Milestones met by their baseline date",
            "%",
            now["schedule_adherence"],
            before["schedule_adherence"],
            NO_BASELINE_DUE,
            None,
        ),
        _metric(
            "projects_late",
            "Projects that missed a baseline date",
            "projects",
            now["projects_late"],
            before["projects_late"],
            "",
            Drill("portfolio:project_list", {"late": "1", **drill_range(period, "baseline")}),
        ),
    ]


# Budget accuracy: actual cost (Σ ProjectCost) against budget.
NO_SPENDING = "No project with a budget had costs in this period."


def budget_figures(period: Period) -> Figures:
    from portfolio import selectors

    totals = selectors.budget_accuracy(period.start, period.end, period.scope)
    share = None
    if totals["projects"]:
        share = round(float(totals["spent"] * 100 / totals["budget"]), 1)
    return {"budget_accuracy": share, "projects_over_budget": totals["over"]}


def budget_metrics(period: Period) -> list[Metric]:
    """Actual against budget in total (%) over the projects with costs in the period, and
    how many of them are over their budget."""
    now, before = budget_figures(period), budget_figures(period.previous())
    spent = drill_range(period, "spent")
    return [
        _metric(
            "budget_accuracy",
            "Actual cost against budget",
            "%",
            now["budget_accuracy"],
            before["budget_accuracy"],
            NO_SPENDING,
            Drill("portfolio:project_list", spent),
        ),
        _metric(
            "projects_over_budget",
            "Projects over budget",
            "projects",
            now["projects_over_budget"],
            before["projects_over_budget"],
            "",
            Drill("portfolio:project_list", {"over_budget": "1", **spent}),
        ),
    ]


@dataclass(frozen=True)
class BudgetBar:
    """One project of the budget chart: its budget, what it spent up to the period's end,
    and the list holding just it."""

    label: str
    budget: float
    spent: float
    drill: Drill

    @property
    def share(self) -> float:
        """Spent as a percentage of the budget, 1 decimal."""
        return round(100 * self.spent / self.budget, 1)

    @property
    def over(self) -> bool:
        return self.spent > self.budget


def budget_by_project(period: Period, top: int = 10) -> list[BudgetBar]:
    """The `top` projects with costs in the period furthest over their budget (those under
    it follow when fewer are over): one query."""
    from portfolio import selectors

    rows = selectors.budget_by_project(period.start, period.end, period.scope, top=top)
    spent = drill_range(period, "spent")
    return [
        BudgetBar(
            f"{row['code']} {row['name']}",
            float(row["budget"]),
            float(row["spent"]),
            Drill("portfolio:project_list", {"code": row["code"], **spent}),
        )
        for row in rows
    ]


# Scope stability: re-plans (a milestone's due date moved after its baseline was set).
NO_LIVE = "No project is live."


def replan_figures(period: Period) -> Figures:
    from portfolio import selectors

    counts = selectors.replans_of_live(*period.bounds(), period.scope)
    mean = round(counts["replans"] / counts["live"], 2) if counts["live"] else None
    return {"replans_per_project": mean, "projects_replanned": counts["replanned"]}


def replan_metrics(period: Period) -> list[Metric]:
    """Mean re-plans per live project (its drill-down: the live projects, its denominator)
    and the projects re-planned in the period."""
    now, before = replan_figures(period), replan_figures(period.previous())
    return [
        _metric(
            "replans_per_project",
            "Re-plans per live project",
            "re-plans",
            now["replans_per_project"],
            before["replans_per_project"],
            NO_LIVE,
            Drill("portfolio:project_list", {"live": "1", **period.scope.params()}),
        ),
        _metric(
            "projects_replanned",
            "Projects re-planned",
            "projects",
            now["projects_replanned"],
            before["projects_replanned"],
            "",
            Drill("portfolio:project_list", drill_range(period, "replanned")),
        ),
    ]


def most_replanned(period: Period, top: int = 10) -> list[Segment]:
    """The `top` projects by re-plans saved in the period, most first: two queries."""
    from portfolio import selectors

    replanned = drill_range(period, "replanned")
    return [
        Segment(
            row["name"],
            row["replans"],
            Drill("portfolio:project_list", {"code": row["code"], **replanned}),
        )
        for row in selectors.most_replanned(*period.bounds(), period.scope, top=top)
    ]


# --- Operational impact (the part that needs no new data) ---------------------------------

PRIORITIES = (1, 2, 3, 4, 5)
NO_HANDOVER_CLOSED = "No handover was closed in this period."


def _incidents_of(period: Period) -> Any:
    """The incidents of the period's scope: the queryset each operational aggregate reads."""
    from handover.incidents import selectors as incidents

    return incidents.scoped(period.scope.objective, period.scope.service)


def operations_figures(period: Period) -> Figures:
    """Incidents linked to projects, transition time and time to resolve: three queries."""
    from handover import selectors as handover
    from handover.incidents import selectors as incidents

    scope = _incidents_of(period)
    linked = incidents.incidents_linked_to_projects(period.start, period.end, scope)
    transition = handover.transition_time(*period.bounds(), **period.scope.narrowing())
    resolution = incidents.resolution_by_priority(period.start, period.end, scope)
    figures: Figures = {
        "incidents_to_projects": linked["to_projects"],
        "incidents_through_changes": linked["through_changes"],
        "transition_time": None
        if transition["mean"] is None
        else round(float(transition["mean"]), 1),
    }
    for p in PRIORITIES:
        mean: timedelta | None = resolution.get(p, {}).get("mean")
        figures[f"mttr_p{p}"] = None if mean is None else round(mean.total_seconds() / 3600, 1)
    return figures


def operations_metrics(period: Period) -> list[Metric]:
    now, before = operations_figures(period), operations_figures(period.previous())
    opened = drill_range(period, "opened")
    specs: list[tuple[str, str, str, str, Drill]] = [
        (
            "incidents_to_projects",
            "Incidents linked to projects",
            "incidents",
            "",
            Drill("incidents:index", {"linked": "project", **opened}),
        ),
        (
            "incidents_through_changes",
            "Incidents caused by projects' changes",
            "incidents",
            "",
            Drill("incidents:index", {"linked": "project_change", **opened}),
        ),
        (
            "transition_time",
            "Transition time, go-live to closed handover",
            "days",
            NO_HANDOVER_CLOSED,
            # `timed`: the mean leaves out handovers without a recorded transition time.
            Drill(
                "handover:index", {"state": "closed", "timed": "1", **drill_range(period, "closed")}
            ),
        ),
    ]
    for p in PRIORITIES:
        specs.append(
            (
                f"mttr_p{p}",
                f"Mean time to resolve P{p}",
                "hours",
                f"No P{p} incident was resolved in this period.",
                Drill("incidents:index", {"priority": str(p), **drill_range(period, "resolved")}),
            )
        )
    return [
        _metric(key, label, unit, now[key], before[key], why, drill)
        for key, label, unit, why, drill in specs
    ] + [stability_metric(period)]


NO_GO_LIVE = "No project went live in this period."
STABILITY_DAYS = 30  # the first days after a go-live that count against it
STABILITY_WORST = 2  # P1 and P2


def stability_figure(period: Period) -> int | None:
    """P1–P2 incidents in the 30 days after each go-live in the period; None if none."""
    from handover.incidents import selectors as incidents
    from portfolio import selectors as portfolio

    counts = incidents.serious_after_go_live(
        period.start,
        period.end,
        days=STABILITY_DAYS,
        worst=STABILITY_WORST,
        scope=_incidents_of(period),
    )
    # Asked after the count, not instead of it: the same statements whatever the data.
    if not portfolio.go_lives_between(period.start, period.end):
        return None
    return sum(counts.values())


def stability_metric(period: Period) -> Metric:
    return _metric(
        "post_go_live_stability",
        "P1–P2 incidents in the 30 days after a go-live",
        "incidents",
        stability_figure(period),
        stability_figure(period.previous()),
        NO_GO_LIVE,
        Drill(
            "incidents:index",
            {
                "after_go_live": str(STABILITY_DAYS),
                "priority_max": str(STABILITY_WORST),
                **drill_range(period, "go_live"),
            },
        ),
    )


def early_life_top_projects(period: Period, top: int = 5) -> list[Segment]:
    """The projects with most incidents opened in the period during their early-life
    support, most first: two queries."""
    from handover.incidents import selectors as incidents
    from portfolio import selectors as portfolio

    rows = incidents.early_life_incidents_by_project(
        period.start, period.end, top=top, scope=_incidents_of(period)
    )
    names = portfolio.project_names(pk for pk, _ in rows)
    opened = drill_range(period, "opened")
    return [
        Segment(
            names[pk],
            n,
            # `for_project`: on the project, or caused by one of its changes.
            Drill("incidents:index", {"for_project": str(pk), "during": "early_life", **opened}),
        )
        for pk, n in rows
    ]


def operations_tax(period: Period, top: int = 10) -> tuple[Metric, list[Segment]]:
    """The operational hours the portfolio costs in the period (incident work logs on the
    projects' incidents and their early-life support): the total beside the previous
    period's, and the `top` projects, most hours first. Three queries a period and one for
    the names."""
    now, before = _tax_by_project(period), _tax_by_project(period.previous())
    from portfolio import selectors

    ranked = sorted(now.items(), key=lambda item: (-item[1], item[0]))[:top]
    names = selectors.project_names(pk for pk, _ in ranked)
    total = _metric(
        "operations_tax",
        "Operational hours the projects cost",
        "hours",
        round(float(sum(now.values(), Decimal(0))), 1),
        round(float(sum(before.values(), Decimal(0))), 1),
        "",
        None,  # two sources (work logs and support weeks): no one list adds up to it
    )
    segments = [
        Segment(
            names[pk],
            round(float(hours), 1),
            # The incidents the hours were logged on (no page lists hours; the support weeks
            # are on the project's handover).
            Drill("incidents:index", {"for_project": str(pk), **drill_range(period, "worked")}),
        )
        for pk, hours in ranked
    ]
    return total, segments


def _tax_by_project(period: Period) -> dict[int, Decimal]:
    """{project id: work-log hours + early-life support hours in the period}: two queries."""
    from django.utils import timezone

    from handover import selectors as handover
    from handover.incidents import selectors as incidents

    hours = incidents.work_hours_by_project(period.start, period.end, _incidents_of(period))
    support = handover.early_life_hours_by_project(
        period.start,
        period.end,
        timezone.localdate(),
        {"objective": period.scope.objective, "service": period.scope.service},
    )
    for project, more in support.items():
        hours[project] = hours.get(project, Decimal(0)) + more
    return {pk: value for pk, value in hours.items() if value}


FAMILIES: dict[str, Callable[[Period], list[Metric]]] = {
    "change": change_metrics,
    "knowledge": knowledge_metrics,
    "delivery": delivery_metrics,
    "operations": operations_metrics,
}


def compute(period: Period) -> dict[str, list[Metric]]:
    """Every family's metrics for the period, each beside the previous period's value."""
    return {name: family(period) for name, family in FAMILIES.items()}
