"""Service-level timers as a pure function of an incident's history (docs/sla.md, "Rules").

No ORM: history.py reads the rows into a `History`, and `compute` gives the same timers for
the same history and moment, so a rebuild equals what the writes kept up to date.

- Both clocks start when the incident is opened, on the service's working calendar.
- Response stops at the first sign that someone took it on: the first move out of New (to In
  progress, or straight to Resolved) or the first assignment to a person, whichever is first.
  It never pauses.
- Resolution runs while the incident is New or In progress, and On hold for a reason that
  does not pause it; it pauses On hold for a pausing reason (waiting for the caller, a change,
  a vendor); it stops at Resolved or Closed and runs again if the incident is reopened.
- Priority changes: the target is that of the priority in force. Working time already spent
  carries over, and the due moment is recomputed against the new target from the change on
  (raised past its new target, the timer breaches at the change, or when it next runs).
- A breach is the moment the elapsed working time first reached the target in force; it
  stays recorded even if a later priority change gives the timer more time.
- The warning falls at 75 % of the target in force.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import WorkingCalendar

RESPONSE = "response"
RESOLUTION = "resolution"
KINDS = (RESPONSE, RESOLUTION)
WARNING_SHARE = 0.75

RUNNING, PAUSED, STOPPED = "running", "paused", "stopped"
STOPS_RESOLUTION = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class Move:
    at: datetime
    to_state: str
    hold_reason: str = ""


@dataclass(frozen=True)
class Assignment:
    at: datetime
    to_person: bool


@dataclass(frozen=True)
class PriorityChange:
    at: datetime
    from_priority: int
    to_priority: int


@dataclass(frozen=True)
class History:
    """What the timers are computed from: the incident's opening, moves, assignments and
    priority changes (each list in any order)."""

    opened_at: datetime
    priority: int
    moves: Sequence[Move] = ()
    assignments: Sequence[Assignment] = ()
    priority_changes: Sequence[PriorityChange] = ()

    @property
    def first_priority(self) -> int:
        changes = sorted(self.priority_changes, key=lambda c: c.at)
        return changes[0].from_priority if changes else self.priority


@dataclass(frozen=True)
class Timer:
    """One clock's value at `now`: durations are working time of the calendar."""

    kind: str
    priority: int
    target: timedelta
    started_at: datetime
    elapsed: timedelta
    paused: timedelta
    status: str
    stopped_at: datetime | None
    due_at: datetime | None  # None while paused or stopped
    warn_at: datetime | None  # None while paused or stopped
    breached_at: datetime | None

    @property
    def breached(self) -> bool:
        return self.breached_at is not None

    @property
    def target_seconds(self) -> int:
        return int(self.target.total_seconds())

    @property
    def elapsed_seconds(self) -> int:
        return int(self.elapsed.total_seconds())

    @property
    def paused_seconds(self) -> int:
        return int(self.paused.total_seconds())


# (moment, new status or None, new priority or None)
_Change = tuple[datetime, str | None, int | None]


def _walk(
    *,
    kind: str,
    start: datetime,
    changes: list[_Change],
    priority: int,
    targets: Mapping[int, timedelta],
    calendar: WorkingCalendar,
    now: datetime,
) -> Timer:
    elapsed = paused = timedelta()
    status = RUNNING
    stopped_at: datetime | None = None
    breached_at: datetime | None = None
    moment = start
    ordered = sorted(changes, key=lambda c: c[0])
    for at, new_status, new_priority in [*ordered, (now, None, None)]:
        at = min(max(at, start), max(now, start))
        worked = calendar.working(moment, at)
        if status == RUNNING:
            target = targets[priority]
            if breached_at is None and elapsed + worked >= target:
                breached_at = calendar.add(moment, max(timedelta(), target - elapsed))
            elapsed += worked
        elif status == PAUSED:
            paused += worked
        if at >= now and new_status is None and new_priority is None:
            break
        moment = at
        if new_status is not None and status != new_status:
            status = new_status
            stopped_at = at if status == STOPPED else None
        if new_priority is not None:
            priority = new_priority
    target = targets[priority]
    due_at = warn_at = None
    if status == RUNNING:
        # Projected from the start of the running stretch, so the answer does not depend on
        # `now` (only the elapsed time does).
        spent = elapsed - calendar.working(moment, max(now, moment))
        if spent < target:
            due_at = calendar.add(moment, target - spent)
        else:  # already past it when this stretch began: due when it breached
            due_at = breached_at or moment
        warn_at = calendar.add(moment, max(timedelta(), WARNING_SHARE * target - spent))
    return Timer(
        kind=kind,
        priority=priority,
        target=target,
        started_at=start,
        elapsed=elapsed,
        paused=paused,
        status=status,
        stopped_at=stopped_at,
        due_at=due_at,
        warn_at=warn_at,
        breached_at=breached_at,
    )


def compute(
    history: History,
    *,
    targets: Mapping[int, tuple[int, int]],
    calendar: WorkingCalendar,
    now: datetime,
    pausing_reasons: Collection[str],
) -> dict[str, Timer]:
    """Both timers of an incident at `now`; `targets` maps a priority to its (response,
    resolution) minutes."""
    moves = sorted(history.moves, key=lambda m: m.at)
    priorities: list[_Change] = [(c.at, None, c.to_priority) for c in history.priority_changes]
    first = history.first_priority

    # Response: the first move out of New or the first assignment to a person.
    answers = [m.at for m in moves if m.to_state != "new"]
    answers += [a.at for a in history.assignments if a.to_person]
    responded = min(answers) if answers else None
    response_changes = [c for c in priorities if responded is None or c[0] < responded]
    if responded is not None:
        response_changes.append((responded, STOPPED, None))

    resolution_changes = list(priorities)
    for move in moves:
        if move.to_state in STOPS_RESOLUTION:
            status = STOPPED
        elif move.to_state == "on_hold" and move.hold_reason in pausing_reasons:
            status = PAUSED
        else:
            status = RUNNING
        resolution_changes.append((move.at, status, None))

    return {
        RESPONSE: _walk(
            kind=RESPONSE,
            start=history.opened_at,
            changes=response_changes,
            priority=first,
            targets={p: timedelta(minutes=minutes[0]) for p, minutes in targets.items()},
            calendar=calendar,
            now=now,
        ),
        RESOLUTION: _walk(
            kind=RESOLUTION,
            start=history.opened_at,
            changes=resolution_changes,
            priority=first,
            targets={p: timedelta(minutes=minutes[1]) for p, minutes in targets.items()},
            calendar=calendar,
            now=now,
        ),
    }
