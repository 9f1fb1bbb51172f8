"""On PostgreSQL with real threads: twenty CAB members approving the same change at once."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from changes import services
from changes.models import ApprovalPolicy, ChangeTransition, ConfigurationItem
from tests.factories import PersonFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_approvals_are_all_recorded_and_move_the_change_once(
    in_process_tasks, mailoutbox
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and races are tested on PostgreSQL")
    # given a normal change waiting for two approvals, and twenty CAB members
    ApprovalPolicy.objects.create(
        change_type="normal",
        risk="",
        quorum=2,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    requester = UserFactory(username="requester", roles=["engineer"])
    cab = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(20)]
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
    barrier, errors = threading.Barrier(20), []

    def approve(user):
        try:
            barrier.wait()
            services.change_approve(
                change=change, approver=user, decision="approve", comment="Looks good"
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    # when they all click at the same moment
    threads = [threading.Thread(target=approve, args=(user,)) for user in cab]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every approval is recorded exactly once, and the change moved to scheduled once
    assert errors == []
    change.refresh_from_db()
    assert change.state == "scheduled"
    assert sorted(change.approvals.values_list("approver__username", flat=True)) == sorted(
        u.username for u in cab
    )
    assert ChangeTransition.objects.filter(change=change, to_state="scheduled").count() == 1
    # and the requester hears of it once
    assert [m.to for m in mailoutbox if "approved" in m.subject] == [["requester@example.org"]]
