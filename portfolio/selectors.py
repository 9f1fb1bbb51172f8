"""Reads of the portfolio shared by the pages, the API and the other apps."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, TruncQuarter

from itsm_pmo.permissions import Actor
from resources import selectors as capacity
from resources.engine import fit
from resources.engine.calendar import Horizon
from resources.engine.records import DemandRecord

from . import scoring
from .choices import BOARD_STAGES, RANKED_STAGES, CriterionKind, MilestoneKind, Stage
from .models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    ProjectCost,
    ProjectObjective,
    ProjectTransition,
    Score,
    Service,
    StrategicObjective,
)
from .permissions import may_read_projects

if TYPE_CHECKING:
    from resources.models import Snapshot


def projects_visible_to(user: Actor) -> QuerySet[Project]:
    """Every project, for anyone signed in with a role: one rule of visibility for the
    portfolio and everything that hangs off it (changes, handovers, incidents, lessons),
    because the portal exists so that both sides see one picture (docs/decisions.md,
    "Visibility"). Who may change a project is the predicates' business, not this."""
    return Project.objects.all() if may_read_projects(user) else Project.objects.none()


def projects() -> QuerySet[Project]:
    """Every project, unscoped: the choices of another app's filter or form, a loader's
    lookups. A page that shows projects to a reader scopes them with `projects_visible_to`."""
    return Project.objects.all()


def service_catalogue() -> QuerySet[Service]:
    """Every service of the catalogue, unordered (a caller orders as it shows them)."""
    return Service.objects.all()


def objectives() -> QuerySet[StrategicObjective]:
    """Every strategic objective, unscoped: the choices of another app's filter."""
    return StrategicObjective.objects.all()


def serves_objective(objective: int, project: str = "project") -> Exists:
    """Whether the row's project (its field `project`, read from the outer query) is aligned
    with the objective: a ProjectObjective row links them (docs/metrics.md, "Scope"). One
    EXISTS, so a row is kept once however it is linked."""
    return Exists(
        ProjectObjective.objects.filter(project_id=OuterRef(project), objective_id=objective)
    )


def milestones() -> QuerySet[Milestone]:
    """Every milestone of every project's plan, unscoped (go-lives for the calendar, the
    engine and the change form)."""
    return Milestone.objects.all()


def go_live_on(project: str = "project") -> Subquery:
    """For a queryset annotation: the go-live date (done, else planned) of the project at
    `project` of the outer row, the earliest if there are several."""
    go_lives = Milestone.objects.filter(
        project=OuterRef(project), kind=MilestoneKind.GO_LIVE
    ).order_by("due_date", "pk")
    return Subquery(go_lives.annotate(on=Coalesce("completed_on", "due_date")).values("on")[:1])


SUGGESTIONS = 15


# Codes the portal proposes: PRJ- and at least four digits.
CODE_PREFIX = "PRJ-"


