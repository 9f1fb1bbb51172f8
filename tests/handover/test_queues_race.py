"""On PostgreSQL with real threads: five engineers of the desk press "Assign to me" on the
same unassigned incident at the same moment; one gets it, the others are told who holds it,
and the history has one row."""

from collections import Counter

import pytest
from rest_framework.test import APIClient

from handover.models import Incident, IncidentReassignment
from tests.factories import PersonFactory, TeamFactory, UserFactory
from tests.handover.factories import IncidentFactory
from tests.support.race import race, skip_unless_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

TAKERS = 5


def test_five_simultaneous_takes_give_the_incident_to_one():
    skip_unless_postgresql()
    # given five engineers of the desk and an unassigned incident in its queue
    desk = TeamFactory(name="Service Desk")
    people = [
        PersonFactory(team=desk, user=UserFactory(username=f"analyst{i}", roles=["engineer"]))
        for i in range(TAKERS)
    ]
    incident = IncidentFactory(assignment_group=desk)

    def take(person):
        client = APIClient()
        client.force_authenticate(person.user)
        return client.post(
            f"/api/handover/incidents/{incident.pk}/assign/",
            {"group": desk.pk, "person": person.pk},
            format="json",
        )

    # when all take it at once
    answers = race([lambda p=p: take(p) for p in people])
    # then one has it and the others are refused with who holds it; one history row
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert Counter(a.status_code for a in answers) == {200: 1, 400: TAKERS - 1}
    holder = Incident.objects.get(pk=incident.pk).assignee
    refused = [a.json()["fields"]["reason"][0] for a in answers if a.status_code == 400]
    assert all(f"{holder} holds it already" in r for r in refused)
    assert IncidentReassignment.objects.filter(incident=incident).count() == 1
