"""Strategic alignment (docs/metrics.md, "Strategic alignment"): each objective's weight
against its share of the live portfolio's budget (and of the booked project hours, which
the capacity snapshot gives), and the benefits realised against their targets.

Imports of the apps' selectors are inside the functions, as in metrics.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .metrics import Drill, Metric, _metric, _today, drill_range, ratio
from .period import Period


@dataclass(frozen=True)
class AlignmentRow:
    """One objective of the grouped bar chart: its weight's share of all active objectives'
    weights, and its share of the live portfolio's budget (and of booked project hours), in
    percent; `projects` is the count of the list behind it."""

    objective_id: int
    label: str
    weight: int
    weight_share: float | None
    budget: float
    budget_share: float | None
    projects: int
    drill: Drill
    # The share of booked project hours of the next 12 weeks (the capacity snapshot's).
    hours_share: float | None
    hours_why_missing: str


def alignment_rows(period: Period) -> list[AlignmentRow]:
    """Per active objective (heaviest first), weight share against budget share. The budget
    is the live portfolio's now (not the period's); the service scope narrows it, the
    objective scope does not (its shares are across objectives); nor do the booked hours,
    read from the published plan (capacity.hours_by_objective). One query, and the plan's."""
    from portfolio import selectors

    from .capacity import NO_SNAPSHOT, hours_by_objective

    hours = {row.objective_id: row for row in hours_by_objective()}
    rows = selectors.budget_by_objective(period.scope.service)
    weights = sum(row["weight"] for row in rows)
    budget = sum((row["budget"] for row in rows), Decimal(0))
    service = {"service": str(period.scope.service)} if period.scope.service else {}
    return [
        AlignmentRow(
            objective_id=row["pk"],
            label=row["name"],
            weight=row["weight"],
            weight_share=_share(row["weight"], weights),
            budget=float(row["budget"]),
            budget_share=_share(row["budget"], budget),
            projects=row["projects"],
            drill=Drill(
                "portfolio:project_list", {"objective": str(row["pk"]), "live": "1", **service}
            ),
            hours_share=hours[row["pk"]].share if row["pk"] in hours else None,
            hours_why_missing=hours[row["pk"]].why_missing if row["pk"] in hours else NO_SNAPSHOT,
        )
        for row in rows
    ]


def _share(part: Decimal | int, whole: Decimal | int) -> float | None:
    return None if not whole else round(float(part * 100 / whole), 1)


# Benefits realised against target.
NO_BENEFIT_ASSESSED = "No benefit with a numeric target was measured or overdue in this period."


def benefit_figures(period: Period, today: date) -> dict[str, float | int | None]:
    from portfolio import selectors

    counts = selectors.benefits_assessed(period.start, period.end, today, period.scope)
    return {
        "benefits_realised": ratio(counts["reached"], counts["assessed"]),
        "projects_benefit_unrealised": counts["unrealised_projects"],
    }


def benefit_metrics(period: Period) -> list[Metric]:
    """The share of the benefits assessed in the period that reached their target (no page
    lists benefits: `benefit_table` is the list behind it), and the projects with a benefit
    assessed in the period that did not (drilled to the project list)."""
    today = _today()
    now, before = benefit_figures(period, today), benefit_figures(period.previous(), today)
    return [
        _metric(
            "benefits_realised",
            "Benefits that reached their target",
            "%",
            now["benefits_realised"],
            before["benefits_realised"],
            NO_BENEFIT_ASSESSED,
            None,
        ),
        _metric(
            "projects_benefit_unrealised",
            "Projects with a benefit not realised",
            "projects",
            now["projects_benefit_unrealised"],
            before["projects_benefit_unrealised"],
            "",
            Drill(
                "portfolio:project_list",
                {"benefit": "unrealised", **drill_range(period, "assessed")},
            ),
        ),
    ]


@dataclass(frozen=True)
class BenefitRow:
    """A benefit assessed in the period: target against realised (None: not measured)."""

    project_id: int
    code: str
    description: str
    unit: str
    baseline: float
    target: float
    realised: float | None
    reached: bool


def benefit_table(period: Period) -> list[BenefitRow]:
    """The benefits assessed in the period, those not realised first: one query."""
    from portfolio import selectors

    rows = selectors.benefit_table(period.start, period.end, _today(), period.scope)
    return [
        BenefitRow(
            project_id=row["project_id"],
            code=row["code"],
            description=row["description"],
            unit=row["unit"],
            baseline=float(row["baseline"]),
            target=float(row["target"]),
            realised=None if row["realised"] is None else float(row["realised"]),
            reached=row["reached"],
        )
        for row in rows
    ]


def alignment_metrics(period: Period) -> list[Metric]:
    """The alignment family's tiles (the budget rows are a chart: `alignment_rows`)."""
    return benefit_metrics(period)
