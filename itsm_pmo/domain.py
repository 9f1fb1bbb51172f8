"""Exceptions that services raise and both the pages and the API understand."""


class TransitionRefused(Exception):
    """A state move the workflow does not allow now: answered 409 with the allowed moves."""

    def __init__(self, detail: str, *, allowed: list[str], current: str):
        super().__init__(detail)
        self.detail = detail
        self.allowed = allowed
        self.current = current


def guard_transition(
    *,
    noun: str,
    states,
    table: dict,
    current: str,
    to: str,
    blockers: list[str],
    allowed: list[str],
    needs_comment: bool,
    comment: str,
) -> None:
    """The checks every workflow makes before a move, in one order: a known state (400),
    a move the table allows (409), the state's own rules (409), a required comment (400)."""
    from django.core.exceptions import ValidationError

    if to not in states.values:
        raise ValidationError(
            {"to": f"'{to}' is not a state of a {noun}. States: {', '.join(states.values)}."}
        )
    here, there = states(current).label, states(to).label
    if to not in table[current]:
        raise TransitionRefused(
            f"A {noun} cannot move from {here} to {there}.", allowed=allowed, current=current
        )
    if blockers:
        raise TransitionRefused(" ".join(blockers), allowed=allowed, current=current)
    if needs_comment and not comment:
        raise ValidationError({"comment": f"Say why the {noun} is moving to {there}."})
