"""A service desk for the service-level tests: a 24×7 service (so wall-clock arithmetic
holds on any day) supported by a team with a manager, two members and an assignee."""

from datetime import timedelta

import pytest
from django.utils import timezone

from handover.incidents import services
from tests.factories import PersonFactory, ServiceFactory, TeamFactory, UserFactory


class Desk:
    def __init__(self):
        self.manager = PersonFactory(user=UserFactory(username="desk_manager"))
        self.team = TeamFactory(name="Service desk", manager=self.manager)
        self.assignee = PersonFactory(team=self.team, user=UserFactory(username="desk_assignee"))
        self.member = PersonFactory(team=self.team, user=UserFactory(username="desk_member"))
        self.itsm = UserFactory(username="desk_itsm", roles=["itsm_manager"])
        self.reporter = UserFactory(username="desk_reporter", roles=["engineer"])
        self.service = ServiceFactory(
            name="Payments", support_hours="24x7", support_group=self.team
        )

    def log(self, *, ago: timedelta, impact: int = 1, urgency: int = 1, **fields):
        """An incident opened `ago` before now (P1 by default), assigned to the assignee."""
        fields.setdefault("assignee", self.assignee)
        return services.incident_log(
            reporter=self.reporter,
            title=fields.pop("title", "Card payments fail"),
            service=fields.pop("service", self.service),
            impact=impact,
            urgency=urgency,
            opened_at=timezone.now() - ago,
            **fields,
        )

    def start(self, incident):
        return services.incident_transition(incident=incident, to="in_progress", by=self.itsm)


@pytest.fixture
def desk(db):
    return Desk()