def next_project_code() -> str:
    """The next free `PRJ-nnnn`: one above the highest number in use in codes of that shape
    (codes of other shapes are left alone), so a new project's code is proposed, not typed."""
    highest = (
        Project.objects.filter(code__regex=rf"^{CODE_PREFIX}[0-9]+$")
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(highest.removeprefix(CODE_PREFIX)) if highest else 0
    return f"{CODE_PREFIX}{number + 1:04d}"


def name_suggestions(kind: str, typed: str) -> list[str]:
    """A few names that contain what was typed, for the owner or support-team filter:
    owners of some project, or teams (one query, at most SUGGESTIONS names)."""
    typed = typed.strip()
    rows: QuerySet[Any]
    if kind == "owner":
        rows = capacity.people().filter(owned_projects__isnull=False)
    elif kind == "support_team":
        rows = capacity.teams()
    else:
        return []
    if typed:
        rows = rows.filter(name__icontains=typed)
    return list(rows.order_by("name").values_list("name", flat=True).distinct()[:SUGGESTIONS])


def project_list(user: Actor) -> QuerySet[Project]:
    """Projects for lists and the API: owner and support team joined, relations prefetched."""
    return (
        projects_visible_to(user)
        .select_related("owner", "support_team")
        .prefetch_related(
            "services",
            Prefetch(
                "objective_links", queryset=ProjectObjective.objects.select_related("objective")
            ),
        )
        .order_by("code")
    )


def criteria_records() -> list[scoring.CriterionRecord]:
    return [
        scoring.CriterionRecord(
            c.pk, c.name, c.weight, c.higher_is_better, c.kind == CriterionKind.ALIGNMENT
        )
        for c in Criterion.objects.order_by("order", "name")
    ]


def criterion_ids() -> set[int]:
    return set(Criterion.objects.values_list("pk", flat=True))


def objective_weights() -> dict[int, int]:
    return dict(StrategicObjective.objects.filter(active=True).values_list("pk", "weight"))


def objective_names() -> list[tuple[int, str]]:
    """(id, name) of every strategic objective, active first: what a dashboard narrows to."""
    return list(StrategicObjective.objects.order_by("-active", "name").values_list("pk", "name"))


def service_names() -> list[tuple[int, str]]:
    return list(Service.objects.order_by("name").values_list("pk", "name"))


@dataclass(frozen=True)
class RankedProject:
    project: Project
    rank: int
    score: Decimal
    terms: tuple[scoring.Term, ...]
    missing: tuple[str, ...]


def _rank(
    rows: Iterable[tuple[int, str]],
    ids: Any,  # a subquery of project ids, or a list of them
    weights: dict[int, Decimal] | None,
) -> list[scoring.Ranked]:
    """Rank the (id, code) rows; `ids` selects their scores and contributions."""
    criteria = criteria_records()
    if weights:
        criteria = scoring.with_weights(criteria, weights)
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, criterion_id, value in Score.objects.filter(project_id__in=ids).values_list(
        "project_id", "criterion_id", "value"
    ):
        scores[project_id][criterion_id] = value
    contributions: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, objective_id, pct in ProjectObjective.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "objective_id", "contribution"):
        contributions[project_id][objective_id] = pct
    records = [scoring.ProjectRecord(pk, code, scores[pk], contributions[pk]) for pk, code in rows]
    return scoring.rank(records, criteria, objective_weights())


def rank_projects(
    projects: QuerySet[Project], *, weights: dict[int, Decimal] | None = None
) -> list[scoring.Ranked]:
    """The projects ranked by the weighted scoring model (optionally with what-if weights),
    as light records: no project row is built, so a page builds only the ones it shows.

    Five queries whatever the number of projects: criteria, objectives, project codes,
    scores, objective contributions.
    """
    plain = projects.order_by()
    return _rank(list(plain.values_list("pk", "code")), plain.values("pk"), weights)


def with_projects(
    ranked: Iterable[scoring.Ranked], projects: QuerySet[Project]
) -> list[RankedProject]:
    """Ranked records with their project rows, read from `projects` (one query)."""
    ranked = list(ranked)
    by_id = projects.in_bulk([r.project_id for r in ranked])
    return [RankedProject(by_id[r.project_id], r.rank, r.score, r.terms, r.missing) for r in ranked]


def ranking(
    projects: QuerySet[Project], *, weights: dict[int, Decimal] | None = None
) -> list[RankedProject]:
    """The projects ranked by the weighted scoring model (optionally with what-if weights).

    Five queries whatever the number of projects: criteria, objectives, projects, scores,
    objective contributions.
    """
    by_id = {p.pk: p for p in projects}
    return [
        RankedProject(by_id[r.project_id], r.rank, r.score, r.terms, r.missing)
        for r in _rank([(p.pk, p.code) for p in by_id.values()], list(by_id), weights)
    ]


def ranked_portfolio(
    user: Actor,
    *,
    filtered: QuerySet[Project] | None = None,
    weights: dict[int, Decimal] | None = None,
) -> list[RankedProject]:
    """The live portfolio (not closed or rejected) in rank order."""
    base = filtered if filtered is not None else projects_visible_to(user)
    projects = base.filter(stage__in=RANKED_STAGES).select_related("owner", "support_team")
    return ranking(projects, weights=weights)


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[RankedProject]
    total: int = 0  # cards in the column, shown or not
    more_query: str = ""  # the page's query string that shows more of the column

    @property
    def hidden(self) -> int:
        """Cards of the column not shown (a "show more" away)."""
        return self.total - len(self.cards)


