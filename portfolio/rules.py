"""The rules of a project's data that every door shares, as pure functions over plain values.

The services call them before they write (and raise); the CSV preview calls them to list
every problem of every row without writing. So the form, the API and the import cannot
disagree about which objective links or which owner a project may have.

Objective links, one rule for every door:

- an objective is listed at most once;
- a contribution is a whole percent from 0 to 100; a link given without one keeps its
  current percentage, or counts 100 % when it is new (the form picks objectives, not
  percentages);
- links to active objectives become exactly the ones listed (one not listed is removed);
- a retired objective cannot be linked anew or given another percentage, and a link to one
  stays as it is whether listed or not: the form does not offer retired objectives, so their
  absence from a list says nothing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from itsm_pmo.dates import short_date

from .choices import BASELINED_STAGES

NEW_LINK_CONTRIBUTION = 100


class ObjectiveLike(Protocol):
    pk: int
    active: bool


@dataclass(frozen=True)
class ObjectiveLink:
    """One objective a project is to serve; `contribution` None keeps the current one."""

    objective: ObjectiveLike
    contribution: int | None = None


@dataclass(frozen=True)
class CurrentLink:
    """A link the project has now."""

    active: bool
    contribution: int


def objective_link_problems(
    links: Iterable[ObjectiveLink], current: Mapping[int, CurrentLink]
) -> list[str]:
    """Why these links cannot be saved over `current` (by objective id); empty when they can."""
    problems: list[str] = []
    seen: set[int] = set()
    for link in links:
        objective, contribution = link.objective, link.contribution
        if objective.pk in seen:
            problems.append(f"“{objective}” is listed twice.")
            continue
        seen.add(objective.pk)
        if problem := contribution_problem(objective, contribution):
            problems.append(problem)
            continue
        if not objective.active:
            now = current.get(objective.pk)
            if now is None or contribution not in (None, now.contribution):
                problems.append(f"“{objective}” is no longer an active objective.")
    return problems


def contribution_problem(objective: ObjectiveLike, contribution: int | None) -> str | None:
    """A contribution is a whole percent from 0 to 100 (or None: keep the current one)."""
    if contribution is None or (
        isinstance(contribution, int)
        and not isinstance(contribution, bool)
        and 0 <= contribution <= 100
    ):
        return None
    return f"{contribution} for “{objective}” is not a percent from 0 to 100."


def objective_links_after(
    links: Iterable[ObjectiveLink], current: Mapping[int, CurrentLink]
) -> dict[int, int]:
    """The links (objective id → percent) a project has once `links` are saved (checked first
    with `objective_link_problems`)."""
    after = {pk: now.contribution for pk, now in current.items() if not now.active}
    for link in links:
        if not link.objective.active:
            continue  # unchanged, as the check made sure
        now = current.get(link.objective.pk)
        if link.contribution is not None:
            after[link.objective.pk] = link.contribution
        else:
            after[link.objective.pk] = now.contribution if now else NEW_LINK_CONTRIBUTION
    return after


class PersonLike(Protocol):
    pk: int
    active: bool


def owner_problem(owner: PersonLike | None, *, current_owner_id: int | None) -> str | None:
    """A project's owner is an active person; a project keeps an owner who has since left."""
    if owner is None or owner.active or owner.pk == current_owner_id:
        return None
    return f"{owner} has left; choose an active person as the owner."


def realisation_problems(
    *, realised: str, realised_on: date | None, today: date, realised_value: object = None
) -> dict[str, str]:
    """What a benefit delivered is a value (in words, as a number or both) and the day it was
    measured, on or before today (by field; empty when it may be saved). Neither is a benefit
    not realised yet."""
    problems: dict[str, str] = {}
    if realised_on is not None and not realised.strip() and realised_value is None:
        problems["realised"] = "Say what was realised, in the benefit's measure."
    if realised_on is not None and realised_on > today:
        problems["realised_on"] = "A realisation is recorded once it has happened: not after today."
    return problems


def benefit_unit_problem(unit: str, *values: object) -> str | None:
    """A benefit's numbers (baseline, target, realised) mean nothing without their unit."""
    if unit.strip() or all(value is None for value in values):
        return None
    return "Give the unit of the numbers, e.g. %, h/month or EUR."


# Costs are booked by month: the month is its first day, so that a month is one value.
def first_of_month_problem(month: date | None) -> str | None:
    """Why `month` is not a month as costs record it (its first day), or None."""
    if month is None or month.day == 1:
        return None
    return f"A cost is booked to a month: give its first day ({month.replace(day=1):%Y-%m-%d})."


# Milestones. A milestone is completed when it happened: on or after the project's start (and
# not in the future, which the field itself refuses). A due date far outside the project's
# dates is more often a typo (a wrong year) than a plan, but plans do move, so it is said, not
# refused: "far" is more than FAR_OUTSIDE before the start or after the end.
FAR_OUTSIDE = timedelta(days=30)


def completion_problem(completed_on: date | None, project_start: date | None) -> str | None:
    """Why a milestone cannot have been completed on `completed_on`, or None."""
    if completed_on and project_start and completed_on < project_start:
        return (
            f"Completed before the project started ({short_date(project_start)}): give the "
            "day it was done, on or after the start."
        )
    return None


def due_date_warning(due: date | None, start: date | None, end: date | None) -> str | None:
    """What looks wrong with a due date far outside the project's dates, or None."""
    if due is None:
        return None
    if start and due < start - FAR_OUTSIDE:
        return (
            f"Due {(start - due).days} days before the project starts "
            f"({short_date(start)}): is the date right?"
        )
    if end and due > end + FAR_OUTSIDE:
        return (
            f"Due {(due - end).days} days after the project ends "
            f"({short_date(end)}): is the date right?"
        )
    return None


def needs_baseline(stage: str, baseline: date | None) -> bool:
    """A milestone takes its due date as baseline once its project is approved (approved or
    any stage after it) and only if it has none: re-planning never moves a baseline."""
    return baseline is None and stage in BASELINED_STAGES
