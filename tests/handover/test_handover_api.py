"""The handover API: role rules, the readiness gate as 409/403, checks and the catalogue."""

import pytest

from handover.choices import HandoverState
from handover.models import Handover, ReadinessCriterion
from tests.factories import MilestoneFactory, PersonFactory, ProjectFactory
from tests.support.permissions import assert_matrix

from .factories import HandoverFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db
URL = "/api/handover/handovers/"


def move(client, handover, to, comment=""):
    return client.post(
        f"{URL}{handover.pk}/transition/", {"to": to, "comment": comment}, format="json"
    )


def test_api_handover_reads_are_for_every_role(api_clients):
    handover = HandoverFactory(go_live=days(30))
    assert_matrix(
        api_clients,
        "get",
        URL,
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )
    assert_matrix(
        api_clients,
        "get",
        f"{URL}{handover.pk}/",
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )


def test_api_handover_body_has_readiness_and_go_live(api):
    handover = HandoverFactory(go_live=days(30))
    settle_checks(handover)
    handover.checks.filter(criterion__name="Runbook published").update(status="todo")
    body = api.get(f"{URL}{handover.pk}/").json()
    assert body["go_live_on"] == days(30).isoformat()
    assert body["readiness"] == {
        "done": 9,
        "waived": 0,
        "total": 10,
        "settled": 9,
        "percent": 90,
        "mandatory_open": ["Runbook published"],
    }
    assert body["state"] == "planning"


def test_api_handover_create_and_update_roles(api_clients):
    # an empty body: the writers are told what is missing, the others refused
    assert_matrix(
        api_clients,
        "post",
        URL,
        {},
        anonymous=401,
        pmo_lead=400,
        itsm_manager=400,
        engineer=403,
        executive=403,
    )
    created = api_clients("pmo_lead").post(
        URL, {"project": ProjectFactory().pk, "new_service_name": "Loyalty"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["readiness"]["total"] == 10
    assert created.json()["new_service_name"] == "Loyalty"
    url = f"{URL}{created.json()['id']}/"
    assert_matrix(
        api_clients,
        "patch",
        url,
        {"els_quiet_days": 21},
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )


def test_api_transition_roles_and_the_readiness_gate(api_clients):
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    handover.checks.filter(criterion__name="Security review passed").update(status="todo")
    handover.checks.exclude(criterion__name="Security review passed").update(status="done")

    for role, expected in (("engineer", 403), ("executive", 403), ("pmo_lead", 403)):
        assert move(api_clients(role), handover, "accepted").status_code == expected, role
    assert move(api_clients("anonymous"), handover, "accepted").status_code == 401

    manager = api_clients("itsm_manager")
    refused = move(manager, handover, "accepted")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "transition_not_allowed"
    assert body["detail"] == "Mandatory checks still open: Security review passed."
    assert body["allowed"] == ["planning"]

    check = handover.checks.get(criterion__name="Security review passed")
    waived = manager.patch(f"/api/handover/checks/{check.pk}/", {"status": "waived"}, format="json")
    assert waived.status_code == 400
    assert "waiver_reason" in waived.json()["fields"]
    assert (
        manager.patch(
            f"/api/handover/checks/{check.pk}/",
            {"status": "waived", "waiver_reason": "Reviewed with the parent platform."},
            format="json",
        ).status_code
        == 200
    )

    accepted = move(manager, handover, "accepted")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["accepted_by"]


def test_api_transition_unknown_state_and_illegal_move(api_clients):
    handover = HandoverFactory(go_live=days(30))
    lead = api_clients("pmo_lead")
    assert move(lead, handover, "nowhere").status_code == 400
    illegal = move(lead, handover, "closed")
    assert illegal.status_code == 409
    assert illegal.json()["allowed"] == ["readiness_review"]
    assert move(lead, handover, "readiness_review").status_code == 200


def test_api_checks_role_rules_and_filter(api_clients, role_user):
    handover = HandoverFactory(go_live=days(30))
    other = HandoverFactory()
    check = handover.checks.order_by("pk").first()
    check.owner = PersonFactory(user=role_user("engineer"))
    check.save()
    listed = api_clients("executive").get(f"/api/handover/checks/?handover={handover.pk}")
    assert listed.json()["count"] == 10
    assert {c["handover"] for c in listed.json()["results"]} == {handover.pk}
    assert other.checks.count() == 10

    url = f"/api/handover/checks/{check.pk}/"
    assert_matrix(
        api_clients,
        "patch",
        url,
        {"status": "in_progress"},
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=403,
    )
    not_mine = handover.checks.exclude(pk=check.pk).first()
    assert (
        api_clients("engineer")
        .patch(f"/api/handover/checks/{not_mine.pk}/", {"status": "done"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_clients("pmo_lead").post("/api/handover/checks/", {}, format="json").status_code == 405
    )


def test_api_criteria_are_written_by_itsm_managers(api_clients):
    assert_matrix(
        api_clients,
        "get",
        "/api/handover/criteria/",
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )
    counter = iter(range(100))
    for role, expected in (
        ("pmo_lead", 403),
        ("engineer", 403),
        ("executive", 403),
        ("itsm_manager", 201),
    ):
        response = api_clients(role).post(
            "/api/handover/criteria/",
            {"name": f"DR rehearsal {next(counter)}", "mandatory": True},
            format="json",
        )
        assert response.status_code == expected, role
    used = ReadinessCriterion.objects.get(name="Runbook published")
    HandoverFactory()
    refused = api_clients("itsm_manager").delete(f"/api/handover/criteria/{used.pk}/")
    assert refused.status_code == 409


def test_api_list_queries_do_not_grow(api):
    from tests.support.queries import assert_constant_queries

    HandoverFactory(go_live=days(10))

    def grow():
        for n in range(5):
            MilestoneFactory(project=HandoverFactory().project, due_date=days(n))

    assert_constant_queries(lambda: api.get(URL), grow)
    assert Handover.objects.count() == 6


def test_api_checks_an_engineer_cannot_claim_a_check_to_tick_it(api_clients, role_user):
    # given a check owned by someone else, and an engineer with a person record
    handover = HandoverFactory(go_live=days(30))
    check = handover.checks.order_by("pk").first()
    check.owner = PersonFactory()
    check.save()
    me = PersonFactory(user=role_user("engineer"))
    # when the engineer makes it theirs and ticks it in one PATCH
    response = api_clients("engineer").patch(
        f"/api/handover/checks/{check.pk}/", {"owner": me.pk, "status": "done"}, format="json"
    )
    # then it is refused as on the page, and the check is as it was
    assert response.status_code == 403
    check.refresh_from_db()
    assert check.status == "todo" and check.owner != me
