"""The events other apps tell through notify(): each reaches the right people, not the actor."""

import pytest

from changes import services as change_services
from handover import services as handover_services
from handover.choices import HandoverState
from itsm_pmo.models import Notification, NotificationPreference
from tests.changes.test_cab import waiting_change
from tests.factories import PersonFactory, TeamFactory, UserFactory
from tests.handover.factories import HandoverFactory
from tests.handover.handover_helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(in_process_tasks, django_capture_on_commit_callbacks):
    """Run a write as a committed request would: its notifications delivered."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def told(event):
    return set(
        Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


def test_change_needing_approval_tells_the_approving_role_but_not_the_requester(committed):
    cab = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(2)]
    UserFactory(username="pmo", roles=["pmo_lead"])
    UserFactory(username="gone", roles=["itsm_manager"], is_active=False)
    requester = UserFactory(username="req", roles=["engineer", "itsm_manager"])
    change = committed(lambda: waiting_change(requester=requester))
    assert told("change_approval") == {u.username for u in cab}
    row = Notification.objects.filter(event="change_approval").first()
    assert row.url == change.get_absolute_url() and change.number in row.title


def test_change_approval_respects_an_approvers_preference(committed, mailoutbox):
    cab = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(2)]
    NotificationPreference.objects.create(
        user=cab[0], event="change_approval", in_app=True, email=False
    )
    committed(lambda: waiting_change(requester=UserFactory(roles=["engineer"])))
    assert told("change_approval") == {"cab0", "cab1"}
    assert [m.to for m in mailoutbox] == [[cab[1].email]]


def test_change_decided_tells_the_requester(committed):
    approver = UserFactory(username="cab0", roles=["itsm_manager"])
    requester = UserFactory(username="req", roles=["engineer"])
    change = waiting_change(requester=requester)
    committed(
        lambda: change_services.change_approve(
            change=change, approver=approver, decision="reject", comment="No backout test"
        )
    )
    row = Notification.objects.get(event="change_decided")
    assert row.recipient == requester and "rejected" in row.title
    assert "No backout test" in row.body


def test_change_history_rebuilt_by_a_loader_tells_nobody(committed):
    UserFactory(username="cab0", roles=["itsm_manager"])
    with change_services.recording_history():
        committed(lambda: waiting_change(requester=UserFactory(roles=["engineer"])))
    assert not Notification.objects.exists()


def test_readiness_check_assigned_tells_its_owner_not_the_planner(committed, role_user):
    pmo = role_user("pmo_lead")
    engineer = UserFactory(username="eng", roles=["engineer"])
    handover = HandoverFactory(go_live=days(30))
    check = handover.checks.select_related("criterion").first()
    # when the PMO lead gives the check to the engineer's person record
    committed(
        lambda: handover_services.check_update(
            check=check, by=pmo, owner=PersonFactory(user=engineer)
        )
    )
    # then the engineer is told, with a link to the handover
    row = Notification.objects.get(event="readiness_check")
    assert row.recipient == engineer and check.criterion.name in row.title
    assert row.url == handover.get_absolute_url()
    # and giving the check to oneself, or to a person without a sign-in, tells nobody more
    own = PersonFactory(user=pmo)
    committed(lambda: handover_services.check_update(check=check, by=pmo, owner=own))
    committed(lambda: handover_services.check_update(check=check, by=pmo, owner=PersonFactory()))
    assert Notification.objects.filter(event="readiness_check").count() == 1


def test_readiness_check_update_without_a_new_owner_tells_nobody(committed, role_user):
    pmo = role_user("pmo_lead")
    handover = HandoverFactory(go_live=days(30))
    check = handover.checks.first()
    check.owner = PersonFactory(user=UserFactory(roles=["engineer"]))
    check.save()
    committed(
        lambda: handover_services.check_update(
            check=check, by=pmo, owner=check.owner, status="in_progress"
        )
    )
    assert not Notification.objects.exists()


def test_handover_in_readiness_review_tells_who_may_accept(committed, role_user):
    pmo = role_user("pmo_lead")
    managers = {UserFactory(username=f"itsm{i}", roles=["itsm_manager"]).username for i in range(2)}
    UserFactory(username="eng", roles=["engineer"])
    handover = HandoverFactory(go_live=days(30))
    committed(
        lambda: handover_services.handover_transition(
            handover=handover, to=HandoverState.READINESS_REVIEW, by=pmo
        )
    )
    assert told("handover_acceptance") == managers
    row = Notification.objects.filter(event="handover_acceptance").first()
    assert handover.project.code in row.title and row.url == handover.get_absolute_url()


def test_handover_acceptance_goes_to_the_receiving_teams_manager_when_they_may_accept(
    committed,
):
    UserFactory(username="itsm0", roles=["itsm_manager"])
    lead = UserFactory(username="itsm_lead", roles=["itsm_manager"])
    team = TeamFactory(manager=PersonFactory(user=lead))
    handover = HandoverFactory(go_live=days(30), receiving_team=team)
    mover = UserFactory(username="itsm_mover", roles=["itsm_manager"])
    committed(
        lambda: handover_services.handover_transition(
            handover=handover, to=HandoverState.READINESS_REVIEW, by=mover
        )
    )
    assert told("handover_acceptance") == {"itsm_lead"}


def test_handover_moved_by_an_itsm_manager_does_not_tell_them(committed):
    mover = UserFactory(username="itsm_mover", roles=["itsm_manager"])
    UserFactory(username="itsm0", roles=["itsm_manager"])
    handover = HandoverFactory(go_live=days(30))
    committed(
        lambda: handover_services.handover_transition(
            handover=handover, to=HandoverState.READINESS_REVIEW, by=mover
        )
    )
    assert told("handover_acceptance") == {"itsm0"}
