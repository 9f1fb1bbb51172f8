"""Rows -> engine records: the only ORM code of the calculation (values() querysets)."""

from collections import defaultdict

from django.conf import settings

from .engine.calendar import Horizon
from .engine.records import (
    OPERATIONAL,
    PROJECT,
    AbsenceRecord,
    DemandRecord,
    PersonRecord,
    WorkRecord,
)
from .models import Absence, Allocation, Demand, Person, PersonSkill, Skill, WorkKind

# Allocations of projects in these stages no longer take anyone's time.
FINISHED_STAGES = ("closed", "rejected")
# Unnamed demand becomes a commitment once a project is approved; proposals are weighed in
# the portfolio fit instead of raising skill-gap conflicts.
COMMITTED_STAGES = ("approved", "in_flight", "handover")
# Reactive work done when someone is there; a rota or a project commitment is not.
SCALES_WITH_AVAILABILITY = (WorkKind.BAU, WorkKind.INCIDENT)


def people(horizon: Horizon):
    levels = defaultdict(list)
    for person_id, skill_id, level in PersonSkill.objects.filter(person__active=True).values_list(
        "person_id", "skill_id", "level"
    ):
        levels[person_id].append((skill_id, level))
    for pk, name, team_id, hours in Person.objects.filter(active=True).values_list(
        "pk", "name", "team_id", "contracted_hours"
    ):
        yield PersonRecord(pk, name, team_id, float(hours), tuple(sorted(levels[pk])))


def absences(horizon: Horizon):
    rows = Absence.objects.filter(end_date__gte=horizon.start, start_date__lte=horizon.end)
    for person_id, start, end in rows.values_list("person_id", "start_date", "end_date"):
        yield AbsenceRecord(person_id, start, end)


def allocations(horizon: Horizon):
    rows = (
        Allocation.objects.filter(
            end_date__gte=horizon.start, start_date__lte=horizon.end, person__active=True
        )
        .exclude(project__stage__in=FINISHED_STAGES)
        .values_list(
            "pk",
            "person_id",
            "start_date",
            "end_date",
            "hours_per_week",
            "kind",
            "project_id",
            "tentative",
        )
    )
    for pk, person_id, start, end, hours, kind, project_id, tentative in rows:
        yield WorkRecord(
            person_id,
            start,
            end,
            float(hours),
            PROJECT if kind == WorkKind.PROJECT else OPERATIONAL,
            kind,
            project_id,
            tentative,
            ref=f"allocation:{pk}",
            scales_with_availability=kind in SCALES_WITH_AVAILABILITY,
        )


def demands(horizon: Horizon):
    rows = Demand.objects.filter(
        end_date__gte=horizon.start,
        start_date__lte=horizon.end,
        project__stage__in=COMMITTED_STAGES,
    )
    for project_id, skill_id, level, start, end, hours in rows.values_list(
        "project_id", "skill_id", "min_level", "start_date", "end_date", "hours_per_week"
    ):
        yield DemandRecord(project_id, skill_id, level, start, end, float(hours))


def engine_settings() -> dict:
    """Settings the rules read, including the labels they put in messages."""
    return {
        "overallocation_threshold": settings.OVERALLOCATION_THRESHOLD,
        "skill_names": dict(Skill.objects.values_list("pk", "name")),
    }
