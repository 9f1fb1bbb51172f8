"""The weighted scoring model, as pure functions over plain records (no ORM).

A project's score is a sum of terms, one per criterion, on a 0–100 scale:

    term(c) = weight(c) / Σ weights × normalised(c) × 100

where normalised(c) is (value − 1) / 4 for a criterion where higher is better, (5 − value) / 4
where lower is better (risk, effort), and for the alignment criterion the objectives' weighted
contribution: Σ objective weight × contribution % / Σ weights of all active objectives.
A missing score contributes nothing and is reported as missing. Ties break on the
alignment term, then on the project code, so the order never depends on the database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
FOUR = Decimal(4)
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionRecord:
    id: int
    name: str
    weight: Decimal
    higher_is_better: bool = True
    is_alignment: bool = False


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    code: str
    scores: Mapping[int, int] = field(default_factory=dict)  # criterion id -> 1..5
    contributions: Mapping[int, int] = field(default_factory=dict)  # objective id -> 0..100


@dataclass(frozen=True)
class Term:
    criterion_id: int
    criterion: str
    weight: Decimal
    value: int | None  # the 1–5 score; None for alignment or a missing score
    normalised: Decimal  # 0..1
    points: Decimal  # this term's share of the 0–100 score
    missing: bool = False


@dataclass(frozen=True)
class Ranked:
    project_id: int
    code: str
    rank: int
    score: Decimal
    terms: tuple[Term, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(t.criterion for t in self.terms if t.missing)


def alignment(contributions: Mapping[int, int], objective_weights: Mapping[int, int]) -> Decimal:
    """0..1: how much of the organisation's weighted objectives the project serves."""
    total = sum(objective_weights.values())
    if not total:
        return Decimal(0)
    served = sum(
        Decimal(objective_weights[o]) * Decimal(pct) / HUNDRED
        for o, pct in contributions.items()
        if o in objective_weights
    )
    return min(Decimal(1), served / Decimal(total))


def normalised(value: int, higher_is_better: bool) -> Decimal:
    steps = Decimal(value - 1) if higher_is_better else Decimal(5 - value)
    return steps / FOUR


def terms_for(
    project: ProjectRecord,
    criteria: Iterable[CriterionRecord],
    objective_weights: Mapping[int, int],
) -> tuple[Term, ...]:
    return _Model(criteria, objective_weights).terms(project)


class _Model:
    """The criteria's weight shares and the objectives' total, worked out once for a whole
    ranking rather than once per project; every term's points as many times as it occurs."""

    def __init__(self, criteria: Iterable[CriterionRecord], objective_weights: Mapping[int, int]):
        self.criteria = list(criteria)
        total_weight = sum((c.weight for c in self.criteria), Decimal(0))
        self.shares = [
            c.weight / total_weight if total_weight else Decimal(0) for c in self.criteria
        ]
        self.objective_weights = objective_weights
        self._points: dict[tuple[int, Decimal], Decimal] = {}

    def points(self, index: int, norm: Decimal) -> Decimal:
        key = (index, norm)
        found = self._points.get(key)
        if found is None:
            found = (self.shares[index] * norm * HUNDRED).quantize(PLACES, ROUND_HALF_UP)
            self._points[key] = found
        return found

    def terms(self, project: ProjectRecord) -> tuple[Term, ...]:
        terms = []
        for index, c in enumerate(self.criteria):
            if c.is_alignment:
                norm = alignment(project.contributions, self.objective_weights)
                value, missing = None, False
            elif c.id in project.scores:
                value, missing = project.scores[c.id], False
                norm = NORMALISED.get((value, c.higher_is_better))
                if norm is None:
                    norm = normalised(value, c.higher_is_better)
            else:
                norm, value, missing = Decimal(0), None, True
            terms.append(
                Term(c.id, c.name, c.weight, value, norm, self.points(index, norm), missing)
            )
        return tuple(terms)


# normalised() of every score a criterion can have (1–5), either way round.
NORMALISED = {(v, up): normalised(v, up) for v in range(1, 6) for up in (True, False)}


def rank(
    projects: Iterable[ProjectRecord],
    criteria: Iterable[CriterionRecord],
    objective_weights: Mapping[int, int],
) -> list[Ranked]:
    """Every project with its score and terms, best first; rank 1 is the best."""
    model = _Model(criteria, objective_weights)
    alignment_at = [i for i, c in enumerate(model.criteria) if c.is_alignment]
    scored = []
    for project in projects:
        terms = model.terms(project)
        total = sum((t.points for t in terms), Decimal(0))
        align = sum((terms[i].points for i in alignment_at), Decimal(0))
        scored.append((project, terms, total, align))
    scored.sort(key=lambda row: (-row[2], -row[3], row[0].code))
    return [
        Ranked(p.id, p.code, position, total, terms)
        for position, (p, terms, total, _align) in enumerate(scored, start=1)
    ]


def with_weights(
    criteria: Iterable[CriterionRecord], weights: Mapping[int, Decimal]
) -> list[CriterionRecord]:
    """The criteria with some weights replaced (the what-if), others as saved."""
    return [
        CriterionRecord(
            c.id, c.name, weights.get(c.id, c.weight), c.higher_is_better, c.is_alignment
        )
        for c in criteria
    ]
