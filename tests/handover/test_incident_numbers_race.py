"""On PostgreSQL with real threads: fifty incidents opened through the API at the same moment
get fifty numbers, without a gap or a duplicate (INC numbers come from the row's id)."""

from collections import Counter

import pytest
from rest_framework.test import APIClient

from handover.models import Incident
from tests.factories import ServiceFactory, UserFactory
from tests.support.race import race, skip_unless_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

OPENERS = 50


def test_fifty_simultaneous_incidents_get_numbers_without_gaps_or_duplicates():
    skip_unless_postgresql()
    # given a service and ten engineers and ITSM managers on call
    service = ServiceFactory(name="Payments")
    people = [
        UserFactory(username=f"oncall{i}", roles=["engineer" if i % 2 else "itsm_manager"])
        for i in range(10)
    ]

    def open_incident(index):
        client = APIClient()
        client.force_authenticate(people[index % len(people)])
        return client.post(
            "/api/handover/incidents/",
            {"title": f"Checkout down #{index}", "service": service.pk},
            format="json",
        )

    # when fifty of them are opened at once, each request on its own connection
    answers = race([lambda i=i: open_incident(i) for i in range(OPENERS)])
    # then every one is created (no 500, no refusal)
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert Counter(a.status_code for a in answers) == {201: OPENERS}
    # and the numbers answered are the numbers stored: fifty, consecutive, none twice
    answered = sorted(a.json()["number"] for a in answers)
    stored = sorted(Incident.objects.values_list("number", flat=True))
    assert answered == stored
    first = int(stored[0].removeprefix("INC"))
    assert stored == [f"INC{n:07d}" for n in range(first, first + OPENERS)]
