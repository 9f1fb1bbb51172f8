"""The engine on tiny hand-made inputs: no database, table-driven where it helps."""

from datetime import date, timedelta

import pytest

from resources.conflicts import overallocation, skill_gap
from resources.engine.calendar import Horizon
from resources.engine.records import (
    OPERATIONAL,
    PROJECT,
    AbsenceRecord,
    DemandRecord,
    PersonRecord,
    WorkRecord,
)
from resources.engine.run import Plan, run

MONDAY = date(2027, 1, 4)
H = Horizon(MONDAY, 8)
RULES = {"overallocation": overallocation, "skill_gap": skill_gap}


def week(n: int) -> date:
    return MONDAY + timedelta(weeks=n)


def friday(n: int) -> date:
    return week(n) + timedelta(days=4)


def plan(records, **settings):
    return Plan.from_records(H, records, settings={"skill_names": {7: "PostgreSQL"}, **settings})


def test_engine_two_25h_allocations_on_a_40h_person_conflict_exactly_in_those_weeks():
    # given Ana (40 h) with two 25 h allocations overlapping in weeks 2 and 3 only
    ana = PersonRecord(1, "Ana", 10, 40.0)
    a = WorkRecord(1, week(0), friday(3), 25.0, PROJECT, "project", project_id=100, ref="a")
    b = WorkRecord(1, week(2), friday(5), 25.0, PROJECT, "project", project_id=200, ref="b")
    # when
    loads, conflicts = run(plan([ana, a, b]), RULES)
    # then 50 h = 125 % in weeks 2 and 3, nowhere else
    assert loads.project[1] == [25, 25, 50, 50, 25, 25, 0, 0]
    assert [c.period_start for c in conflicts] == [week(2), week(3)]
    first = conflicts[0]
    assert (first.kind, first.subject_id, first.severity) == ("overallocation", 1, "medium")
    assert "125%" in first.message
    assert first.project_ids == (100, 200)
    assert first.details["sources"] == ["a", "b"]


def test_engine_absence_week_lowers_capacity_and_overbooks_the_allocation():
    # given leave all of week 1 and a bank holiday for everyone on Monday of week 4
    ana = PersonRecord(1, "Ana", 10, 40.0)
    leave = AbsenceRecord(1, week(1), friday(1))
    holiday = AbsenceRecord(None, week(4), week(4))
    work = WorkRecord(1, week(0), friday(7), 20.0, OPERATIONAL, "bau")
    # when
    loads, conflicts = run(plan([ana, leave, holiday, work]), RULES)
    # then
    assert loads.capacity[1] == [40, 0, 40, 40, 32, 40, 40, 40]
    assert [(c.period_start, c.severity) for c in conflicts] == [(week(1), "critical")]
    assert "away all week" in conflicts[0].message


def test_engine_overlapping_absences_count_a_day_once_and_weekends_not_at_all():
    ana = PersonRecord(1, "Ana", 1, 40.0)
    leave = AbsenceRecord(1, week(0), week(0) + timedelta(days=6))  # Mon..Sun
    overlap = AbsenceRecord(1, week(0) + timedelta(days=3), week(1))  # Thu..next Mon
    loads, _ = run(plan([ana, leave, overlap]), RULES)
    assert loads.capacity[1][:2] == [0, 32]


def test_engine_partial_weeks_are_prorated_by_working_days():
    ana = PersonRecord(1, "Ana", 1, 40.0)
    wednesday_to_tuesday = WorkRecord(
        1, week(0) + timedelta(days=2), week(1) + timedelta(days=1), 10.0, PROJECT, "project", 5
    )
    loads, _ = run(plan([ana, wednesday_to_tuesday]), RULES)
    assert loads.project[1][:3] == [6.0, 4.0, 0.0]