def board(
    projects: QuerySet[Project], *, limits: dict[str, int] | None = None
) -> tuple[list[BoardColumn], dict[str, int]]:
    """The triage board: a column per live stage with its best-ranked cards (at most
    `limits[stage]` of them when given) and how many it holds, and the number of closed and
    rejected projects (shown as counts, not cards). Ranks are over the whole board."""
    live = projects.filter(stage__in=BOARD_STAGES).order_by()
    rows = list(live.values_list("pk", "code", "stage"))
    stage_of = {pk: stage for pk, _code, stage in rows}
    per_stage: dict[str, list[scoring.Ranked]] = {str(stage): [] for stage in BOARD_STAGES}
    for ranked in _rank([(pk, code) for pk, code, _stage in rows], live.values("pk"), None):
        per_stage[stage_of[ranked.project_id]].append(ranked)
    shown = {
        stage: cards[: limits[stage]] if limits and stage in limits else cards
        for stage, cards in per_stage.items()
    }
    # Only the cards shown are built as project rows (with the board's annotations).
    cards = with_projects(
        (card for column in shown.values() for card in column), live.select_related("owner")
    )
    by_id = {card.project.pk: card for card in cards}
    columns = [
        BoardColumn(
            str(stage),
            str(stage.label),
            [by_id[card.project_id] for card in shown[stage]],
            len(per_stage[stage]),
        )
        for stage in BOARD_STAGES
    ]
    counts = dict(
        projects.filter(stage__in=[Stage.CLOSED, Stage.REJECTED])
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return columns, counts


def project_score(project: Project) -> RankedProject:
    """One project's score and its terms, from the scores and objective links
    `project_detail` prefetched (two queries: the criteria and the objectives' weights)."""
    record = scoring.ProjectRecord(
        project.pk,
        project.code,
        {s.criterion_id: s.value for s in project.scores.all()},
        {link.objective_id: link.contribution for link in project.objective_links.all()},
    )
    (ranked,) = scoring.rank([record], criteria_records(), objective_weights())
    return RankedProject(project, ranked.rank, ranked.score, ranked.terms, ranked.missing)


def project_detail(user: Actor, pk: int) -> Project:
    """One project with everything its page shows, in a fixed number of queries."""
    return (
        projects_visible_to(user)
        .select_related("owner", "owner__team", "support_team")
        .prefetch_related(
            "services",
            Prefetch(
                "objective_links", queryset=ProjectObjective.objects.select_related("objective")
            ),
            Prefetch("scores", queryset=Score.objects.select_related("criterion", "scored_by")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")),
            "risks__owner",
            "benefits__owner",
            "transitions__by",
        )
        .get(pk=pk)
    )


# --- the portfolio fit -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortfallLine:
    """A run of weeks short of a skill, with what the page shows about it."""

    skill: str
    range: fit.ShortfallRange
    projects: list[Project] = field(default_factory=list)


@dataclass(frozen=True)
class ProposalRow:
    project: Project
    rank: int
    fit: fit.ProposalFit
    lines: list[ShortfallLine]
    openable: bool  # the reader may open the project's page


@dataclass(frozen=True)
class FitReport:
    horizon: Horizon
    result: fit.PortfolioFit
    committed_projects: int  # committed projects with demand in the horizon
    committed_lines: list[ShortfallLine]
    proposals: list[ProposalRow]
    cache_key: str = ""  # names everything the report shows: its fragment's cache key


# Derived from a published snapshot: kept a week (a new snapshot gets new keys anyway).
FIT_CACHE_SECONDS = 7 * 24 * 3600


def snapshot_key(snapshot: "Snapshot") -> str:
    """What names a published snapshot in a cache key: its id AND its publication time (ids
    repeat across databases), so publishing a new one invalidates by construction."""
    published = snapshot.computed_at.timestamp() if snapshot.computed_at else 0
    return f"{snapshot.pk}-{published:.6f}"


def portfolio_fit(snapshot: "Snapshot", *, user: Actor) -> FitReport:
    """Do the committed projects and the proposals, in rank order, fit the free hours of the
    current snapshot, skill by skill, from this week to the end of its horizon?

    Everyone reads the whole answer (a proposal's fit depends on every better-ranked one);
    a reader opens only the projects they may see. The supply is computed once per snapshot
    and the fit once per snapshot and inputs (demands, proposals in rank order): both cached.
    Eight queries whatever the size, ten when the supply is not cached yet.
    """
    horizon, first = capacity.remaining_horizon(snapshot)
    committed, proposed = capacity.live_demands(horizon)
    # Light rows: the page shows a project's code, name and stage, and links it.
    ranked = ranking(
        Project.objects.filter(stage__in=RANKED_STAGES).only("pk", "code", "name", "stage")
    )
    by_project: dict[int, list[DemandRecord]] = defaultdict(list)
    for demand in proposed:
        by_project[demand.project_id].append(demand)
    proposals = [row for row in ranked if row.project.stage in capacity.PROPOSAL_STAGES]
    inputs = [
        fit.ProposalInput(row.project.pk, tuple(by_project[row.project.pk])) for row in proposals
    ]
    inputs_key = capacity.fingerprint(committed, inputs)
    key = f"portfolio:fit:{snapshot_key(snapshot)}:{first}:{inputs_key}"
    result = cache.get(key)
    if result is None:
        # The committed work's answer is the skills page's too: one calculation for both.
        served = capacity.committed_fit(snapshot, committed=committed)
        result = fit.proposals_fit(served, inputs)
        cache.set(key, result, FIT_CACHE_SECONDS)

    names = capacity.skill_names()
    projects = {row.project.pk: row.project for row in ranked}
    may_open = may_read_projects(user)

    def lines(ranges: Iterable[fit.ShortfallRange], *, with_projects: bool) -> list[ShortfallLine]:
        return [
            ShortfallLine(
                skill=names.get(r.skill_id, f"Skill {r.skill_id}"),
                range=r,
                projects=[projects[p] for p in r.project_ids if p in projects]
                if with_projects
                else [],
            )
            for r in ranges
        ]

    fits = {item.project_id: item for item in result.proposals}
    rows = [
        ProposalRow(
            project=row.project,
            rank=row.rank,
            fit=fits[row.project.pk],
            lines=lines(fits[row.project.pk].ranges, with_projects=False),
            openable=may_open,
        )
        for row in proposals
    ]
    return FitReport(
        horizon=horizon,
        result=result,
        committed_projects=len({d.project_id for d in committed}),
        committed_lines=lines(result.committed_ranges, with_projects=True),
        proposals=rows,
        cache_key=capacity.fingerprint(
            key,
            horizon,
            sorted(names.items()),
            may_open,
            [(p.pk, p.code, p.name, p.stage) for p in projects.values()],
            [(row.project.pk, row.rank) for row in rows],
        ),
    )


def replan_rows(start: datetime | None = None, end: datetime | None = None) -> QuerySet[Any]:
    """The history rows that are re-plans, saved in [start, end) when given: a saved change
    of a milestone's due date once it has a baseline (its history row differs from the one
    before it). The one definition of a re-plan, for the counts and the list's filter."""
    history = Milestone.history.model
    before = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    rows = history.objects.filter(history_type="~", baseline_date__isnull=False)
    if start is not None:
        rows = rows.filter(history_date__gte=start)
    if end is not None:
        rows = rows.filter(history_date__lt=end)
    return (
        rows.annotate(due_before=Subquery(before.values("due_date")[:1]))
        .exclude(due_before=F("due_date"))
        .exclude(due_before__isnull=True)
    )


def replans_by_project(
    projects: QuerySet[Project] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[int, int]:
    """{project id: how many times its milestones were re-planned (in [start, end) when
    given)}. One query, counted in SQL; projects without a re-plan are absent."""
    rows = replan_rows(start, end)
    if projects is not None:
        rows = rows.filter(project_id__in=projects.values("pk"))
    counted = rows.values("project_id").annotate(replans=Count("history_id")).order_by()
    return {row["project_id"]: row["replans"] for row in counted}


# --- a project's costs (its page's card) -----------------------------------------------------

COST_MONTHS_SHOWN = 12  # the card shows the latest months; the total counts them all


@dataclass
class CostMonth:
    """One month of a project's costs: a row per kind, either absent."""

    month: Any
    capital: Any = None
    operating: Any = None

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in (self.capital, self.operating) if c), Decimal(0))


@dataclass
class CostSummary:
    """A project's actual cost against its budget, and its latest months."""

    months: list[CostMonth]
    spent: Decimal
    budget: Decimal | None
    months_recorded: int

    @property
    def months_hidden(self) -> int:
        return self.months_recorded - len(self.months)

    @property
    def share(self) -> Decimal | None:
        """Spent as a percent of the budget, None without a budget to compare with."""
        if not self.budget:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("1"))

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.spent > self.budget


