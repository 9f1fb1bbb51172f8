"""The severity of an excess of work (docs/decisions.md, "Working day (issue 15)"): each
boundary with the value on it and just past it, then the rules that use it."""

from datetime import date, datetime, time, timedelta

import pytest

from changes.conflicts import implementer_overbooked
from changes.records import ChangeRecord
from handover.conflicts import support_overload
from handover.records import HandoverRecord
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
from resources.engine.severity import excess_severity, size_of_excess, steps_for_distance

MONDAY = date(2027, 1, 4)
H = Horizon(MONDAY, 20)
AWAY = 0.0  # capacity of a week of leave


def week(n: int) -> date:
    return MONDAY + timedelta(weeks=n)


@pytest.mark.parametrize(
    ("excess", "capacity", "expected"),
    [
        # the share decides when the hours are large (over a day)
        (10.0, 100.0, "low"),  # 10 %: the top of low
        (10.1, 100.0, "medium"),
        (25.0, 100.0, "medium"),  # 25 %
        (25.1, 100.0, "high"),
        (50.0, 100.0, "high"),  # 50 %
        (50.1, 100.0, "critical"),
        # the hours decide when the share is large (a week away: no capacity at all)
        (0.5, AWAY, "low"),  # half an hour booked in a week of leave is not critical
        (2.0, AWAY, "low"),
        (2.1, AWAY, "medium"),
        (4.0, AWAY, "medium"),  # half a day
        (4.1, AWAY, "high"),
        (8.0, AWAY, "high"),  # a day
        (8.1, AWAY, "critical"),
        # the lower of the two
        (10.0, 400.0, "low"),  # a team 10 h over 400 h: 2.5 %
        (6.0, 40.0, "medium"),  # 15 % (medium) of 6 h (high)
        (3.0, 10.0, "medium"),  # 30 % (high) of 3 h (medium)
    ],
)
def test_severity_size_is_the_lower_of_share_and_hours(excess, capacity, expected):
    assert excess_severity(excess_hours=excess, capacity_hours=capacity, weeks_ahead=0) == expected


@pytest.mark.parametrize(
    ("weeks_ahead", "steps"),
    [(-1, 0), (0, 0), (3, 0), (4, 1), (12, 1), (13, 2), (60, 2)],
)
def test_severity_steps_down_with_the_weeks_distance(weeks_ahead, steps):
    assert steps_for_distance(weeks_ahead) == steps


@pytest.mark.parametrize(
    ("excess", "weeks_ahead", "expected"),
    [
        (20.0, 3, "critical"),  # this week and the next three: as sized
        (20.0, 4, "high"),  # from the fourth week ahead, one step lower
        (20.0, 12, "high"),
        (20.0, 13, "medium"),  # from the thirteenth, two steps lower
        (3.0, 13, "low"),  # medium two steps down stops at low
        (1.0, 13, "low"),
    ],
)
def test_severity_of_a_week_away_by_distance(excess, weeks_ahead, expected):
    assert size_of_excess(excess_hours=20.0, capacity_hours=AWAY) == 3
    got = excess_severity(excess_hours=excess, capacity_hours=AWAY, weeks_ahead=weeks_ahead)
    assert got == expected


def test_severity_half_an_hour_in_a_week_of_leave_is_low_and_a_day_of_it_critical():
    # given Ana away in weeks 0 and 1, with half an hour of on-call in week 0 and ten hours
    # of project work in week 1 (neither shrinks with absence)
    ana = PersonRecord(1, "Ana", 10, 40.0)
    leave = AbsenceRecord(1, week(0), week(1) + timedelta(days=4))
    rota = WorkRecord(1, week(0), week(0) + timedelta(days=4), 0.5, OPERATIONAL, "on_call")
    project = WorkRecord(1, week(1), week(1) + timedelta(days=4), 10.0, PROJECT, "project", 7)
    # when
    _, conflicts = run(Plan.from_records(H, [ana, leave, rota, project]), {"o": overallocation})
    # then
    assert [(c.period_start, c.severity) for c in conflicts] == [
        (week(0), "low"),
        (week(1), "critical"),
    ]


def test_severity_of_a_skill_gap_is_its_shortfall_over_the_free_hours():
    # given one PostgreSQL person with 40 free hours and demand of 43, then of 60 h, in week 0
    # and of 60 h in week 5
    expert = PersonRecord(1, "Exp", 10, 40.0, skills=((7, 3),))
    friday = timedelta(days=4)
    records = [
        expert,
        DemandRecord(50, 7, 1, week(0), week(0) + friday, 43.0),
        DemandRecord(50, 7, 1, week(1), week(1) + friday, 60.0),
        DemandRecord(50, 7, 1, week(5), week(5) + friday, 60.0),
    ]
    # when
    _, conflicts = run(Plan.from_records(H, records), {"s": skill_gap})
    # then 3 h short of 40 (7.5 %) is low; 20 h (50 %) high, and one step lower 5 weeks out
    assert [(c.period_start, c.details["short"], c.severity) for c in conflicts] == [
        (week(0), 3.0, "low"),
        (week(1), 20.0, "high"),
        (week(5), 20.0, "medium"),
    ]


def test_severity_of_an_implementer_and_a_support_team_follows_the_same_rule():
    ana = PersonRecord(1, "Ana", 10, 40.0)
    busy = WorkRecord(1, week(0), week(20), 40.0, PROJECT, "project", 7)
    # a change in week 0 that adds 3 h (7.5 %, low) on a person already full
    effort = WorkRecord(1, week(0), week(0) + timedelta(days=4), 3.0, OPERATIONAL, "change")
    change = ChangeRecord(
        id=9,
        number="CHG-9",
        title="Patch",
        change_type="normal",
        start=datetime.combine(week(0), time(20)),
        end=datetime.combine(week(0), time(22)),
        implementer_id=1,
        project_id=None,
        item_ids=frozenset(),
        service_ids=frozenset(),
        freeze_exception=False,
    )
    _, conflicts = run(
        Plan.from_records(H, [ana, busy, effort, change]), {"i": implementer_overbooked}
    )
    assert [(c.kind, c.severity) for c in conflicts] == [("implementer_overbooked", "low")]

    # a team of one, 20 h over (50 %, high) in week 6 of early-life support: one step lower
    support = HandoverRecord(
        id=3,
        project_id=7,
        label="PRJ-7",
        state="accepted",
        go_live=week(6),
        as_of=MONDAY,
        open_mandatory=(),
        ready_days=14,
        team_id=10,
        team_name="Ops",
        els_start=week(6),
        els_end=week(6) + timedelta(days=4),
        els_hours=20.0,
    )
    extra = WorkRecord(1, week(6), week(6) + timedelta(days=4), 20.0, OPERATIONAL, "support")
    _, conflicts = run(Plan.from_records(H, [ana, busy, extra, support]), {"s": support_overload})
    assert [(c.kind, c.period_start, c.severity) for c in conflicts] == [
        ("support_overload", week(6), "medium")
    ]
