"""One move table per workflow, read by the guard, the pages, the API and the docs.

A workflow (project, change, handover, incident, lesson, article) declares every move it
allows as a `Move` row: from, to, the Django permission the mover's role needs, whether a
comment is required, the button label, and the checks that need the object's data. The
service asks the table before it writes (`MoveTable.guard`); a page asks it which buttons to
show and why one is closed (`MoveTable.options`); a refused move answers 409 with the moves
the table allows now (`MoveTable.allowed`).

Checks are plain functions of the workflow's facts (a frozen dataclass the app reads once),
returning the reason the move is blocked or None, so a table can be tested without a database.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import TextChoices

Check = Callable[[Any], str | None]


class TransitionRefused(Exception):
    """A state move the workflow does not allow now: answered 409 with the allowed moves."""

    def __init__(self, detail: str, *, allowed: list[str], current: str):
        super().__init__(detail)
        self.detail = detail
        self.allowed = allowed
        self.current = current


class HasPerm(Protocol):
    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


@dataclass(frozen=True)
class Move:
    """One allowed move: `source` → `target`, made by holders of `permission`."""

    source: str
    target: str
    label: str
    permission: str
    comment: bool = False
    checks: tuple[Check, ...] = ()

    def blockers(self, facts: Any) -> list[str]:
        """Why the move cannot be made with these facts; empty when it can."""
        return [reason for check in self.checks if (reason := check(facts))]


@dataclass(frozen=True)
class MoveOption:
    """A move as a page offers it: a button, closed when blocked or not the user's to make."""

    move: Move
    blockers: tuple[str, ...]
    permitted: bool

    @property
    def to(self) -> str:
        return self.move.target

    @property
    def label(self) -> str:
        return self.move.label

    @property
    def open(self) -> bool:
        return self.permitted and not self.blockers


# Every table built, in the order the apps define them: the docs are printed from here.
TABLES: list["MoveTable"] = []


class MoveTable:
    """The moves of one workflow, keyed by (from, to)."""

    def __init__(
        self,
        *,
        noun: str,
        states: type[TextChoices],
        moves: Iterable[Move],
        register: bool = True,
    ):
        self.noun = noun
        self.states = states
        self.moves: dict[tuple[str, str], Move] = {}
        for move in moves:
            key = (str(move.source), str(move.target))
            if key in self.moves:
                raise ValueError(f"Two rows for the {noun} move {key}.")
            if move.source not in states.values or move.target not in states.values:
                raise ValueError(f"Unknown state in the {noun} move {key}.")
            if move.source == move.target:
                raise ValueError(f"The {noun} move {key} goes nowhere: a move changes the state.")
            self.moves[key] = move
        if register:  # a table made in a test stays out of the docs
            TABLES.append(self)

    def __iter__(self) -> Iterator[Move]:
        return iter(self.moves.values())

    def targets(self, source: str) -> tuple[str, ...]:
        """Where the table lets an object in `source` go, whatever its data."""
        return tuple(target for (start, target) in self.moves if start == source)

    def get(self, source: str, target: str) -> Move | None:
        return self.moves.get((source, target))

    def allowed(self, source: str, facts: Any) -> list[str]:
        """The states the object can enter now (a comment may still be required)."""
        return [
            target
            for target in self.targets(source)
            if not self.moves[(source, target)].blockers(facts)
        ]

    def options(self, source: str, facts: Any, user: HasPerm) -> list[MoveOption]:
        """Every move out of `source`, each with what blocks it and whether `user` may make it."""
        return [
            MoveOption(
                move=move,
                blockers=tuple(move.blockers(facts)),
                permitted=user.has_perm(move.permission),
            )
            for (start, _target), move in self.moves.items()
            if start == source
        ]

    def label(self, state: str) -> str:
        return str(self.states(state).label)

    def guard(self, *, current: str, to: str, facts: Any, user: HasPerm, comment: str = "") -> Move:
        """The checks of every move, in one order: a known state (400), a move the table has
        (409), the mover's permission (403), the object's data (409), a required comment (400)."""
        if to not in self.states.values:
            states = ", ".join(self.states.values)
            raise ValidationError(
                {"to": f"'{to}' is not a state of a {self.noun}. States: {states}."}
            )
        move = self.get(current, to)
        if move is None:
            raise TransitionRefused(
                f"A {self.noun} cannot move from {self.label(current)} to {self.label(to)}.",
                allowed=self.allowed(current, facts),
                current=current,
            )
        if not user.has_perm(move.permission):
            raise PermissionDenied(
                f"Your role may not move a {self.noun} from {self.label(current)} "
                f"to {self.label(to)}."
            )
        if reasons := move.blockers(facts):
            raise TransitionRefused(
                " ".join(reasons), allowed=self.allowed(current, facts), current=current
            )
        if move.comment and not (comment or "").strip():
            raise ValidationError(
                {"comment": f"Say why the {self.noun} is moving to {self.label(to)}."}
            )
        return move

    def as_rows(self) -> list[dict[str, str]]:
        """The table as the docs print it."""
        return [
            {
                "from": self.label(move.source),
                "to": self.label(move.target),
                "label": move.label,
                "permission": move.permission,
                "comment": "required" if move.comment else "",
                "checks": ", ".join(check.__name__ for check in move.checks),
            }
            for move in self
        ]


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with `message` unless `allowed`: how services ask predicates."""
    if not allowed:
        raise PermissionDenied(message)
