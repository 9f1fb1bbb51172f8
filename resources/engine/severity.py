"""How bad an excess of work over capacity is: one rule for every conflict that has one.

A conflict's severity says how much of a problem it is and how soon it must be solved, so it
is read from three numbers: the hours over (load − capacity, or demand − free hours), the
same as a share of the capacity there was, and how many weeks ahead the week lies.

- **Size by share**: up to 10 % over is low, up to 25 % medium, up to 50 % high, beyond
  critical. No capacity at all (a week of leave) is an infinite share.
- **Size by hours**: up to 2 h over is low, up to 4 h (half a day) medium, up to 8 h (a day)
  high, beyond critical.
- **The size is the lower of the two**: half an hour booked in a week of leave is a small
  problem however infinite its share (low); ten hours over a 400-hour team week is 2.5 % (low).
- **Distance**: this week and the next three as sized; from the fourth week ahead one step
  lower, from the thirteenth (a quarter) two steps lower, never below low. There is time to
  move work that far out; a conflict comes back to its full size as its week comes near,
  because the plan is computed again every night.

Pure: plain floats in, one of `LOW`, `MEDIUM`, `HIGH`, `CRITICAL` out (the values of
`resources.choices.Severity`).
"""

import math

LOW, MEDIUM, HIGH, CRITICAL = "low", "medium", "high", "critical"
LEVELS = (LOW, MEDIUM, HIGH, CRITICAL)

# Upper bounds (inclusive) of low, medium and high; above the last is critical.
SHARE_BOUNDS = (0.10, 0.25, 0.50)
HOURS_BOUNDS = (2.0, 4.0, 8.0)
# Weeks ahead from which a conflict is one step, then two steps, lower.
ONE_STEP_FROM_WEEK = 4
TWO_STEPS_FROM_WEEK = 13


def _level(value: float, bounds: tuple[float, float, float]) -> int:
    """0 (low) … 3 (critical): the first bound `value` does not exceed."""
    for level, bound in enumerate(bounds):
        if value <= bound:
            return level
    return len(bounds)


def size_of_excess(*, excess_hours: float, capacity_hours: float) -> int:
    """0 (low) … 3 (critical): the lower of the size by share and the size by hours."""
    share = excess_hours / capacity_hours if capacity_hours > 0 else math.inf
    return min(_level(share, SHARE_BOUNDS), _level(excess_hours, HOURS_BOUNDS))


def steps_for_distance(weeks_ahead: int) -> int:
    """How many steps lower a conflict this many weeks ahead is (a past week counts as now)."""
    if weeks_ahead >= TWO_STEPS_FROM_WEEK:
        return 2
    if weeks_ahead >= ONE_STEP_FROM_WEEK:
        return 1
    return 0


def excess_severity(*, excess_hours: float, capacity_hours: float, weeks_ahead: int) -> str:
    """The severity of `excess_hours` over `capacity_hours` in a week `weeks_ahead` from this
    one (0: this week)."""
    size = size_of_excess(excess_hours=excess_hours, capacity_hours=capacity_hours)
    return LEVELS[max(0, size - steps_for_distance(weeks_ahead))]


def rank(severity: str) -> int:
    """0 (low) … 3 (critical), to compare severities."""
    return LEVELS.index(severity)
