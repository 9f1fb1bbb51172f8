"""The move tables of the handover and incident workflows, as plain data: no database."""

from datetime import date

import pytest

from handover.choices import HandoverState as H
from handover.choices import IncidentState as I
from handover.incidents.workflow import MOVES as INCIDENT_MOVES
from handover.incidents.workflow import IncidentFacts
from handover.permissions import ACCEPT, MOVE
from handover.workflow import MOVES, HandoverFacts
from itsm_pmo.dates import short_date

GO_LIVE = date(2026, 3, 2)


def facts(**overrides) -> HandoverFacts:
    base = {
        "state": H.PLANNING,
        "has_receiving_team": True,
        "go_live_on": GO_LIVE,
        "go_live_reached": True,
        "mandatory_open": (),
        "els_exit_on": GO_LIVE,
    }
    return HandoverFacts(**{**base, **overrides})


class Perms:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm, obj=None):
        return perm in self.perms


def test_workflow_handover_table_is_the_documented_one():
    assert [(m.source, m.target) for m in MOVES] == [
        (H.PLANNING, H.READINESS_REVIEW),
        (H.READINESS_REVIEW, H.ACCEPTED),
        (H.READINESS_REVIEW, H.PLANNING),
        (H.ACCEPTED, H.EARLY_LIFE_SUPPORT),
        (H.ACCEPTED, H.READINESS_REVIEW),
        (H.EARLY_LIFE_SUPPORT, H.CLOSED),
    ]
    assert MOVES.targets(H.CLOSED) == ()
    assert [row["permission"] for row in MOVES.as_rows()].count(ACCEPT) == 1


def test_workflow_handover_backward_moves_need_a_comment_and_are_never_blocked():
    nothing = facts(
        has_receiving_team=False, go_live_on=None, mandatory_open=("Runbook",), els_exit_on=None
    )
    for source, target in ((H.READINESS_REVIEW, H.PLANNING), (H.ACCEPTED, H.READINESS_REVIEW)):
        move = MOVES.get(source, target)
        assert move.comment and move.permission == MOVE
        assert move.blockers(nothing) == []


def test_workflow_handover_readiness_review_needs_a_team_and_a_go_live():
    move = MOVES.get(H.PLANNING, H.READINESS_REVIEW)
    assert move.blockers(facts(has_receiving_team=False, go_live_on=None)) == [
        "Name the receiving support team.",
        "Plan the project's go-live milestone.",
    ]
    assert move.blockers(facts()) == []


def test_workflow_handover_acceptance_needs_settled_checks_and_the_accept_permission():
    move = MOVES.get(H.READINESS_REVIEW, H.ACCEPTED)
    assert move.permission == ACCEPT
    assert move.blockers(facts(mandatory_open=("Runbook published",))) == [
        "Mandatory checks still open: Runbook published."
    ]
    lead = Perms(MOVE)
    options = {o.to: o for o in MOVES.options(H.READINESS_REVIEW, facts(), lead)}
    assert not options[H.ACCEPTED].permitted and options[H.PLANNING].permitted
    assert MOVES.allowed(H.READINESS_REVIEW, facts(mandatory_open=("x",))) == [H.PLANNING]


def test_workflow_handover_early_life_support_starts_at_go_live():
    move = MOVES.get(H.ACCEPTED, H.EARLY_LIFE_SUPPORT)
    assert move.blockers(facts(go_live_on=None)) == ["Plan the project's go-live milestone."]
    assert move.blockers(facts(go_live_reached=False)) == [
        f"Early-life support starts at go-live ({short_date(date(2026, 3, 2))})."
    ]


MARCH_16 = short_date(date(2026, 3, 16))


@pytest.mark.parametrize(
    ("max_priority", "expected"),
    [
        (2, f"Early-life support ends on {MARCH_16} if no priority 1–2 incident is opened "),
        (1, f"Early-life support ends on {MARCH_16} if no priority 1 incident is opened "),
    ],
)
def test_workflow_handover_closing_waits_for_early_life_support_to_end(max_priority, expected):
    move = MOVES.get(H.EARLY_LIFE_SUPPORT, H.CLOSED)
    waiting = facts(
        els_exit_on=None, els_projected_exit=date(2026, 3, 16), els_max_priority=max_priority
    )
    assert move.blockers(waiting) == [expected + "before then."]
    assert move.blockers(facts()) == []


def test_workflow_incident_table_and_resolving_needs_notes():
    assert INCIDENT_MOVES.targets(I.NEW) == (I.IN_PROGRESS, I.RESOLVED)
    assert INCIDENT_MOVES.targets(I.RESOLVED) == (I.CLOSED, I.IN_PROGRESS)
    assert INCIDENT_MOVES.targets(I.CLOSED) == ()
    for move in INCIDENT_MOVES:
        assert move.comment == (move.target == I.RESOLVED)
        assert move.permission == "handover.transition_incident"
    assert INCIDENT_MOVES.get(I.RESOLVED, I.IN_PROGRESS).label == "Reopen"
    assert INCIDENT_MOVES.allowed(I.ON_HOLD, IncidentFacts(state=I.ON_HOLD)) == [
        I.IN_PROGRESS,
        I.RESOLVED,
    ]
