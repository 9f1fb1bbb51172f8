"""The change API: role rules, the transition and approvals endpoints."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem
from tests.factories import PersonFactory
from tests.support.permissions import assert_matrix

from .factories import ChangeFactory, advance

pytestmark = pytest.mark.django_db
SOON = timezone.now().replace(microsecond=0) + timedelta(days=5)


@pytest.mark.parametrize(
    "endpoint", ["items", "changes", "templates", "policies", "freezes", "reviews"]
)
def test_changes_api_every_role_reads(api_clients, endpoint):
    assert_matrix(
        api_clients,
        "get",
        f"/api/changes/{endpoint}/",
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )


def body(**extra):
    item = ConfigurationItem.objects.create(name=f"ci-{ConfigurationItem.objects.count()}")
    return {
        "title": "Patch",
        "change_type": "normal",
        "items": [item.pk],
        "backout_plan": "Roll back",
        "implementer": PersonFactory().pk,
        "planned_start": SOON.isoformat(),
        "planned_end": (SOON + timedelta(hours=2)).isoformat(),
        **extra,
    }


def test_changes_api_engineers_and_itsm_managers_raise_changes(api_clients):
    assert_matrix(
        api_clients,
        "post",
        "/api/changes/changes/",
        body(),
        anonymous=401,
        pmo_lead=403,
        itsm_manager=201,
        engineer=201,
        executive=403,
    )
    numbers = list(ChangeRequest.objects.values_list("number", flat=True))
    assert all(n.startswith("CHG") and len(n) == 10 for n in numbers)


def test_changes_api_bad_window_is_400_and_saves_nothing(api_clients):
    client = api_clients("engineer")
    backwards = client.post(
        "/api/changes/changes/",
        body(planned_end=(SOON - timedelta(hours=1)).isoformat()),
        format="json",
    )
    assert backwards.status_code == 400
    assert backwards.json()["fields"]["planned_end"] == ["The window must end after it starts."]
    assert not ChangeRequest.objects.exists()


def test_changes_api_risk_override_is_for_itsm_managers_with_a_reason(api_clients):
    engineer = api_clients("engineer")
    # the override is not writable with the change itself
    change = engineer.post("/api/changes/changes/", body(risk_override="low"), format="json").json()
    assert change["risk_override"] == ""
    url = f"/api/changes/changes/{change['id']}/risk-override/"
    assert engineer.post(url, {"level": "low", "reason": "Mine"}, format="json").status_code == 403
    manager = api_clients("itsm_manager")
    unexplained = manager.post(url, {"level": "high"}, format="json")
    assert unexplained.status_code == 400 and "reason" in unexplained.json()["fields"]
    assert manager.post(url, {"level": "bogus", "reason": "x"}, format="json").status_code == 400
    assert ChangeRequest.objects.get().risk_override == ""
    done = manager.post(url, {"level": "high", "reason": "Payments peak week"}, format="json")
    assert done.status_code == 200
    assert (done.json()["risk_override"], done.json()["risk_override_reason"]) == (
        "high",
        "Payments peak week",
    )
    cleared = manager.post(url, {"level": ""}, format="json").json()
    assert cleared["risk_override"] == "" and cleared["risk"] == change["risk"]


def test_changes_api_slots_and_draft_only_edits(api_clients):
    engineer = api_clients("engineer")
    change = engineer.post("/api/changes/changes/", body(), format="json").json()
    slots = engineer.get(f"/api/changes/changes/{change['id']}/slots/")
    assert slots.status_code == 200 and len(slots.json()) == 5
    assert (
        api_clients("executive").get(f"/api/changes/changes/{change['id']}/slots/").status_code
        == 200
    )
    url = f"/api/changes/changes/{change['id']}/"
    assert engineer.patch(url, {"title": "Patch v2"}, format="json").json()["title"] == "Patch v2"
    assert api_clients("pmo_lead").patch(url, {"title": "x"}, format="json").status_code == 403
    for to in ("assess", "authorize"):
        engineer.post(f"{url}transition/", {"to": to}, format="json")
    late = engineer.patch(url, {"title": "Patch v3"}, format="json")
    assert late.status_code == 409 and "new change" in late.json()["detail"]
    assert ChangeRequest.objects.get().title == "Patch v2"


def test_changes_api_transition_409_with_allowed_moves_and_403_for_others(api_clients):
    engineer = api_clients("engineer")
    change = engineer.post("/api/changes/changes/", body(), format="json").json()
    url = f"/api/changes/changes/{change['id']}/transition/"
    refused = engineer.post(url, {"to": "scheduled"}, format="json")
    assert refused.status_code == 409
    assert set(refused.json()["allowed"]) == {"assess", "cancelled"}
    # another engineer may not move it; an ITSM manager may
    other = api_clients("executive")
    assert other.post(url, {"to": "assess"}, format="json").status_code == 403
    assert engineer.post(url, {"to": "assess"}, format="json").json()["state"] == "assess"
    assert (
        api_clients("itsm_manager").post(url, {"to": "authorize"}, format="json").json()["state"]
        == "authorize"
    )


def test_changes_api_approvals_endpoint(api_clients):
    engineer = api_clients("engineer")
    change = engineer.post("/api/changes/changes/", body(), format="json").json()
    for to in ("assess", "authorize"):
        engineer.post(f"/api/changes/changes/{change['id']}/transition/", {"to": to}, format="json")
    url = f"/api/changes/changes/{change['id']}/approvals/"
    assert engineer.post(url, {"decision": "approve"}, format="json").status_code == 403
    bad = api_clients("itsm_manager").post(url, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["fields"]
    ok = api_clients("itsm_manager").post(
        url, {"decision": "approve", "comment": "Fine"}, format="json"
    )
    assert ok.status_code == 201
    again = api_clients("itsm_manager").post(url, {"decision": "approve"}, format="json")
    assert again.status_code == 409
    assert engineer.get(url).json()[0]["decision"] == "approve"
    assert engineer.get(f"/api/changes/changes/{change['id']}/").json()["state"] == "scheduled"


def test_changes_api_never_deletes_a_change(api_clients):
    # given a change, which an ITSM manager manages
    change = ChangeFactory()
    # when anyone deletes it through the API
    answers = [
        api_clients(role).delete(f"/api/changes/changes/{change.pk}/").status_code
        for role in ("itsm_manager", "engineer")
    ]
    # then the endpoint does not offer it: a change is cancelled, and keeps its history
    assert answers == [405, 405]
    assert ChangeRequest.objects.filter(pk=change.pk).exists()


def test_changes_cab_decision_follows_the_policy_role_at_both_doors(api_clients, page_clients):
    # given a policy that gives normal changes to the PMO leads, and a change waiting
    ApprovalPolicy.objects.create(
        change_type="normal", approver_group=Group.objects.get(name="pmo_lead"), quorum=1
    )
    change = advance(ChangeFactory(implemented=True), "authorize")
    url = f"/api/changes/changes/{change.pk}/approvals/"
    # when an ITSM manager decides, by the API or the page, then both refuse
    manager = api_clients("itsm_manager").post(url, {"decision": "approve"}, format="json")
    page = page_clients("itsm_manager").post(
        f"/changes/{change.pk}/decide/", {"decision": "approve"}
    )
    assert (manager.status_code, page.status_code) == (403, 403)
    assert not change.approvals.exists()
    # when a PMO lead decides, then it is recorded and the quorum schedules the change
    lead = api_clients("pmo_lead").post(url, {"decision": "approve"}, format="json")
    assert lead.status_code == 201
    change.refresh_from_db()
    assert change.state == "scheduled"
