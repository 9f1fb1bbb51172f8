"""The executive dashboard as one structure: sections of tiles (metrics) and charts, for one
period and scope. The page draws it, the API returns it as JSON and the CSV export writes its
tables, so all three show the same numbers (docs/metrics.md defines each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from . import capacity, metrics, trends
from .metrics import Drill, Metric, Segment
from .period import Period

# Metrics where a fall is good news (the tile's arrow is green when they go down).
LOWER_IS_BETTER = {
    "failure_rate",
    "emergency_share",
    "lead_time",
    "refused",
    "incidents_to_projects",
    "incidents_through_changes",
    "transition_time",
    "post_go_live_stability",
    "operations_tax",
    "burnout_risk",
    *(f"mttr_p{p}" for p in metrics.PRIORITIES),
}


@dataclass(frozen=True)
class Series:
    """One data set of a chart: a value per label (None: not known) and, when its bars
    open lists of their own (a stage's green and red projects), the list behind each."""

    label: str
    values: list[float | None]
    drills: list[Drill | None] | None = None
    colour: str = ""  # a colour that means something (health); else the palette's


@dataclass(frozen=True)
class Chart:
    """A chart and the table behind it: one row per label, one column per series; each row
    drills to the list that produced it (None: no list adds up to it)."""

    key: str
    title: str
    kind: str  # "bar", "hbar" (horizontal bars), "stacked" (stacked horizontal), "line"
    unit: str
    labels: list[str]
    series: list[Series]
    drills: list[Drill | None] = field(default_factory=list)
    empty: str = ""  # why there is nothing to draw, shown instead of the chart
    note: str = ""

    @property
    def drawn(self) -> bool:
        return bool(self.labels)

    def as_data(self) -> dict:
        """What the page's script draws (json_script): the API's shape, drills as URLs."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "labels": self.labels,
            "series": [
                {
                    "label": s.label,
                    "values": s.values,
                    "colour": s.colour,
                    "drills": [d.url if d else None for d in s.drills] if s.drills else None,
                }
                for s in self.series
            ],
            "drills": [drill.url if drill else None for _, _, drill in self.rows()],
        }

    def rows(self) -> list[tuple[str, list[tuple[float | None, Drill | None]], Drill | None]]:
        """Per label: its cells (value, the list behind that bar when the series has its
        own) and the list behind the whole row."""
        drills = self.drills or [None] * len(self.labels)
        return [
            (
                label,
                [(s.values[n], s.drills[n] if s.drills else None) for s in self.series],
                drills[n],
            )
            for n, label in enumerate(self.labels)
        ]


@dataclass(frozen=True)
class Table:
    """Rows a chart cannot draw (benefits in units of their own): cells as text, each row
    opening its list."""

    key: str
    title: str
    columns: list[str]
    rows: list[tuple[list[str], Drill | None]]
    empty: str = ""
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: str
    tiles: list[Metric]
    charts: list[Chart]
    note: str = ""  # what the section is not narrowed by, when a scope is chosen
    tables: list[Table] = field(default_factory=list)


def _segments_chart(
    key: str, title: str, kind: str, unit: str, segments: list[Segment], empty: str
) -> Chart:
    return Chart(
        key=key,
        title=title,
        kind=kind,
        unit=unit,
        labels=[s.label for s in segments],
        series=[Series(unit.capitalize(), [s.value for s in segments])],
        drills=[s.drill for s in segments],
        empty="" if segments else empty,
    )


def _quarter(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


TREND_QUARTERS = 4  # a per-quarter chart shows at least this many, ending with the period's


def trend_window(period: Period) -> Period:
    """The whole quarters a per-quarter chart shows: those the period touches, and earlier
    ones up to four, so that a quarter's bar has others to be read against."""
    first = Period.quarter_of(period.end)
    for _ in range(TREND_QUARTERS - 1):
        first = Period.quarter_of(first.start - timedelta(days=1))
    return Period(min(first.start, period.start), period.end, period.scope)


HEALTH_COLOURS = {"green": "#10b981", "amber": "#f59e0b", "red": "#ef4444"}
SEVERITY_COLOURS = {"critical": "#7f1d1d", "high": "#ef4444", "medium": "#f59e0b", "low": "#94a3b8"}


def matrix_chart(
    key: str,
    title: str,
    unit: str,
    segments: list[Segment],
    row: str,
    column: str,
    columns: list[tuple[str, str, str]],
    empty: str,
) -> Chart:
    """Segments counted by two things (a stage and a health) as stacked bars: one bar per
    value of `row` (in the segments' order), one stack per value of `column` (value, label,
    colour), each stack opening its own list. The segments' drills name both values."""
    rows: dict[str, str] = {}
    for segment in segments:
        rows.setdefault(segment.drill.params[row], segment.label.rsplit(" – ", 1)[0])
    cells = {(s.drill.params[row], s.drill.params[column]): s for s in segments}
    series = []
    for value, label, colour in columns:
        stack = [cells.get((r, value)) for r in rows]
        if any(stack):
            series.append(
                Series(
                    label,
                    [cell.value if cell else 0 for cell in stack],
                    drills=[cell.drill if cell else None for cell in stack],
                    colour=colour,
                )
            )
    return Chart(
        key=key,
        title=title,
        kind="stacked",
        unit=unit,
        labels=list(rows.values()),
        series=series,
        empty="" if segments else empty,
    )


def delivery(period: Period) -> Section:
    from portfolio.choices import Health

    throughput = metrics.throughput_by_quarter(trend_window(period))
    closed = [
        Drill(
            "portfolio:project_list",
            {
                "stage": "closed",
                **metrics.drill_range(Period.quarter_of(q).within(period), "closed"),
            },
        )
        for q, _ in throughput
    ]
    return Section(
        key="delivery",
        title="Delivery performance",
        lead="Are projects delivered as planned: on time, on budget, the ones that matter first?",
        tiles=metrics.delivery_metrics(period),
        charts=[
            matrix_chart(
                "stage_health",
                "Live projects by stage and health (today)",
                "projects",
                metrics.projects_by_stage_and_health(),
                "stage",
                "health",
                [(h.value, h.label, HEALTH_COLOURS[h.value]) for h in Health],
                "No live project.",
            ),
            Chart(
                key="throughput",
                title="Projects closed per quarter",
                kind="bar",
                unit="projects",
                labels=[_quarter(q) for q, _ in throughput],
                series=[Series("Projects closed", [n for _, n in throughput])],
                drills=list(closed),
            ),
            budget_chart(metrics.budget_by_project(period)),
            _segments_chart(
                "replans",
                "Projects re-planned most in the period",
                "hbar",
                "re-plans",
                metrics.most_replanned(period),
                "No milestone was re-planned in this period.",
            ),
        ],
    )


def budget_chart(bars: list[metrics.BudgetBar]) -> Chart:
    """Budget against what was spent up to the period's end, most over budget first."""
    return Chart(
        key="budget",
        title="Budget against spent, projects most over budget first",
        kind="hbar",
        unit="",
        labels=[bar.label for bar in bars],
        series=[
            Series("Budget", [bar.budget for bar in bars], colour="#cbd5e1"),
            Series("Spent", [bar.spent for bar in bars], colour="#4f46e5"),
        ],
        drills=[bar.drill for bar in bars],
        empty="" if bars else "No project with a budget booked costs in this period.",
    )


def operations(period: Period) -> Section:
    tiles = metrics.operations_metrics(period)
    tax, tax_segments = metrics.operations_tax(period)
    mttr = [m for m in tiles if m.key.startswith("mttr_")]
    return Section(
        key="operations",
        title="Operational impact",
        lead="What the portfolio costs operations: incidents, instability after go-live, hours.",
        tiles=[m for m in tiles if not m.key.startswith("mttr_")] + [tax],
        charts=[
            _segments_chart(
                "early_life",
                "Projects with most incidents during early-life support",
                "hbar",
                "incidents",
                metrics.early_life_top_projects(period),
                "No incident was opened during a project's early-life support in this period.",
            ),
            _segments_chart(
                "operations_tax",
                "Operational hours each project cost",
                "hbar",
                "hours",
                tax_segments,
                "No operational hours were logged against a project in this period.",
            ),
            mttr_chart(period, mttr),
        ],
    )


def mttr_chart(period: Period, mttr: list[Metric]) -> Chart:
    """Mean time to resolve by priority, this period beside the previous one; each bar opens
    the incidents of that priority resolved in its own period."""

    def resolved(p: Period, n: int) -> Drill:
        return Drill("incidents:index", {"priority": str(n), **metrics.drill_range(p, "resolved")})

    priorities = range(1, len(mttr) + 1)
    return Chart(
        key="mttr",
        title="Mean time to resolve by priority",
        kind="bar",
        unit="hours",
        labels=[f"P{n}" for n in priorities],
        series=[
            Series(
                "This period", [m.value for m in mttr], [resolved(period, n) for n in priorities]
            ),
            Series(
                "Previous period",
                [m.previous for m in mttr],
                [resolved(period.previous(), n) for n in priorities],
            ),
        ],
        empty="" if any(m.value is not None for m in mttr) else mttr[0].why_missing,
        note=" ".join(m.why_missing for m in mttr if m.why_missing),
    )


def change_outcomes_chart(period: Period) -> Chart:
    quarters = trends.change_outcomes_by_quarter(trend_window(period))
    return Chart(
        key="change_outcomes",
        title="Reviewed changes per quarter, by outcome",
        kind="bar",
        unit="changes",
        labels=[_quarter(q) for q, _ in quarters],
        series=[
            Series(
                label,
                [counts[key][0] for _, counts in quarters],
                [counts[key][1] for _, counts in quarters],
                colour,
            )
            for (label, key, _), colour in zip(
                trends.OUTCOMES, ("#10b981", "#f59e0b", "#ef4444"), strict=True
            )
        ],
    )


def change(period: Period) -> Section:
    return Section(
        key="change",
        title="Change",
        lead="Do changes land safely, and how often do they hurt the services they touch?",
        tiles=metrics.change_metrics(period),
        charts=[change_outcomes_chart(period)],
        note="Success score: +3 successful, −2 with issues, −5 failed or backed out; "
        "−10, −5, −2 for each P1, P2, P3 incident a change caused.",
    )


def _published(at: datetime | None) -> str:
    return "" if at is None else timezone.localtime(at).strftime("%d %b %H:%M")


def capacity_note(period: Period) -> str:
    note = (
        "Read from the published capacity plan, from this week on: the date range does not apply."
    )
    if period.scope.objective is not None:
        note += " Narrowed to the objective: project hours only (operational work has none)."
    if period.scope.service is not None:
        note += " The plan is not narrowed by service."
    return note


def capacity_section(period: Period) -> Section:
    from resources.choices import Severity

    shares = capacity.team_utilisation(period.scope)
    conflicts = capacity.open_conflicts()
    trend = capacity.conflict_trend()
    return Section(
        key="capacity",
        title="Capacity",
        lead="Who is booked, for what, over the next 12 weeks, and where the plan breaks.",
        tiles=[capacity.burnout_metric(), capacity.top_quarter_hours_share(period.scope)],
        charts=[
            Chart(
                key="utilisation",
                title="Utilisation by team, next 12 weeks",
                kind="stacked",
                unit="%",
                labels=[s.team for s in shares],
                series=[
                    Series("Project", [s.project for s in shares]),
                    Series("Operational", [s.operational for s in shares]),
                ],
                drills=[s.drill for s in shares],
                empty="" if shares else capacity.NO_SNAPSHOT,
            ),
            matrix_chart(
                "conflicts",
                "Open conflicts by kind and severity",
                "conflicts",
                conflicts,
                "kind",
                "severity",
                [(v.value, v.label, SEVERITY_COLOURS[v.value]) for v in reversed(Severity)],
                "No open conflict in the published plan.",
            ),
            Chart(
                key="conflict_trend",
                title="Open conflicts, last 12 published plans",
                kind="line",
                unit="conflicts",
                labels=[_published(at) for at, _ in trend],
                series=[Series("Open conflicts", [n for _, n in trend])],
                empty="" if trend else capacity.NO_SNAPSHOT,
            ),
        ],
        note=capacity_note(period),
    )


def lessons_drill(quarter: date, period: Period, moment: str) -> Drill:
    """The lessons captured (`created`) or marked applied (`applied`) in a quarter."""
    whole = Period.quarter_of(quarter).within(period)
    return Drill("knowledge:index", {"state": "published", **metrics.drill_range(whole, moment)})


def knowledge(period: Period) -> Section:
    by_quarter = metrics.lessons_by_quarter(trend_window(period))
    return Section(
        key="knowledge",
        title="Knowledge",
        lead="Are lessons captured, and do later projects apply them?",
        tiles=metrics.knowledge_metrics(period),
        charts=[
            Chart(
                key="lessons",
                title="Lessons per quarter",
                kind="bar",
                unit="lessons",
                labels=[_quarter(q) for q, _, _ in by_quarter],
                series=[
                    Series(
                        "Captured",
                        [c for _, c, _ in by_quarter],
                        [lessons_drill(q, period, "created") for q, _, _ in by_quarter],
                    ),
                    Series(
                        "Marked applied",
                        [a for _, _, a in by_quarter],
                        [lessons_drill(q, period, "applied") for q, _, _ in by_quarter],
                    ),
                ],
            )
        ],
    )


BENEFITS_SHOWN = 10  # rows of the benefits table: the not realised come first


def alignment_section(period: Period) -> Section:
    from . import alignment

    rows = alignment.alignment_rows(period)
    benefits = alignment.benefit_table(period)
    hours_missing = {r.hours_why_missing for r in rows if r.hours_share is None}
    return Section(
        key="alignment",
        title="Strategic alignment",
        lead="Does the money and the time go where the strategy says, and do benefits arrive?",
        tiles=alignment.alignment_metrics(period),
        charts=[
            Chart(
                key="alignment",
                title="Each objective: its weight against its share of budget and booked hours",
                kind="hbar",
                unit="%",
                labels=[r.label for r in rows],
                series=[
                    Series("Weight", [r.weight_share for r in rows], colour="#94a3b8"),
                    Series("Budget (live projects)", [r.budget_share for r in rows]),
                    Series("Booked hours, next 12 weeks", [r.hours_share for r in rows]),
                ],
                drills=[r.drill for r in rows],
                empty="" if rows else "No active strategic objective.",
                note=" ".join(sorted(hours_missing)),
            )
        ],
        tables=[
            Table(
                key="benefits",
                title="Benefits measured in the period, not realised first",
                columns=["Project", "Benefit", "Baseline", "Target", "Realised", "Reached"],
                rows=[
                    (
                        [
                            b.code,
                            b.description,
                            f"{b.baseline:g} {b.unit}",
                            f"{b.target:g} {b.unit}",
                            "not measured" if b.realised is None else f"{b.realised:g} {b.unit}",
                            "yes" if b.reached else "no",
                        ],
                        Drill("portfolio:project_list", {"code": b.code}),
                    )
                    for b in benefits[:BENEFITS_SHOWN]
                ],
                empty=alignment.NO_BENEFIT_ASSESSED,
                note=f"{len(benefits) - BENEFITS_SHOWN} more not shown."
                if len(benefits) > BENEFITS_SHOWN
                else "",
            )
        ],
        note="Budgets and hours are today's and the plan's; the objective filter does not "
        "narrow this section (its shares are across objectives)."
        if period.scope.objective is not None
        else "Budgets are the live portfolio's today; hours are the published plan's.",
    )


SECTIONS = (delivery, operations, change, capacity_section, alignment_section, knowledge)


def build(period: Period) -> list[Section]:
    """Every section of the dashboard for the period and its scope, in the page's order."""
    return [section(period) for section in SECTIONS]
