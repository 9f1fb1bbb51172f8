"""Reads of the portfolio shared by the pages and the API."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from itsm_pmo.permissions import Actor
from itsm_pmo.roles import Role, has_role

from . import scoring
from .choices import BOARD_STAGES, RANKED_STAGES, CriterionKind, Stage
from .models import (
    Criterion,
    Milestone,
    Project,
    ProjectObjective,
    Score,
    StrategicObjective,
)

READ_ALL_ROLES = (Role.PMO_LEAD, Role.ITSM_MANAGER, Role.EXECUTIVE)


def projects_visible_to(user: Actor) -> QuerySet[Project]:
    """Every project for PMO leads, ITSM managers and executives; for engineers, the projects
    they work on: ones they own or their team will support."""
    projects = Project.objects.all()
    if has_role(user, READ_ALL_ROLES):
        return projects
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return projects.none()
    return projects.filter(Q(owner=person) | Q(support_team_id=person.team_id))


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


@dataclass(frozen=True)
class RankedProject:
    project: Project
    rank: int
    score: Decimal
    terms: tuple[scoring.Term, ...]
    missing: tuple[str, ...]


def ranking(
    projects: QuerySet[Project], *, weights: dict[int, Decimal] | None = None
) -> list[RankedProject]:
    """The projects ranked by the weighted scoring model (optionally with what-if weights).

    Five queries whatever the number of projects: criteria, objectives, projects, scores,
    objective contributions.
    """
    criteria = criteria_records()
    if weights:
        criteria = scoring.with_weights(criteria, weights)
    by_id = {p.pk: p for p in projects}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, criterion_id, value in Score.objects.filter(project_id__in=by_id).values_list(
        "project_id", "criterion_id", "value"
    ):
        scores[project_id][criterion_id] = value
    contributions: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, objective_id, pct in ProjectObjective.objects.filter(
        project_id__in=by_id
    ).values_list("project_id", "objective_id", "contribution"):
        contributions[project_id][objective_id] = pct
    records = [
        scoring.ProjectRecord(p.pk, p.code, scores[p.pk], contributions[p.pk])
        for p in by_id.values()
    ]
    return [
        RankedProject(by_id[r.project_id], r.rank, r.score, r.terms, r.missing)
        for r in scoring.rank(records, criteria, objective_weights())
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


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    cards: list[RankedProject]


def board(projects: QuerySet[Project]) -> tuple[list[BoardColumn], dict[str, int]]:
    """The triage board: a column per live stage with cards in rank order, and the number
    of closed and rejected projects (shown as counts, not cards)."""
    ranked = ranking(projects.filter(stage__in=BOARD_STAGES).select_related("owner"))
    columns: dict[str, BoardColumn] = {
        str(stage): BoardColumn(str(stage), str(stage.label), []) for stage in BOARD_STAGES
    }
    for row in ranked:
        columns[row.project.stage].cards.append(row)
    counts = dict(
        projects.filter(stage__in=[Stage.CLOSED, Stage.REJECTED])
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return list(columns.values()), counts


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
