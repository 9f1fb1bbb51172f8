"""Random moves by random people over projects, changes, handovers, incidents and problems, through
the API: the state is always one the workflow knows, a move is made only when its table
lists it, every move made leaves exactly one audit row that says it, a refusal changes
nothing, and no call ends in a server error (issue 14, "Bad input").

A hypothesis state machine with a fixed seed and a bounded budget: 12 runs of up to 25 moves.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from rest_framework.test import APIClient

from changes.workflow import MOVES as CHANGE_MOVES
from handover.incidents.workflow import MOVES as INCIDENT_MOVES
from handover.incidents.workflow import PROBLEM_MOVES
from handover.workflow import MOVES as HANDOVER_MOVES
from itsm_pmo.roles import Role
from portfolio.workflow import MOVES as PROJECT_MOVES
from tests.changes.factories import ChangeFactory
from tests.factories import PersonFactory, ProjectFactory, UserFactory
from tests.handover.factories import HandoverFactory, IncidentFactory, ProblemFactory

pytestmark = pytest.mark.django_db

# kind: (API path, move table, state field, how to make one)
KINDS = {
    "project": ("/api/portfolio/projects/{}/transition/", PROJECT_MOVES, "stage", ProjectFactory),
    "change": (
        "/api/changes/changes/{}/transition/",
        CHANGE_MOVES,
        "state",
        lambda: ChangeFactory(implemented=True),
    ),
    "handover": (
        "/api/handover/handovers/{}/transition/",
        HANDOVER_MOVES,
        "state",
        lambda: HandoverFactory(go_live=date.today() + timedelta(days=30)),
    ),
    "incident": (
        "/api/handover/incidents/{}/transition/",
        INCIDENT_MOVES,
        "state",
        IncidentFactory,
    ),
    "problem": (
        "/api/handover/problems/{}/transition/",
        PROBLEM_MOVES,
        "state",
        lambda: ProblemFactory(
            root_cause="Pool too small.", workaround="Restart the pool nightly.", fix="Resized."
        ),
    ),
}
ROLES = [role.value for role in Role]
made: list[tuple[str, str, str]] = []  # every move made, across runs


class Workflows(RuleBasedStateMachine):
    @initialize()
    def make_people_and_objects(self):
        self.clients = {}
        for role in ROLES:
            user = UserFactory(roles=[role])
            PersonFactory(user=user)
            client = APIClient()
            client.force_login(user)
            self.clients[role] = client
        self.objects = {kind: spec[3]() for kind, spec in KINDS.items()}

    @rule(
        kind=st.sampled_from(sorted(KINDS)),
        role=st.sampled_from(ROLES),
        data=st.data(),
        comment=st.sampled_from(["", "Agreed at the weekly review."]),
    )
    def move(self, kind, role, data, comment):
        path, table, field, _ = KINDS[kind]
        obj = self.objects[kind]
        obj.refresh_from_db()
        before, rows_before = getattr(obj, field), obj.transitions.count()
        # Half the time a move its table lists from here, else any state at all.
        listed = list(table.targets(before)) or list(table.states.values)
        to = data.draw(
            st.sampled_from(listed) | st.sampled_from(list(table.states.values)), label="to"
        )
        answer = self.clients[role].post(
            path.format(obj.pk), {"to": to, "comment": comment}, format="json"
        )
        assert answer.status_code < 500, (kind, role, before, to, answer.content[:300])
        obj.refresh_from_db()
        after, rows_after = getattr(obj, field), obj.transitions.count()
        if 200 <= answer.status_code < 300:
            assert table.get(before, to) is not None, f"{kind}: {before} -> {to} not in its table"
            assert after == to
            assert rows_after == rows_before + 1
            last = obj.transitions.order_by("-pk").first()
            assert (last.from_state, last.to_state) == (before, to)
            made.append((kind, before, to))
        else:
            assert answer.status_code in (400, 403, 404, 409), answer.status_code
            assert after == before and rows_after == rows_before

    @invariant()
    def states_are_known(self):
        for kind, obj in getattr(self, "objects", {}).items():
            _, table, field, _ = KINDS[kind]
            assert getattr(obj, field) in table.states.values


Workflows.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_random_moves_keep_every_workflow_legal_and_audited(db):
    made.clear()
    Workflows.TestCase().runTest()
    # the runs made real moves in every workflow, not only refusals
    assert {kind for kind, _, _ in made} == set(KINDS), made
