"""The demo's history for the executive view (issue 16): what projects spent by month,
milestone baselines with some re-plans (history rows, as the portal records them), and the
numbers behind benefits. Deterministic (no randomness) and idempotent: each project's rows
are rewritten on every seed.

The story: PRJ-0104 "Core banking database upgrade" ran late (its go-live re-planned twice,
twelve weeks past the baseline) and over budget; a third of the other approved projects
slipped once by three weeks; PRJ-0117's headline benefit was not realised.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .choices import BASELINED_STAGES, CostKind, MilestoneKind, Stage
from .models import Milestone, Project, ProjectCost

LATE_AND_OVER = "PRJ-0104"
NOT_REALISED = "PRJ-0117"
# Milestones that move when a plan slips (the start and the design are behind it already).
SLIPPING = (MilestoneKind.BUILD, MilestoneKind.GO_LIVE, MilestoneKind.CLOSE)
SPENDING = (Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED)
CAPITAL_SHARE = Decimal("0.65")
CENT = Decimal("0.01")
REALISED_REDUCTION = Decimal(-32)  # % fewer P1–P2 incidents, against a −30 % target

# Numbers of the benefits due for review (demo.BENEFITS_DUE): code -> (unit, before, target).
BENEFIT_NUMBERS = {
    "PRJ-0106": ("calls/month", Decimal("1200"), Decimal("720")),
    "PRJ-0117": ("%", Decimal("55"), Decimal("70")),
    "PRJ-0102": ("%", Decimal("99.5"), Decimal("99.95")),
}


def slips_of(base_code: str, index: int, stage: str) -> list[int]:
    """The re-plans of a project's plan, in weeks each (empty: kept to its baseline)."""
    if stage not in BASELINED_STAGES:
        return []
    if base_code == LATE_AND_OVER:
        return [6, 6]
    return [3] if index % 3 == 1 else []


def baseline_milestones(project: Project, slips: list[int]) -> None:
    """Give the project's milestones (just created at their current due dates) a baseline and
    the history rows of their plan: created at approval at the baseline date, then moved by
    each slip (a month apart, the latest two weeks ago)."""
    history = Milestone.history.model
    now = timezone.now()
    total = timedelta(weeks=sum(slips))
    milestones = list(Milestone.objects.filter(project=project))
    rows = []
    for milestone in milestones:
        moves = slips if milestone.kind in SLIPPING else []
        milestone.baseline_date = milestone.due_date - (total if moves else timedelta(0))
        due = milestone.baseline_date
        steps = [(len(moves), "+", due)]
        for n, weeks in enumerate(moves):
            due += timedelta(weeks=weeks)
            steps.append((len(moves) - n - 1, "~", due))
        for months_ago, kind, due_then in steps:
            rows.append(
                history(
                    id=milestone.pk,
                    project_id=project.pk,
                    name=milestone.name,
                    kind=milestone.kind,
                    due_date=due_then,
                    completed_on=milestone.completed_on if due_then == milestone.due_date else None,
                    baseline_date=milestone.baseline_date,
                    history_date=now - timedelta(days=30 * months_ago + 14),
                    history_type=kind,
                    history_change_reason="Re-planned" if kind == "~" else "",
                )
            )
    Milestone.objects.bulk_update(milestones, ["baseline_date"])
    history.objects.bulk_create(rows)


def seed_costs(project: Project, base_code: str, index: int, stage: str, today: date) -> None:
    """Monthly costs from the project's start to the last month ended (or its end): the
    budget spread over its planned months, a little under for most, far over for PRJ-0104."""
    ProjectCost.objects.filter(project=project).delete()
    if stage not in SPENDING or not (project.start_date and project.end_date and project.budget):
        return
    months = _months(project.start_date, project.end_date)
    last = today.replace(day=1) - timedelta(days=1)  # costs are booked for months ended
    burn = Decimal("2.6") if base_code == LATE_AND_OVER else Decimal("0.80") + index % 5 * CENT * 5
    monthly = project.budget / len(months) * burn
    rows = []
    for month in months:
        if month > last:
            break
        capital = (monthly * CAPITAL_SHARE).quantize(CENT)
        rows += [
            ProjectCost(project=project, month=month, kind=CostKind.CAPITAL, amount=capital),
            ProjectCost(
                project=project,
                month=month,
                kind=CostKind.OPERATING,
                amount=(monthly - capital).quantize(CENT),
                note="Contractors and licences",
            ),
        ]
    ProjectCost.objects.bulk_create(rows)


def _months(start: date, end: date) -> list[date]:
    month, months = start.replace(day=1), []
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def headline_numbers(base_code: str, closed: bool) -> dict:
    """The numbers of a project's headline benefit (fewer P1–P2 incidents, in %)."""
    numbers = {"unit": "%", "baseline_value": Decimal(0), "target_value": Decimal(-30)}
    if closed:
        # Beyond the target (a reduction: at or below it) but for PRJ-0117's.
        realised = Decimal(0) if base_code == NOT_REALISED else REALISED_REDUCTION
        numbers["realised_value"] = realised
    return numbers
