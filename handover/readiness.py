"""Pure rules of the handover: how ready it is, and when early-life support may end.

No database here: callers pass the checks and the incidents they have read, so the pages, the
API and the services share one arithmetic and the tests need no rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .choices import CheckStatus


@dataclass(frozen=True)
class Readiness:
    """Where a handover's checklist stands."""

    done: int = 0
    waived: int = 0
    total: int = 0
    mandatory_open: tuple[str, ...] = field(default_factory=tuple)

    @property
    def settled(self) -> int:
        return self.done + self.waived

    @property
    def percent(self) -> int:
        return round(100 * self.settled / self.total) if self.total else 0

    @property
    def ready(self) -> bool:
        """Every mandatory check is done or waived."""
        return not self.mandatory_open

    def as_dict(self) -> dict:
        return {
            "done": self.done,
            "waived": self.waived,
            "total": self.total,
            "settled": self.settled,
            "percent": self.percent,
            "mandatory_open": list(self.mandatory_open),
        }


def readiness_summary(checks: Iterable) -> Readiness:
    """Summarise checks: objects with `status` and `criterion` (with `name`, `mandatory`)."""
    done = waived = total = 0
    open_mandatory = []
    for check in checks:
        total += 1
        if check.status == CheckStatus.DONE:
            done += 1
        elif check.status == CheckStatus.WAIVED:
            waived += 1
        elif check.criterion.mandatory:
            open_mandatory.append(check.criterion.name)
    return Readiness(done=done, waived=waived, total=total, mandatory_open=tuple(open_mandatory))


def mandatory_open_message(names: Iterable[str]) -> str:
    names = list(names)
    return f"Mandatory checks still open: {', '.join(names)}." if names else ""


@dataclass(frozen=True)
class ElsStatus:
    """Early-life support seen on `today`: the quiet period runs from `anchor` (go-live or the
    last counting incident, whichever is later) and ends on `exit_on`."""

    started_on: date
    anchor: date
    last_incident_on: date | None
    counting_incidents: int
    quiet_days_so_far: int
    quiet_days: int
    exit_on: date  # the projected exit; reached when `ended`
    ended: bool


def els_status(
    started_on: date,
    incidents: Iterable[tuple[date, int]],
    quiet_days: int,
    max_priority: int,
    today: date,
) -> ElsStatus:
    """The ELS state: incidents are (opened date, priority) pairs; those of priority
    `max_priority` or higher (a lower number) opened from go-live on count, later ones too
    (an incident logged today resets the quiet period)."""
    counting = sorted(
        opened
        for opened, priority in incidents
        if priority <= max_priority and opened >= started_on
    )
    last = counting[-1] if counting else None
    anchor = max(started_on, last) if last else started_on
    exit_on = anchor + timedelta(days=quiet_days)
    return ElsStatus(
        started_on=started_on,
        anchor=anchor,
        last_incident_on=last,
        counting_incidents=len(counting),
        quiet_days_so_far=max(0, (today - anchor).days),
        quiet_days=quiet_days,
        exit_on=exit_on,
        ended=exit_on <= today,
    )


def els_exit_date(
    started_on: date,
    incidents: Iterable[tuple[date, int]],
    quiet_days: int,
    max_priority: int,
    today: date,
) -> date | None:
    """The first day on which `quiet_days` have passed since the later of go-live and the last
    counting incident; None while that day is still to come."""
    status = els_status(started_on, incidents, quiet_days, max_priority, today)
    return status.exit_on if status.ended else None
