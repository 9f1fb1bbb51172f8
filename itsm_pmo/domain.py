"""Kept only while the apps move to itsm_pmo.workflow's move tables; import from there."""

from .workflow import TransitionRefused  # noqa: F401


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
    """The legacy guard, until every workflow has a MoveTable."""
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
