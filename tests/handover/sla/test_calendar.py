"""The working calendar on a hand-made calendar (no database): business hours across a
weekend and a public holiday, extended and 24×7 cover, and the clocks going forward."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handover.incidents.sla.calendar import ALWAYS, BUSINESS_HOURS, EXTENDED, WorkingCalendar

LONDON = ZoneInfo("Europe/London")
# Monday 4 May 2026 is the early May bank holiday.
HOLIDAY = date(2026, 5, 4)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def calendar(cover: str) -> WorkingCalendar:
    return WorkingCalendar.of(cover, "Europe/London", {HOLIDAY})


def test_business_hours_skip_the_weekend_and_the_holiday():
    # given Friday 17:00 before a bank holiday weekend, on business hours
    friday = local(2026, 5, 1, 17)
    # when two working hours are added
    due = calendar(BUSINESS_HOURS).add_minutes(friday, 120)
    # then one is Friday's last, the other Tuesday's first (Monday is the holiday)
    assert due == local(2026, 5, 5, 9)
    assert calendar(BUSINESS_HOURS).minutes_between(friday, due) == 120


def test_business_hours_count_only_the_working_windows():
    # given a span from Friday 12:00 to Tuesday 12:00 over the holiday weekend
    start, end = local(2026, 5, 1, 12), local(2026, 5, 5, 12)
    # then only Friday 12–18 and Tuesday 8–12 count
    assert calendar(BUSINESS_HOURS).minutes_between(start, end) == 6 * 60 + 4 * 60
    # and without the holiday, Monday's ten hours count as well
    plain = WorkingCalendar.of(BUSINESS_HOURS, "Europe/London")
    assert plain.minutes_between(start, end) == 20 * 60


def test_a_moment_outside_hours_starts_at_the_next_opening():
    # given Saturday night
    saturday = local(2026, 5, 2, 23)
    # then 15 working minutes end on Tuesday at 08:15
    assert calendar(BUSINESS_HOURS).add_minutes(saturday, 15) == local(2026, 5, 5, 8, 15)


def test_extended_cover_runs_at_weekends_and_on_holidays():
    # given the same Friday 17:00
    friday = local(2026, 5, 1, 17)
    # then extended cover runs to 22:00 and again from 07:00 on Saturday
    assert calendar(EXTENDED).add_minutes(friday, 6 * 60) == local(2026, 5, 2, 8)
    # and the bank holiday is a working day for it
    monday = local(2026, 5, 4, 7)
    assert calendar(EXTENDED).minutes_between(monday, local(2026, 5, 4, 22)) == 15 * 60


def test_round_the_clock_cover_is_plain_elapsed_time():
    friday = local(2026, 5, 1, 17)
    assert calendar(ALWAYS).add_minutes(friday, 120) == local(2026, 5, 1, 19)
    assert calendar(ALWAYS).minutes_between(friday, local(2026, 5, 4, 17)) == 3 * 24 * 60


def test_round_the_clock_across_the_spring_clock_change_counts_real_time():
    # given Saturday 28 March 2026 23:00 GMT; clocks go forward at 01:00 on Sunday
    start = local(2026, 3, 28, 23)
    end = local(2026, 3, 29, 3)  # 03:00 BST
    # then three hours have passed, not four
    assert calendar(ALWAYS).minutes_between(start, end) == 180
    assert calendar(ALWAYS).add_minutes(start, 180) == end


def test_business_windows_follow_the_local_clock_across_the_clock_change():
    # given Friday 27 March (GMT) 17:00 and Monday 30 March (BST)
    friday = local(2026, 3, 27, 17)
    # when two working hours are added
    due = calendar(BUSINESS_HOURS).add_minutes(friday, 120)
    # then the week opens at 08:00 local time (07:00 UTC in summer time)
    assert due == local(2026, 3, 30, 9)
    assert due.astimezone(UTC).hour == 8


def test_adding_backwards_walks_the_windows_in_reverse():
    # given Tuesday 09:00 after the holiday weekend
    tuesday = local(2026, 5, 5, 9)
    # then two working hours earlier was Friday 17:00
    assert calendar(BUSINESS_HOURS).add_minutes(tuesday, -120) == local(2026, 5, 1, 17)


def test_holidays_do_not_apply_to_round_the_clock_or_extended_cover():
    assert calendar(ALWAYS).holidays == frozenset()
    assert calendar(EXTENDED).holidays == frozenset()
    assert calendar(BUSINESS_HOURS).holidays == {HOLIDAY}


@pytest.mark.parametrize("cover", [BUSINESS_HOURS, EXTENDED, ALWAYS])
def test_adding_then_counting_gives_the_minutes_back(cover):
    start = local(2026, 4, 30, 13, 7)
    for minutes in (1, 59, 600, 1800, 6000):
        due = calendar(cover).add_minutes(start, minutes)
        assert calendar(cover).minutes_between(start, due) == minutes