def project_costs(project: Project) -> CostSummary:
    """The costs card, in three queries whatever the number of months: the totals, the
    latest months, and their rows (newest month first)."""
    costs = ProjectCost.objects.filter(project=project)
    totals = costs.aggregate(spent=Sum("amount"), months=Count("month", distinct=True))
    latest = list(
        costs.order_by("-month").values_list("month", flat=True).distinct()[:COST_MONTHS_SHOWN]
    )
    by_month = {month: CostMonth(month) for month in latest}
    for cost in costs.filter(month__in=latest).order_by():
        setattr(by_month[cost.month], cost.kind, cost)
    return CostSummary(
        months=sorted(by_month.values(), key=lambda row: row.month, reverse=True),
        spent=totals["spent"] or Decimal(0),
        budget=project.budget,
        months_recorded=totals["months"],
    )


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Delivery") --------------


class ScopeLike(Protocol):
    """What narrows the executive view (itsm_pmo.dashboard.period.Scope): ids or None."""

    objective: int | None
    service: int | None


def in_scope(
    projects: QuerySet[Project], objective: int | None = None, service: int | None = None
) -> QuerySet[Project]:
    """The projects aligned with `objective` (a `ProjectObjective` row) and with `service`
    among their services, each when given (docs/metrics.md, "Scope"): the one narrowing of
    projects, for the project list's filter and the delivery metrics alike."""
    if objective is not None:
        links = ProjectObjective.objects.filter(objective_id=objective)
        projects = projects.filter(pk__in=links.values("project_id"))
    if service is not None:
        served = Project.services.through.objects.filter(service_id=service)
        projects = projects.filter(pk__in=served.values("project_id"))
    return projects


