"""The project move table on its own: plain facts in, moves and reasons out (no database)."""

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from itsm_pmo.workflow import TransitionRefused
from portfolio.choices import Stage
from portfolio.workflow import MOVES, ProjectFacts

READY = ProjectFacts(
    stage=Stage.PROPOSED,
    unscored_criteria=(),
    has_owner=True,
    has_sponsor=True,
    has_start_date=True,
    has_go_live=True,
)


class Mover:
    def __init__(self, allowed: bool = True):
        self.allowed = allowed

    def has_perm(self, perm, obj=None):
        return self.allowed and perm == "portfolio.transition_project"


def reasons(source, target, **facts):
    move = MOVES.get(source, target)
    assert move is not None, (source, target)
    return move.blockers(replace(READY, stage=source, **facts))


@pytest.mark.parametrize(
    ("source", "target", "facts", "reason"),
    [
        ("proposed", "assessed", {"unscored_criteria": ("Value",)}, "before assessing"),
        ("proposed", "approved", {"unscored_criteria": ("Value",)}, "before approving"),
        ("assessed", "approved", {"has_owner": False}, "needs an owner"),
        ("assessed", "approved", {"has_sponsor": False}, "needs a sponsor"),
        ("approved", "in_flight", {"has_start_date": False}, "needs a start date"),
        ("in_flight", "handover", {"has_go_live": False}, "go-live milestone"),
        ("on_hold", "in_flight", {"held_from": "approved"}, "resumes where it stopped: Approved"),
        ("on_hold", "proposed", {"held_from": None}, "resumes where it stopped: its earlier"),
        ("on_hold", "assessed", {"held_from": "assessed", "unscored_criteria": ("R",)}, "assess"),
        ("on_hold", "approved", {"held_from": "approved", "has_owner": False}, "an owner"),
        ("on_hold", "in_flight", {"held_from": "in_flight", "has_start_date": False}, "start"),
    ],
)
def test_move_table_blocks_a_move_without_the_data_it_needs(source, target, facts, reason):
    # when / then: the move says why it is blocked
    assert reason in " ".join(reasons(source, target, **facts))


@pytest.mark.parametrize(
    ("source", "target", "facts"),
    [
        ("proposed", "assessed", {}),
        ("proposed", "approved", {}),  # the fast track, once fully scored
        ("approved", "in_flight", {}),
        ("in_flight", "handover", {}),
        ("handover", "closed", {}),
        ("on_hold", "approved", {"held_from": "approved"}),
        ("on_hold", "rejected", {"held_from": None}),
        ("rejected", "proposed", {}),
    ],
)
def test_move_table_opens_a_move_with_its_data(source, target, facts):
    assert reasons(source, target, **facts) == []


def test_move_table_asks_a_comment_for_hold_and_reject_only():
    needs_comment = {(m.source, m.target) for m in MOVES if m.comment}
    assert needs_comment == {
        (m.source, m.target) for m in MOVES if m.target in (Stage.ON_HOLD, Stage.REJECTED)
    }
    assert needs_comment


def test_move_table_closed_is_final_and_every_move_is_the_movers():
    assert MOVES.targets(Stage.CLOSED) == ()
    assert {m.permission for m in MOVES} == {"portfolio.transition_project"}
    assert all(MOVES.targets(stage) for stage in Stage.values if stage != Stage.CLOSED)


def test_move_table_guard_checks_in_order():
    facts = replace(READY, unscored_criteria=("Value",))
    # an unknown state: 400 on `to`
    with pytest.raises(ValidationError):
        MOVES.guard(current="proposed", to="launched", facts=facts, user=Mover())
    # a move the table does not have: 409 with what is allowed now
    with pytest.raises(TransitionRefused) as refused:
        MOVES.guard(current="proposed", to="closed", facts=facts, user=Mover())
    assert refused.value.allowed == ["on_hold", "rejected"]
    # a mover without the permission: 403
    with pytest.raises(PermissionDenied):
        MOVES.guard(current="proposed", to="assessed", facts=facts, user=Mover(allowed=False))
    # a blocked move: 409 with the reasons
    with pytest.raises(TransitionRefused, match="before assessing"):
        MOVES.guard(current="proposed", to="assessed", facts=facts, user=Mover())
    # a missing comment: 400 on `comment`
    with pytest.raises(ValidationError):
        MOVES.guard(current="proposed", to="on_hold", facts=facts, user=Mover(), comment=" ")
    # and a move with everything it needs
    move = MOVES.guard(current="proposed", to="on_hold", facts=facts, user=Mover(), comment="x")
    assert move.label == "Put on hold"


def test_move_table_options_are_the_buttons_of_a_stage():
    # given a proposal that is not scored, seen by someone who may not move it
    facts = replace(READY, unscored_criteria=("Value",))
    options = {o.to: o for o in MOVES.options("proposed", facts, Mover(allowed=False))}
    # then every move out of proposed is offered, closed, with its reasons
    assert list(options) == ["assessed", "approved", "on_hold", "rejected"]
    assert not any(o.open for o in options.values())
    assert options["approved"].blockers and not options["on_hold"].blockers


def test_move_table_prints_as_rows_for_the_docs():
    rows = MOVES.as_rows()
    assert len(rows) == len(list(MOVES))
    resume = next(r for r in rows if r["from"] == "On hold" and r["to"] == "In flight")
    assert resume["checks"] == "resumes_where_it_stopped, has_start_date"