@pytest.mark.parametrize(
    ("threshold", "hours", "expected"),
    [
        (1.0, 40.0, 0),  # exactly full: no conflict
        (1.0, 40.2, 1),  # just over
        (1.2, 46.0, 0),  # within a 120 % threshold
        (1.2, 49.0, 1),
    ],
)
def test_engine_overallocation_threshold_is_a_setting(threshold, hours, expected):
    ana = PersonRecord(1, "Ana", 1, 40.0)
    work = WorkRecord(1, week(0), friday(0), hours, OPERATIONAL, "on_call")
    _, conflicts = run(plan([ana, work], overallocation_threshold=threshold), RULES)
    assert len(conflicts) == expected


def test_engine_team_cells_sum_their_people():
    people = [
        PersonRecord(1, "A", 10, 40.0),
        PersonRecord(2, "B", 10, 20.0),
        PersonRecord(3, "C", 11, 30.0),
    ]
    work = [
        WorkRecord(1, week(0), friday(0), 10, PROJECT, "project", 1),
        WorkRecord(2, week(0), friday(1), 5, OPERATIONAL, "bau"),
    ]
    loads, _ = run(plan(people + work), RULES)
    assert loads.team_capacity[10][0] == 60 and loads.team_capacity[11][0] == 30
    assert loads.team_project[10][:2] == [10, 0]
    assert loads.team_operational[10][:2] == [5, 5]


def test_engine_skill_gap_when_demand_exceeds_free_hours_of_skilled_people():
    # given two PostgreSQL people at levels 4 and 2, the expert half busy
    expert = PersonRecord(1, "Exp", 10, 40.0, skills=((7, 4),))
    junior = PersonRecord(2, "Jun", 10, 40.0, skills=((7, 2),))
    busy = WorkRecord(1, week(0), friday(7), 20.0, PROJECT, "project", 1)
    # a project needs 30 h/week of level 3+ in weeks 0-1, and 30 h of level 1+ in week 1
    senior_need = DemandRecord(50, 7, 3, week(0), friday(1), 30.0)
    any_need = DemandRecord(60, 7, 1, week(1), friday(1), 30.0)
    # when
    _, conflicts = run(plan([expert, junior, busy, senior_need, any_need]), RULES)
    gaps = [c for c in conflicts if c.kind == "skill_gap"]
    # then: week 0 is 10 h short at level 3+ (only the expert's 20 free hours qualify);
    # week 1 needs 60 h against 60 free hours in total but 30 at level 3+ against 20: 10 short
    assert [(g.period_start, g.details["short"], g.details["level"]) for g in gaps] == [
        (week(0), 10.0, 3),
        (week(1), 10.0, 3),
    ]
    assert gaps[1].project_ids == (50, 60)
    assert "PostgreSQL" in gaps[0].message


def test_engine_no_skill_gap_when_demand_fits():
    expert = PersonRecord(1, "Exp", 10, 40.0, skills=((7, 5),))
    need = DemandRecord(50, 7, 3, week(0), friday(0), 40.0)
    _, conflicts = run(plan([expert, need]), RULES)
    assert conflicts == []


def test_engine_work_of_someone_unknown_is_ignored():
    loads, conflicts = run(
        plan([WorkRecord(99, week(0), friday(0), 50, PROJECT, "project", 1)]), RULES
    )
    assert conflicts == [] and loads.project == {}


def test_engine_horizon_must_start_on_monday():
    with pytest.raises(ValueError):
        Horizon(date(2027, 1, 5), 4)


def test_engine_bau_shrinks_with_leave_but_commitments_do_not():
    # given 30 h of BAU and 8 h on call, and leave on three days of week 0
    ana = PersonRecord(1, "Ana", 1, 40.0)
    bau = WorkRecord(1, week(0), friday(1), 30.0, OPERATIONAL, "bau", scales_with_availability=True)
    on_call = WorkRecord(1, week(0), friday(1), 8.0, OPERATIONAL, "on_call")
    leave = AbsenceRecord(1, week(0), week(0) + timedelta(days=2))
    # when
    loads, conflicts = run(plan([ana, bau, on_call, leave]), RULES)
    # then BAU is 2/5 of 30 h in week 0; the rota stays 8 h: 20 h against 16 h
    assert loads.capacity[1][:2] == [16.0, 40.0]
    assert loads.operational[1][:2] == [20.0, 38.0]
    assert [c.period_start for c in conflicts] == [week(0)]
