"""The migration to the ITIL problem states keeps every problem and its trail, in the state
docs/decisions.md ("Problem management") maps it to."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("handover", "0014_queues_seed_categories")]
AFTER = [("handover", "0015_problems_itil_states")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_problem_states_become_itil_states_and_take_their_incidents_service():
    apps = _migrate(BEFORE)
    try:
        Problem = apps.get_model("handover", "Problem")
        Transition = apps.get_model("handover", "ProblemTransition")
        Service = apps.get_model("portfolio", "Service")
        Incident = apps.get_model("handover", "Incident")
        User = apps.get_model("auth", "User")
        reporter = User.objects.create(username="migrating")
        Team = apps.get_model("resources", "Team")
        service = Service.objects.create(
            name="Payments", owning_team=Team.objects.create(name="Payments team")
        )
        made = {
            state: Problem.objects.create(title=state, state=state)
            for state in ("open", "known_error", "resolved")
        }
        Transition.objects.create(
            problem=made["known_error"], from_state="open", to_state="known_error"
        )
        Incident.objects.create(
            title="Refunds",
            service=service,
            reporter=reporter,
            problem=made["resolved"],
            opened_at=timezone.now(),
        )
        # when the migration runs
        apps = _migrate(AFTER)
        Problem = apps.get_model("handover", "Problem")
        Transition = apps.get_model("handover", "ProblemTransition")
        # then each state is mapped, the trail too, and the service follows the incidents
        assert dict(Problem.objects.values_list("title", "state")) == {
            "open": "assess",
            "known_error": "root_cause_analysis",
            "resolved": "resolved",
        }
        assert list(Transition.objects.values_list("from_state", "to_state")) == [
            ("assess", "root_cause_analysis")
        ]
        assert Problem.objects.get(title="resolved").service_id == service.pk
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
