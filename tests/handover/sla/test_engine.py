"""Timers as a pure function of history (no database), on a hand-made calendar: pauses on
hold (pausing and non-pausing reasons), a priority change mid-way, what counts as a first
response, resolution stopping and reopening, business hours against 24×7."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handover.incidents.sla.calendar import ALWAYS, BUSINESS_HOURS, WorkingCalendar
from handover.incidents.sla.engine import (
    RESOLUTION,
    RESPONSE,
    Assignment,
    History,
    Move,
    PriorityChange,
    compute,
)

LONDON = ZoneInfo("Europe/London")
TARGETS = {1: (15, 240), 2: (30, 480), 3: (240, 1800), 4: (480, 3000), 5: (1200, 6000)}
PAUSING = {"awaiting_caller", "awaiting_change", "awaiting_vendor"}
BUSINESS = WorkingCalendar.of(BUSINESS_HOURS, "Europe/London", {date(2026, 5, 4)})
MINUTE = 60


def at(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def timers(history: History, now: datetime, calendar: WorkingCalendar = BUSINESS):
    return compute(history, targets=TARGETS, calendar=calendar, now=now, pausing_reasons=PAUSING)


def test_on_hold_for_a_pausing_reason_stops_the_resolution_clock():
    # given a P2 opened Monday 11 May 09:00, started 09:30, waiting for the caller 10:00–14:00
    history = History(
        opened_at=at(11, 9),
        priority=2,
        moves=[
            Move(at(11, 9, 30), "in_progress"),
            Move(at(11, 10), "on_hold", "awaiting_caller"),
            Move(at(11, 14), "in_progress"),
        ],
    )
    # when computed at 16:00
    resolution = timers(history, at(11, 16))[RESOLUTION]
    # then the four hours on hold are paused, not elapsed
    assert resolution.elapsed_seconds == 180 * MINUTE
    assert resolution.paused_seconds == 240 * MINUTE
    # and the 300 minutes left from 14:00 end on Tuesday at 11:00
    assert resolution.due_at == at(12, 11)
    assert resolution.status == "running"


def test_on_hold_for_a_non_pausing_reason_keeps_the_clock_running():
    # given the same history, but waiting on a problem (the desk's own work)
    history = History(
        opened_at=at(11, 9),
        priority=2,
        moves=[
            Move(at(11, 9, 30), "in_progress"),
            Move(at(11, 10), "on_hold", "awaiting_problem"),
            Move(at(11, 14), "in_progress"),
        ],
    )
    resolution = timers(history, at(11, 16))[RESOLUTION]
    # then every working minute counts and it falls due at 17:00
    assert resolution.elapsed_seconds == 420 * MINUTE
    assert resolution.paused_seconds == 0
    assert resolution.due_at == at(11, 17)


def test_a_timer_paused_now_has_no_due_moment():
    history = History(
        opened_at=at(11, 9),
        priority=2,
        moves=[Move(at(11, 9, 30), "in_progress"), Move(at(11, 10), "on_hold", "awaiting_vendor")],
    )
    resolution = timers(history, at(11, 16))[RESOLUTION]
    assert resolution.status == "paused"
    assert resolution.due_at is None and resolution.warn_at is None
    assert resolution.elapsed_seconds == 60 * MINUTE


def test_raising_the_priority_mid_way_keeps_the_time_spent_and_takes_the_new_target():
    # given a P3 opened Monday 09:00, raised to P1 at 10:00 (an hour spent)
    history = History(
        opened_at=at(11, 9),
        priority=1,
        moves=[Move(at(11, 9, 5), "in_progress")],
        priority_changes=[PriorityChange(at(11, 10), 3, 1)],
    )
    # when computed at noon
    resolution = timers(history, at(11, 12))[RESOLUTION]
    # then P1's four hours count from opening: due at 13:00, warned at 75 % (12:00)
    assert resolution.priority == 1
    assert resolution.target_seconds == 240 * MINUTE
    assert resolution.due_at == at(11, 13)
    assert resolution.warn_at == at(11, 12)
    assert not resolution.breached
    # and at 14:00 it breached at 13:00
    assert timers(history, at(11, 14))[RESOLUTION].breached_at == at(11, 13)


def test_a_timer_breached_before_its_last_move_stays_due_at_its_breach():
    # given a P1 opened Monday 09:00, breached at 13:00, started only at 14:00
    history = History(opened_at=at(11, 9), priority=1, moves=[Move(at(11, 14), "in_progress")])
    resolution = timers(history, at(11, 15))[RESOLUTION]
    assert resolution.breached_at == at(11, 13)
    assert resolution.due_at == at(11, 13)


def test_raised_past_its_new_target_a_timer_breaches_at_the_change():
    # given five working hours spent at P3, then raised to P1 (four hours)
    history = History(
        opened_at=at(11, 9),
        priority=1,
        moves=[Move(at(11, 9, 5), "in_progress")],
        priority_changes=[PriorityChange(at(11, 14), 3, 1)],
    )
    resolution = timers(history, at(11, 15))[RESOLUTION]
    assert resolution.breached_at == at(11, 14)
    assert resolution.due_at == at(11, 14)


def test_a_breach_stays_recorded_when_the_priority_is_lowered():
    history = History(
        opened_at=at(11, 9),
        priority=3,
        moves=[Move(at(11, 9, 5), "in_progress")],
        priority_changes=[PriorityChange(at(11, 14), 1, 3)],
    )
    resolution = timers(history, at(11, 15))[RESOLUTION]
    assert resolution.breached_at == at(11, 13)
    assert resolution.priority == 3
    # and its new due moment is P3's 30 working hours from opening
    assert resolution.due_at == at(14, 9)


def test_a_priority_change_before_the_response_moves_the_response_target():
    history = History(
        opened_at=at(11, 9),
        priority=1,
        priority_changes=[PriorityChange(at(11, 9, 5), 3, 1)],
    )
    response = timers(history, at(11, 9, 10))[RESPONSE]
    assert response.priority == 1
    assert response.due_at == at(11, 9, 15)


def test_the_first_assignment_to_a_person_is_the_first_response():
    # given a P1 assigned to a person at 09:10, started at 09:40
    history = History(
        opened_at=at(11, 9),
        priority=1,
        moves=[Move(at(11, 9, 40), "in_progress")],
        assignments=[Assignment(at(11, 9, 10), to_person=True)],
    )
    response = timers(history, at(11, 10))[RESPONSE]
    # then the response stopped at 09:10, within its 15 minutes
    assert response.stopped_at == at(11, 9, 10)
    assert response.elapsed_seconds == 10 * MINUTE
    assert response.due_at is None and not response.breached


def test_an_assignment_to_a_group_only_is_not_a_response():
    history = History(
        opened_at=at(11, 9),
        priority=1,
        moves=[Move(at(11, 9, 40), "in_progress")],
        assignments=[Assignment(at(11, 9, 1), to_person=False)],
    )
    response = timers(history, at(11, 10))[RESPONSE]
    # then the move to In progress at 09:40 answered it, 25 minutes late
    assert response.stopped_at == at(11, 9, 40)
    assert response.breached_at == at(11, 9, 15)


def test_resolving_stops_the_clock_and_reopening_restarts_it():
    history = History(
        opened_at=at(11, 9),
        priority=2,
        moves=[
            Move(at(11, 9, 10), "in_progress"),
            Move(at(11, 10), "resolved"),
            Move(at(11, 15), "in_progress"),
        ],
    )
    resolved = timers(
        History(opened_at=history.opened_at, priority=2, moves=history.moves[:2]), at(11, 16)
    )[RESOLUTION]
    assert resolved.status == "stopped" and resolved.stopped_at == at(11, 10)
    assert resolved.elapsed_seconds == 60 * MINUTE and resolved.due_at is None
    reopened = timers(history, at(11, 16))[RESOLUTION]
    # then the hour before resolving and the hour since reopening count
    assert reopened.status == "running" and reopened.stopped_at is None
    assert reopened.elapsed_seconds == 120 * MINUTE
    assert reopened.due_at == at(12, 12)


def test_business_hours_and_round_the_clock_differ_over_a_weekend():
    # given a P1 opened on Saturday 9 May at 10:00 and not yet touched
    history = History(opened_at=at(9, 10), priority=1)
    now = at(9, 10, 20)
    business = timers(history, now)
    always = timers(history, now, WorkingCalendar.of(ALWAYS, "Europe/London"))
    # then on business hours nothing has elapsed and the response is due Monday 08:15
    assert business[RESPONSE].elapsed_seconds == 0
    assert business[RESPONSE].due_at == at(11, 8, 15)
    # and round the clock it breached at 10:15
    assert always[RESPONSE].breached_at == at(9, 10, 15)
    assert always[RESOLUTION].due_at == at(9, 14)


def test_due_moments_do_not_depend_on_when_they_are_computed():
    history = History(
        opened_at=at(11, 9),
        priority=3,
        moves=[Move(at(11, 9, 30), "in_progress")],
        priority_changes=[PriorityChange(at(11, 11), 4, 3)],
    )
    first = timers(history, at(11, 12))[RESOLUTION]
    later = timers(history, at(11, 12) + timedelta(hours=20))[RESOLUTION]
    assert first.due_at == later.due_at and first.warn_at == later.warn_at
    assert later.elapsed_seconds > first.elapsed_seconds


def test_resolving_straight_from_new_is_the_first_response():
    history = History(opened_at=at(11, 9), priority=3, moves=[Move(at(11, 9, 30), "resolved")])
    computed = timers(history, at(11, 12))
    assert computed[RESPONSE].stopped_at == at(11, 9, 30)
    assert computed[RESOLUTION].stopped_at == at(11, 9, 30)
    assert computed[RESOLUTION].elapsed_seconds == 30 * MINUTE
