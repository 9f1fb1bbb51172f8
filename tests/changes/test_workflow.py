"""Change workflow, CAB approval pathways, freezes and impact, on small inputs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from changes import services
from changes.impact import impacted_items
from changes.insight import in_freeze, insight_for
from changes.models import (
    ApprovalPolicy,
    ChangeRequest,
    ChangeTemplate,
    ConfigurationItem,
    FreezeWindow,
)
from changes.workflow import MOVES, ChangeFacts
from itsm_pmo.models import AuditTrailIsAppendOnly
from itsm_pmo.workflow import TransitionRefused
from tests.factories import PersonFactory, ServiceFactory, UserFactory

from .factories import ChangeFactory, ConfigurationItemFactory

pytestmark = pytest.mark.django_db
SOON = timezone.now().replace(microsecond=0) + timedelta(days=7)


@pytest.fixture
def people(db):
    return {
        "requester": UserFactory(username="req", roles=["engineer"]),
        "cab1": UserFactory(username="cab1", roles=["itsm_manager"]),
        "cab2": UserFactory(username="cab2", roles=["itsm_manager"]),
        "cab3": UserFactory(username="cab3", roles=["itsm_manager"]),
        "engineer": UserFactory(username="eng2", roles=["engineer"]),
    }


def to_authorize(change, by):
    services.change_transition(change=change, to="assess", by=by)
    return services.change_transition(change=change, to="authorize", by=by)


def test_change_gets_a_chg_number(people):
    change = ChangeFactory(requester=people["requester"], implemented=True)
    assert change.number == f"CHG{change.pk:07d}" and len(change.number) == 10


def test_normal_change_needs_quorum_of_the_policy_group(people):
    ApprovalPolicy.objects.create(
        change_type="normal",
        risk="",
        quorum=2,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True), people["requester"]
    )
    # refused before the quorum, with the allowed moves
    with pytest.raises(TransitionRefused) as refused:
        services.change_transition(change=change, to="scheduled", by=people["cab1"])
    assert "quorum" in refused.value.detail
    services.change_approve(change=change, approver=people["cab1"], decision="approve")
    change.refresh_from_db()
    assert change.state == "authorize"
    services.change_approve(change=change, approver=people["cab2"], decision="approve")
    change.refresh_from_db()
    assert change.state == "scheduled"
    assert change.transitions.first().comment == "Quorum of approvals reached."


def test_one_rejection_sends_the_change_back_to_new_with_the_reason(people):
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True), people["requester"]
    )
    with pytest.raises(ValidationError):
        services.change_approve(change=change, approver=people["cab1"], decision="reject")
    services.change_approve(
        change=change, approver=people["cab1"], decision="reject", comment="No rollback tested"
    )
    change.refresh_from_db()
    assert change.state == "new" and change.approval_round == 2
    assert change.transitions.first().comment == "Rejected: No rollback tested"
    # a new round: the same CAB member may decide again
    to_authorize(change, people["requester"])
    services.change_approve(change=change, approver=people["cab1"], decision="approve")
    change.refresh_from_db()
    assert change.state == "scheduled"


def test_nobody_approves_their_own_change(people):
    own = ChangeFactory(requester=people["requester"], implemented=True, title="Mine")
    own.requester = people["cab1"]
    own.save()
    to_authorize(own, people["cab1"])
    with pytest.raises(PermissionDenied):
        services.change_approve(change=own, approver=people["cab1"], decision="approve")
    implementer = PersonFactory(user=people["cab2"])
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True, implementer=implementer),
        people["requester"],
    )
    with pytest.raises(PermissionDenied):
        services.change_approve(change=change, approver=people["cab2"], decision="approve")


def test_only_the_policy_group_approves_and_once(people):
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True), people["requester"]
    )
    with pytest.raises(PermissionDenied):
        services.change_approve(change=change, approver=people["engineer"], decision="approve")
    ApprovalPolicy.objects.create(
        change_type="normal",
        risk="",
        quorum=3,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    services.change_approve(change=change, approver=people["cab1"], decision="approve")
    with pytest.raises(TransitionRefused):
        services.change_approve(change=change, approver=people["cab1"], decision="approve")
    assert change.approvals.count() == 1


def test_emergency_path_one_itsm_manager_and_review_cannot_be_skipped(people):
    ApprovalPolicy.objects.create(
        change_type="emergency",
        risk="",
        quorum=3,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True, change_type="emergency"),
        people["requester"],
    )
    services.change_approve(change=change, approver=people["cab1"], decision="approve")
    change.refresh_from_db()
    assert change.state == "scheduled"
    services.change_transition(change=change, to="implement", by=people["requester"])
    with pytest.raises(TransitionRefused) as refused:
        services.change_transition(change=change, to="closed", by=people["requester"])
    assert "always reviewed" in refused.value.detail and refused.value.allowed == ["review"]
    services.change_transition(change=change, to="review", by=people["requester"])
    with pytest.raises(TransitionRefused):
        services.change_transition(change=change, to="closed", by=people["requester"])
    services.review_record(change=change, by=people["cab1"], outcome="successful")
    assert (
        services.change_transition(change=change, to="closed", by=people["cab1"]).state == "closed"
    )


def test_standard_change_from_a_template_skips_authorize(people):
    template = ChangeTemplate.objects.create(name="Restart app pool", backout_plan="Restart")
    item = ConfigurationItemFactory()
    template.items.add(item)
    change = ChangeFactory(
        requester=people["requester"],
        implemented=True,
        change_type="standard",
        template=template,
        items=[item],
    )
    services.change_transition(change=change, to="assess", by=people["requester"])
    with pytest.raises(TransitionRefused):
        services.change_transition(change=change, to="authorize", by=people["requester"])
    assert (
        services.change_transition(change=change, to="scheduled", by=people["requester"]).state
        == "scheduled"
    )
    # a standard change without a template is not raised at all (changes/rules.py)
    with pytest.raises(ValidationError) as refused:
        ChangeFactory(requester=people["requester"], implemented=True, change_type="standard")
    assert "template" in refused.value.message_dict


def test_normal_change_in_a_freeze_needs_an_exception(people):
    FreezeWindow.objects.create(
        name="Year-end freeze", start=SOON - timedelta(days=1), end=SOON + timedelta(days=10)
    )
    change = to_authorize(
        ChangeFactory(requester=people["requester"], implemented=True), people["requester"]
    )
    services.change_approve(change=change, approver=people["cab1"], decision="approve")
    change.refresh_from_db()
    assert change.state == "authorize"  # approved, but held by the freeze
    with pytest.raises(TransitionRefused) as refused:
        services.change_transition(change=change, to="scheduled", by=people["cab1"])
    assert "freeze" in refused.value.detail
    with pytest.raises(ValidationError):
        services.freeze_exception_grant(change=change, by=people["cab1"], reason=" ")
    with pytest.raises(PermissionDenied):
        services.freeze_exception_grant(change=change, by=people["engineer"], reason="x")
    services.freeze_exception_grant(change=change, by=people["cab1"], reason="Regulatory deadline")
    assert (
        services.change_transition(change=change, to="scheduled", by=people["cab1"]).state
        == "scheduled"
    )


def test_freeze_for_some_services_only_catches_changes_on_them(people):
    frozen, other = ServiceFactory(name="Payments"), ServiceFactory(name="Intranet")
    freeze = FreezeWindow.objects.create(
        name="Payments freeze",
        all_services=False,
        start=SOON - timedelta(days=1),
        end=SOON + timedelta(days=1),
    )
    freeze.services.add(frozen)
    on_frozen = ChangeFactory(requester=people["requester"], implemented=True)
    on_frozen.items.update(service=frozen)
    on_other = ChangeFactory(requester=people["requester"], implemented=True)
    on_other.items.update(service=other)
    assert insight_for(on_frozen).freezes == [freeze] and in_freeze(on_frozen)
    assert insight_for(on_other).freezes == [] and not in_freeze(on_other)


def test_collisions_on_the_same_item_or_service(people):
    first = ChangeFactory(requester=people["requester"], implemented=True)
    same_item = ChangeFactory(requester=people["requester"], implemented=True)
    same_item.items.set(first.items.all())
    later = ChangeFactory(
        requester=people["requester"],
        implemented=True,
        planned_start=SOON + timedelta(days=3),
        planned_end=SOON + timedelta(days=3, hours=1),
    )
    later.items.set(first.items.all())
    assert insight_for(first).collisions == [same_item]
    assert insight_for(later).collisions == []


def test_cancel_needs_a_comment_and_moves_outside_the_table_are_refused(people):
    change = ChangeFactory(requester=people["requester"], implemented=True)
    with pytest.raises(ValidationError):
        services.change_transition(change=change, to="cancelled", by=people["requester"])
    with pytest.raises(TransitionRefused) as refused:
        services.change_transition(change=change, to="implement", by=people["requester"])
    assert set(refused.value.allowed) == {"assess", "cancelled"}
    assert (
        services.change_transition(
            change=change, to="cancelled", by=people["requester"], comment="Superseded"
        ).state
        == "cancelled"
    )


def test_assess_needs_items_and_a_backout_plan(people):
    change = services.change_create(requester=people["requester"], title="Bare")
    with pytest.raises(TransitionRefused) as refused:
        services.change_transition(change=change, to="assess", by=people["requester"])
    assert "configuration item" in refused.value.detail
    assert "backout plan" in refused.value.detail


def test_impact_follows_dependencies_to_services():
    # app -> db -> storage: changing the storage reaches the db and the app
    dependents = {3: [2], 2: [1], 4: []}
    assert impacted_items([3], dependents) == {1, 2, 3}
    assert impacted_items([2], dependents) == {1, 2}
    assert impacted_items([4], dependents) == {4}
    # a cycle does not loop forever
    assert impacted_items([1], {1: [2], 2: [1]}) == {1, 2}


def test_impact_of_a_change_lists_services_most_critical_first(people):
    payments = ServiceFactory(name="Payments", tier=1)
    reporting = ServiceFactory(name="Reporting", tier=3)
    storage = ConfigurationItem.objects.create(name="san-01", kind="storage")
    db = ConfigurationItem.objects.create(name="pg-01", kind="database", service=reporting)
    app = ConfigurationItem.objects.create(name="pay-app", service=payments, criticality=1)
    db.depends_on.add(storage)
    app.depends_on.add(db)
    change = services.change_create(
        requester=people["requester"], title="SAN firmware", items=[storage]
    )
    insight = insight_for(change)
    assert {i.name for i in insight.impacted_items} == {"san-01", "pg-01", "pay-app"}
    assert [s.name for s in insight.impacted_services] == ["Payments", "Reporting"]


# --- the move table, without a database ------------------------------------------------------


def facts(**overrides) -> ChangeFacts:
    ready = dict(
        state="assess",
        change_type="normal",
        has_items=True,
        has_window=True,
        has_backout_plan=True,
        has_implementer=True,
        from_template=False,
        quorum_reached=False,
        in_freeze=False,
        freeze_exception=False,
        has_review=False,
    )
    return ChangeFacts(**{**ready, **overrides})


@pytest.mark.parametrize(
    ("overrides", "allowed"),
    [
        ({}, ["authorize", "new", "cancelled"]),
        ({"change_type": "standard", "from_template": True}, ["scheduled", "new", "cancelled"]),
        (
            {"change_type": "standard", "in_freeze": True, "from_template": True},
            ["new", "cancelled"],
        ),
        ({"state": "authorize"}, ["new", "cancelled"]),
        ({"state": "authorize", "quorum_reached": True}, ["scheduled", "new", "cancelled"]),
        ({"state": "authorize", "quorum_reached": True, "in_freeze": True}, ["new", "cancelled"]),
        (
            {
                "state": "authorize",
                "change_type": "emergency",
                "quorum_reached": True,
                "in_freeze": True,
            },
            ["scheduled", "new", "cancelled"],
        ),
        ({"state": "implement", "change_type": "emergency"}, ["review"]),
        ({"state": "implement"}, ["review", "closed"]),
        ({"state": "review"}, []),
        ({"state": "review", "has_review": True}, ["closed"]),
        ({"state": "closed"}, []),
    ],
)
def test_move_table_allows_by_type_quorum_freeze_and_review(overrides, allowed):
    state = overrides.get("state", "assess")
    assert MOVES.allowed(state, facts(**overrides)) == allowed


def test_move_table_leaves_scheduling_after_the_cab_to_the_quorum():
    # the one row the CAB's quorum makes (inside change_approve) is marked for the page
    assert [(m.source, m.target) for m in MOVES if m.by_cab] == [("authorize", "scheduled")]
    # cancelling always asks why, and every move needs the role's transition permission
    assert {m.source for m in MOVES if m.target == "cancelled" and m.comment} == {
        "new",
        "assess",
        "authorize",
        "scheduled",
    }
    assert {m.permission for m in MOVES} == {"changes.transition_changerequest"}


def test_move_table_refuses_a_role_without_the_move_permission(people):
    # given a change and an executive who somehow is its requester
    change = ChangeFactory(requester=people["requester"], implemented=True)
    executive = UserFactory(username="exec", roles=["executive"])
    ChangeRequest.objects.filter(pk=change.pk).update(requester=executive)
    # when they move it, then their role is refused (403), and nothing moved
    with pytest.raises(PermissionDenied, match="Your role may not move a change"):
        services.change_transition(change=change, to="assess", by=executive)
    change.refresh_from_db()
    assert change.state == "new" and not change.transitions.exists()


def test_every_move_is_recorded_and_the_record_is_append_only(people):
    # given a change moved once
    change = ChangeFactory(requester=people["requester"], implemented=True)
    services.change_transition(change=change, to="assess", by=people["requester"])
    record = change.transitions.get()
    assert (record.from_state, record.to_state, record.by) == ("new", "assess", people["requester"])
    # when the record is changed or removed through the application, then it is refused
    record.comment = "rewritten"
    for attempt in (record.save, record.delete, change.transitions.all().delete):
        with pytest.raises(AuditTrailIsAppendOnly):
            attempt()
    with pytest.raises(AuditTrailIsAppendOnly):
        change.transitions.update(comment="rewritten")
    assert change.transitions.get().comment == ""


def test_admin_shows_the_change_trail_read_only(people, client):
    # given a recorded move and a superuser
    change = ChangeFactory(requester=people["requester"], implemented=True)
    services.change_transition(change=change, to="assess", by=people["requester"])
    record = change.transitions.get()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    # then the admin lists it and shows it on the change, but offers no add, change or delete
    assert client.get("/admin/changes/changetransition/").status_code == 200
    assert client.get(f"/admin/changes/changerequest/{change.pk}/change/").status_code == 200
    assert client.get("/admin/changes/changetransition/add/").status_code == 403
    url = f"/admin/changes/changetransition/{record.pk}/"
    assert client.post(f"{url}change/", {"comment": "rewritten"}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert change.transitions.get().comment == ""