def scoped(scope: ScopeLike | None, projects: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """`projects` (every project by default) narrowed to a dashboard's scope."""
    projects = Project.objects.all() if projects is None else projects
    if scope is None:
        return projects
    return in_scope(projects, scope.objective, scope.service)


def _of_scoped(rows: QuerySet[Any], scope: ScopeLike | None, project: str = "project") -> Any:
    """Child rows (milestones, costs, ...) of the projects in scope; all without a scope."""
    if scope is None or (scope.objective is None and scope.service is None):
        return rows
    return rows.filter(**{f"{project}__in": scoped(scope).values("pk")})


def live_projects_by_stage_and_health(scope: ScopeLike | None = None) -> list[dict[str, Any]]:
    """[{"stage", "health", "n"}] for the live portfolio (the board's stages): one query."""
    rows = (
        scoped(scope)
        .filter(stage__in=BOARD_STAGES)
        .values("stage", "health")
        .annotate(n=Count("pk"))
        .order_by("stage", "health")
    )
    return [dict(row) for row in rows]


def _first_closed() -> Subquery:
    return Subquery(
        ProjectTransition.objects.filter(project=OuterRef("pk"), to_state=Stage.CLOSED)
        .order_by("at")
        .values("at")[:1]
    )


def first_closed_between(
    projects: QuerySet[Project], start: datetime | None, end: datetime | None
) -> QuerySet[Project]:
    """The projects whose first move to closed falls in [start, end) (either end open when
    None), annotated `closed_at`: the one definition of "closed in a period"."""
    projects = projects.annotate(closed_at=_first_closed())
    if start is not None:
        projects = projects.filter(closed_at__gte=start)
    if end is not None:
        projects = projects.filter(closed_at__lt=end)
    return projects


def closed_in(start: datetime, end: datetime, scope: ScopeLike | None = None) -> QuerySet[Project]:
    """Projects closed (their first move to closed) in [start, end), still closed now: a
    project reopened since is not delivered."""
    return first_closed_between(scoped(scope).filter(stage=Stage.CLOSED), start, end)


def projects_closed(start: datetime, end: datetime, scope: ScopeLike | None = None) -> int:
    """How many projects `closed_in` the range: one query."""
    return closed_in(start, end, scope).count()


def projects_closed_by_quarter(
    start: datetime, end: datetime, scope: ScopeLike | None = None
) -> dict[date, int]:
    """{first day of a quarter: projects closed in it} within [start, end), as
    `projects_closed` counts them, in the portal's time zone: one grouped query."""
    rows = (
        closed_in(start, end, scope)
        .annotate(quarter=TruncQuarter("closed_at", output_field=DateField()))
        .values("quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["quarter"]: row["n"] for row in rows}


def go_lives_between(first: date, last: date) -> dict[int, date]:
    """{project id: go-live date} for projects whose go-live (done, else planned; as
    `go_live_on`) falls from `first` to `last`, both included: one query."""
    rows = (
        Project.objects.annotate(go_live=go_live_on("pk"))
        .filter(go_live__gte=first, go_live__lte=last)
        .values_list("pk", "go_live")
    )
    return dict(rows)


def project_names(ids: Iterable[int]) -> dict[int, str]:
    """{id: "CODE Name"} for the given projects: one query."""
    return {
        pk: f"{code} {name}"
        for pk, code, name in Project.objects.filter(pk__in=list(ids)).values_list(
            "pk", "code", "name"
        )
    }


def completion_pool(
    projects: QuerySet[Project], start: datetime | None, end: datetime | None
) -> tuple[QuerySet[Project], set[int]]:
    """The pool the top-ranked quarter is taken from, among `projects`: the live ones now and
    those closed in [start, end) (as `closed_in`); and the ids of the closed ones. One query
    (the closed ids); the pool is a lazy queryset."""
    closed_in = first_closed_between(projects.filter(stage=Stage.CLOSED), start, end)
    closed = set(closed_in.values_list("pk", flat=True))
    # A subquery, not the ids: the statement is the same whether or not any closed.
    return projects.filter(Q(stage__in=RANKED_STAGES) | Q(pk__in=closed_in.values("pk"))), closed


def top_quarter(ranked: Iterable[scoring.Ranked]) -> list[scoring.Ranked]:
    """The best ceil(n / 4) of a ranking, by rank (ties as the ranking orders them)."""
    ordered = sorted(ranked, key=lambda r: r.rank)
    return ordered[: -(-len(ordered) // 4)]


def top_quarter_completion(
    start: datetime, end: datetime, scope: ScopeLike | None = None
) -> tuple[int, int]:
    """(projects of the top-ranked quarter closed in [start, end), size of that quarter).

    The pool is `completion_pool` of the projects in scope, ranked by today's scoring model.
    Six queries: the closed ones, then the ranking's five."""
    pool, closed = completion_pool(scoped(scope), start, end)
    top = top_quarter(rank_projects(pool))
    return sum(1 for r in top if r.project_id in closed), len(top)


# --- Schedule adherence: milestones against their baseline dates ------------------------


def met_baseline() -> Q:
    """A milestone completed on or before its baseline date."""
    return Q(baseline_date__isnull=False, completed_on__lte=F("baseline_date"))


def missed_baseline(today: date) -> Q:
    """A milestone completed after its baseline date, or not completed with its baseline
    date behind `today` (one still open on its baseline day is not missed yet)."""
    return Q(baseline_date__isnull=False) & (
        Q(completed_on__gt=F("baseline_date"))
        | Q(completed_on__isnull=True, baseline_date__lt=today)
    )


def baseline_between(first: date | None, last: date | None) -> Q:
    """A milestone whose baseline date falls from `first` to `last`, both included."""
    q = Q(baseline_date__isnull=False)
    if first is not None:
        q &= Q(baseline_date__gte=first)
    if last is not None:
        q &= Q(baseline_date__lte=last)
    return q


def with_milestones(projects: QuerySet[Project], condition: Q) -> QuerySet[Project]:
    """The projects with at least one milestone meeting `condition`."""
    return projects.filter(pk__in=Milestone.objects.filter(condition).values("project_id"))


def schedule_adherence(
    first: date, last: date, today: date, scope: ScopeLike | None = None
) -> dict[str, int]:
    """{"met", "missed", "late_projects"}: milestones with a baseline date from `first` to
    `last` met by it or missed (as of `today`), and the projects with a missed one. One
    query."""
    rows = _of_scoped(Milestone.objects.filter(baseline_between(first, last)), scope)
    missed = missed_baseline(today)
    return rows.aggregate(
        met=Count("pk", filter=met_baseline()),
        missed=Count("pk", filter=missed),
        late_projects=Count("project", filter=missed, distinct=True),
    )


# --- Budget accuracy: actual cost against budget ------------------------------------------


def has_budget() -> Q:
    """A project with a budget to compare its costs with (none, or 0, compares nothing)."""
    return Q(budget__gt=0)


def spending_between(
    projects: QuerySet[Project], first: date | None, last: date | None
) -> QuerySet[Project]:
    """The projects with a budget and a cost booked for a month that overlaps `first` to
    `last` (a cost's month is its first day; either end open when None): the projects
    budget accuracy reads."""
    costs = ProjectCost.objects.all()
    if first is not None:
        costs = costs.filter(month__gte=first.replace(day=1))
    if last is not None:
        costs = costs.filter(month__lte=last)
    return projects.filter(has_budget(), pk__in=costs.values("project_id"))


def with_spent(projects: QuerySet[Project], through: date | None) -> QuerySet[Any]:
    """Annotated `spent`: the project's costs for the months up to `through` (all when None),
    0 without any."""
    month = Q() if through is None else Q(costs__month__lte=through)
    return projects.annotate(
        spent=Coalesce(
            Sum("costs__amount", filter=month), Value(Decimal(0)), output_field=DecimalField()
        )
    )


def over_budget(projects: QuerySet[Project], through: date | None) -> QuerySet[Any]:
    """The projects whose costs up to `through` exceed their budget."""
    return with_spent(projects.filter(has_budget()), through).filter(spent__gt=F("budget"))


def budget_accuracy(first: date, last: date, scope: ScopeLike | None = None) -> dict[str, Any]:
    """{"projects", "budget", "spent", "over"} over the projects `spending_between` the days:
    their budgets, their costs up to `last`, and how many are over budget. One query."""
    spending = with_spent(spending_between(scoped(scope), first, last), last)
    totals = spending.aggregate(
        projects=Count("pk"),
        total_budget=Sum("budget"),
        total_spent=Sum("spent"),
        over=Count("pk", filter=Q(spent__gt=F("budget"))),
    )
    return {
        "projects": totals["projects"],
        "budget": totals["total_budget"],
        "spent": totals["total_spent"],
        "over": totals["over"],
    }


def budget_by_project(
    first: date, last: date, scope: ScopeLike | None = None, top: int = 10
) -> list[dict[str, Any]]:
    """[{"pk", "code", "name", "budget", "spent"}] of the `top` projects spending in the days
    furthest over their budget (spent − budget, largest first; those under it follow). One
    query."""
    rows = (
        with_spent(spending_between(scoped(scope), first, last), last)
        .annotate(overrun=F("spent") - F("budget"))
        .order_by("-overrun", "code")
        .values("pk", "code", "name", "budget", "spent")
    )
    return [dict(row) for row in rows[:top]]


# --- Scope stability: re-plans ----------------------------------------------------------


def replanned_between(
    projects: QuerySet[Project], start: datetime | None, end: datetime | None
) -> QuerySet[Project]:
    """The projects with at least one re-plan saved in [start, end)."""
    return projects.filter(pk__in=replan_rows(start, end).values("project_id"))


def replans_of_live(start: datetime, end: datetime, scope: ScopeLike | None = None) -> dict:
    """{"replans", "live", "replanned"}: re-plans saved in [start, end) on milestones of
    projects live now, how many projects are live now, and how many projects (in any stage)
    have a re-plan saved in the range; all in scope. Three queries."""
    live = live_in(scoped(scope))
    replans = replan_rows(start, end).filter(project_id__in=live.values("pk")).count()
    replanned = replanned_between(scoped(scope), start, end).count()
    return {"replans": replans, "live": live.count(), "replanned": replanned}


def most_replanned(
    start: datetime, end: datetime, scope: ScopeLike | None = None, top: int = 10
) -> list[dict[str, Any]]:
    """[{"pk", "code", "name", "replans"}]: the `top` projects by re-plans saved in
    [start, end), most first. Two queries (the counts, the names)."""
    counted = replans_by_project(scoped(scope), start, end)
    rows = Project.objects.filter(pk__in=list(counted)).values_list("pk", "code", "name")
    ranked = sorted(rows, key=lambda row: (-counted[row[0]], row[1]))[:top]
    return [
        {"pk": pk, "code": code, "name": f"{code} {name}", "replans": counted[pk]}
        for pk, code, name in ranked
    ]


# --- Strategic alignment: budget against the objectives' weights ------------------------


def budget_by_objective(service: int | None = None) -> list[dict[str, Any]]:
    """[{"pk", "name", "weight", "budget", "projects"}] per active objective: the budget of
    the live portfolio attributed to it (Σ budget × the link's contribution ÷ 100) and the
    live projects aligned with it, narrowed to the projects of `service` when given. The
    objective scope does not narrow it: its shares are across objectives. One query."""
    live = Q(project_links__project__stage__in=RANKED_STAGES)
    if service is not None:
        live &= Q(project_links__project__in=in_scope(Project.objects.all(), service=service))
    attributed = ExpressionWrapper(
        F("project_links__project__budget") * F("project_links__contribution") / 100,
        output_field=DecimalField(),
    )
    rows = (
        StrategicObjective.objects.filter(active=True)
        .annotate(
            attributed_budget=Coalesce(
                Sum(attributed, filter=live), Value(Decimal(0)), output_field=DecimalField()
            ),
            live_projects=Count("project_links__project", filter=live, distinct=True),
        )
        .order_by("-weight", "name")
        .values_list("pk", "name", "weight", "attributed_budget", "live_projects")
    )
    keys = ("pk", "name", "weight", "budget", "projects")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def live_in(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The live portfolio (not closed or rejected) among `projects`."""
    return projects.filter(stage__in=RANKED_STAGES)


# --- Benefits realised against target ---------------------------------------------------


def measurable_benefit() -> Q:
    """A benefit with a numeric baseline and target: one whose realisation can be judged."""
    return Q(baseline_value__isnull=False, target_value__isnull=False)


def benefit_reached() -> Q:
    """A realised value at or beyond the target, in the target's direction from the baseline
    (a target below the baseline is a reduction: reached at or below it)."""
    up = Q(target_value__gte=F("baseline_value"), realised_value__gte=F("target_value"))
    down = Q(target_value__lt=F("baseline_value"), realised_value__lte=F("target_value"))
    return Q(realised_value__isnull=False) & (up | down)


def assessed_between(first: date | None, last: date | None, today: date) -> Q:
    """A measurable benefit assessed in the days: measured (`realised_value`) on a day
    (`realised_on`) from `first` to `last`; or, without a measurement, its review date in
    them and behind `today` (overdue: counted as not realised)."""

    def within(field: str) -> Q:
        q = Q()
        if first is not None:
            q &= Q(**{f"{field}__gte": first})
        if last is not None:
            q &= Q(**{f"{field}__lte": last})
        return q

    measured = Q(realised_value__isnull=False) & within("realised_on")
    overdue = Q(realised_value__isnull=True, review_date__lt=today) & within("review_date")
    return measurable_benefit() & (measured | overdue)


def with_benefits(projects: QuerySet[Project], condition: Q) -> QuerySet[Project]:
    """The projects with at least one benefit meeting `condition`."""
    return projects.filter(pk__in=Benefit.objects.filter(condition).values("project_id"))


def benefits_assessed(
    first: date, last: date, today: date, scope: ScopeLike | None = None
) -> dict[str, int]:
    """{"assessed", "reached", "unrealised_projects"}: benefits assessed in the days, those
    that reached their target, and the projects with one that did not. One query."""
    rows = _of_scoped(Benefit.objects.filter(assessed_between(first, last, today)), scope)
    return rows.aggregate(
        assessed=Count("pk"),
        reached=Count("pk", filter=benefit_reached()),
        unrealised_projects=Count("project", filter=~benefit_reached(), distinct=True),
    )


def benefit_table(
    first: date, last: date, today: date, scope: ScopeLike | None = None
) -> list[dict[str, Any]]:
    """The benefits assessed in the days, those not realised first (then by project code):
    [{"pk", "project_id", "code", "description", "unit", "baseline", "target", "realised",
    "reached"}]. One query."""
    rows = (
        _of_scoped(Benefit.objects.filter(assessed_between(first, last, today)), scope)
        .annotate(
            reached=Case(
                When(benefit_reached(), then=True), default=False, output_field=BooleanField()
            ),
            code=F("project__code"),
        )
        .order_by("reached", "code", "pk")
        .values(
            "pk",
            "project_id",
            "code",
            "description",
            "unit",
            "baseline_value",
            "target_value",
            "realised_value",
            "reached",
        )
    )
    return [
        {
            **{k: v for k, v in row.items() if not k.endswith("_value")},
            "baseline": row["baseline_value"],
            "target": row["target_value"],
            "realised": row["realised_value"],
            "reached": bool(row["reached"]),
        }
        for row in rows
    ]


def top_quarter_ids(pool: QuerySet[Project]) -> set[int]:
    """The ids of the top-ranked quarter of `pool` by today's scoring model: the ranking's
    five queries."""
    return {r.project_id for r in top_quarter(rank_projects(pool))}


def live_top_quarter(*, objective: int | None = None) -> set[int]:
    """The ids of the top-ranked quarter of the live portfolio (the ranked stages), or of its
    projects aligned with `objective` when given: the ranking's five queries."""
    pool = Project.objects.filter(stage__in=RANKED_STAGES)
    if objective is not None:
        pool = pool.filter(objective_links__objective=objective)
    return top_quarter_ids(pool)


def aligned_with(objective: int) -> set[int]:
    """The ids of the projects aligned with a strategic objective (a `ProjectObjective` row,
    whatever its contribution), in any stage: one query."""
    return set(
        ProjectObjective.objects.filter(objective=objective).values_list("project_id", flat=True)
    )


def objective_contributions() -> tuple[list[StrategicObjective], list[tuple[int, int, int]]]:
    """The active strategic objectives (by weight, then name) and every (objective id,
    project id, contribution in %) link to one of them: two queries."""
    objectives = list(StrategicObjective.objects.filter(active=True).order_by("-weight", "name"))
    links = list(
        ProjectObjective.objects.filter(objective__active=True).values_list(
            "objective_id", "project_id", "contribution"
        )
    )
    return objectives, links
