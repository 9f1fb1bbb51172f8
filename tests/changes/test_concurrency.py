"""On PostgreSQL with real threads, each on its own connection: CAB members racing for the
last approval a change needs.

The change row lock in `change_approve` is what keeps them apart; on SQLite the database
lock serialises everything and proves nothing, so these tests run only on PostgreSQL."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from changes import services
from changes.models import Approval, ApprovalPolicy, ChangeTransition, ConfigurationItem
from tests.factories import PersonFactory, UserFactory
from tests.support.race import race, skip_unless_postgresql

QUORUM = 5
RACERS = 20

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_postgresql():
    skip_unless_postgresql()


def _change_waiting_for_cab(quorum: int):
    ApprovalPolicy.objects.create(
        change_type="normal",
        risk="",
        quorum=quorum,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    requester = UserFactory(username="requester", roles=["engineer"])
    start = timezone.now() + timedelta(days=3)
    change = services.change_create(
        requester=requester,
        title="Failover test",
        backout_plan="Fail back",
        implementer=PersonFactory(),
        planned_start=start,
        planned_end=start + timedelta(hours=1),
        items=[ConfigurationItem.objects.create(name="pg-primary")],
    )
    services.change_transition(change=change, to="assess", by=requester)
    services.change_transition(change=change, to="authorize", by=requester)
    return change


def test_twenty_api_approvals_racing_for_the_last_of_the_quorum_move_the_change_once(
    on_postgresql, in_process_tasks, mailoutbox
):
    # given a normal change that has QUORUM - 1 approvals in, and 18 more CAB members: 16
    # click once, 2 double-click (two requests each), 20 requests in all
    change = _change_waiting_for_cab(QUORUM)
    earlier = [UserFactory(username=f"early{i}", roles=["itsm_manager"]) for i in range(QUORUM - 1)]
    for user in earlier:
        services.change_approve(change=change, approver=user, decision="approve")
    change.refresh_from_db()
    assert change.state == "authorize"
    members = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(18)]
    clicks = members[:16] + [m for m in members[16:] for _ in range(2)]
    assert len(clicks) == RACERS
    url = f"/api/changes/changes/{change.pk}/approvals/"

    def approve(user):
        client = APIClient()
        client.force_authenticate(user)
        return client.post(url, {"decision": "approve", "comment": "Looks good"}, format="json")

    # when all twenty requests arrive at the same moment, each on its own connection
    answers = race([lambda u=u: approve(u) for u in clicks])
    # then nothing failed: 18 decisions recorded, the 2 second clicks refused with a 409
    assert not [a for a in answers if isinstance(a, Exception)], answers
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 18, 409: 2}, statuses
    refused = [a.json() for a in answers if a.status_code == 409]
    assert {r["detail"] for r in refused} == {"You have already decided on this change."}
    # and every member's decision is in exactly once, the earlier ones too
    approvers = Counter(Approval.objects.filter(change=change).values_list("approver__username"))
    assert set(approvers.values()) == {1}
    assert len(approvers) == QUORUM - 1 + 18
    # and the change moved to scheduled once, with one audit row
    change.refresh_from_db()
    assert change.state == "scheduled"
    moves = ChangeTransition.objects.filter(change=change, to_state="scheduled")
    assert moves.count() == 1
    assert moves.get().from_state == "authorize"
    # and the requester hears of it once
    assert [m.to for m in mailoutbox if "approved" in m.subject] == [["requester@example.org"]]


def test_twenty_service_approvals_from_zero_are_all_recorded_and_move_the_change_once(
    on_postgresql, in_process_tasks, mailoutbox
):
    # given a change waiting for two approvals, and twenty CAB members clicking at once
    change = _change_waiting_for_cab(2)
    cab = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(RACERS)]

    # when they all approve through the service at the same moment
    results = race(
        [
            lambda u=u: services.change_approve(
                change=change, approver=u, decision="approve", comment="Looks good"
            )
            for u in cab
        ]
    )
    # then every approval is recorded exactly once, and the change moved to scheduled once
    assert not [r for r in results if isinstance(r, Exception)], results
    change.refresh_from_db()
    assert change.state == "scheduled"
    assert sorted(change.approvals.values_list("approver__username", flat=True)) == sorted(
        u.username for u in cab
    )
    assert ChangeTransition.objects.filter(change=change, to_state="scheduled").count() == 1
    assert [m.to for m in mailoutbox if "approved" in m.subject] == [["requester@example.org"]]
