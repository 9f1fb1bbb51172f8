"""Per-quarter series that no tile shows: the reviews' outcomes quarter by quarter (the
change section's chart). One aggregate query per quarter: the count follows the range's
quarters, never the data."""

from __future__ import annotations

from datetime import date

from .metrics import Drill, drill_range, quarters_touched
from .period import Period

# (label, the review counts' key, the change list's filter)
OUTCOMES = [
    ("Successful", "successful", {"outcome": "successful"}),
    ("With issues", "with_issues", {"outcome": "successful_with_issues"}),
    ("Failed, backed out or caused an incident", "failed_or_caused", {"failed": "1"}),
]


def change_outcomes_by_quarter(period: Period) -> list[tuple[date, dict[str, tuple[int, Drill]]]]:
    """(first day of the quarter, {key: (reviews, the change list behind them)}) for each
    whole quarter the period touches, in the period's scope. A change that succeeded but
    caused an incident counts as successful and as failed: the bars are read one by one."""
    from changes import selectors

    found = []
    for quarter in quarters_touched(period):
        whole = quarter.within(period)
        counts = selectors.review_outcomes(*whole.bounds(), **whole.scope.narrowing())
        found.append(
            (
                quarter.start,
                {
                    key: (
                        counts[key],
                        Drill("changes:index", {**params, **drill_range(whole, "reviewed")}),
                    )
                    for _, key, params in OUTCOMES
                },
            )
        )
    return found
