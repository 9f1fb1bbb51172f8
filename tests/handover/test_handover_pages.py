"""The handover pages: role rules, the checklist form, the sign-off panel, bounded queries."""

import pytest

from handover.choices import CheckStatus, HandoverState
from handover.models import Handover
from itsm_pmo.dates import short_date
from tests.factories import MilestoneFactory, PersonFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import HandoverFactory, IncidentFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db


def test_pages_are_read_by_every_role_and_anonymous_goes_to_login(page_clients):
    handover = HandoverFactory(go_live=days(30))
    for url in ("/handover/", f"/handover/{handover.pk}/"):
        assert_matrix(
            page_clients,
            "get",
            url,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    assert_matrix(
        page_clients,
        "get",
        f"/handover/{handover.pk}/edit/",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )


def test_list_shows_readiness_and_go_live_and_filters_by_state(page_clients):
    handover = HandoverFactory(go_live=days(12))
    settle_checks(handover)
    handover.checks.filter(criterion__name="Runbook published").update(status="todo")
    force_state(HandoverFactory(), HandoverState.ACCEPTED)
    page = page_clients("executive").get("/handover/")
    html = page.content.decode()
    assert "9/10" in html and "1 mandatory open" in html and "in 12 days" in html
    assert len(page.context["object_list"]) == 2
    only = page_clients("executive").get("/handover/?state=accepted")
    assert [h.state for h in only.context["object_list"]] == ["accepted"]


def test_list_query_count_is_constant(page_clients):
    client = page_clients("pmo_lead")
    HandoverFactory(go_live=days(5))

    def grow():
        for n in range(6):
            handover = HandoverFactory()
            MilestoneFactory(project=handover.project, due_date=days(n))
            settle_checks(handover)

    # session, user, permissions ×2, roles, count, page, state tabs (teams and projects are
    # searched as you type, not listed); and 8 for the navigation's count of what waits in the
    # PMO lead's inbox (a tally per kind of work, itsm_pmo/home.py)
    # +1 since issue 17: the header's count of unread notifications
    assert_constant_queries(lambda: client.get("/handover/"), grow, expected=16)


def test_detail_query_count_is_constant(page_clients):
    client = page_clients("itsm_manager")
    handover = HandoverFactory(go_live=days(-20))
    force_state(handover, HandoverState.EARLY_LIFE_SUPPORT, els_started_on=days(-20))
    url = f"/handover/{handover.pk}/"

    def grow():
        for n in range(5):
            IncidentFactory(project=handover.project, opened_on=days(-n), priority=2 + n % 3)
        handover.checks.update(owner=PersonFactory())

    assert_constant_queries(lambda: client.get(url), grow)


def test_detail_sign_off_names_open_mandatory_checks_and_acceptance_is_for_managers(page_clients):
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    settle_checks(handover)
    handover.checks.filter(criterion__name="Runbook published").update(status="in_progress")
    lead_view = page_clients("pmo_lead").get(f"/handover/{handover.pk}/").content.decode()
    assert "Mandatory checks still open: Runbook published." in lead_view
    assert "Only an ITSM manager accepts a handover." in lead_view

    manager = page_clients("itsm_manager")
    refused = manager.post(f"/handover/{handover.pk}/transition/", {"to": "accepted"})
    assert refused.status_code == 409  # the move the table refuses now, as in the API
    assert "Mandatory checks still open: Runbook published." in refused.content.decode()
    handover.refresh_from_db()
    assert handover.state == HandoverState.READINESS_REVIEW

    assert (
        page_clients("pmo_lead")
        .post(f"/handover/{handover.pk}/transition/", {"to": "accepted"})
        .status_code
        == 403  # not the PMO lead's to accept, as in the API
    )
    handover.refresh_from_db()
    assert handover.state == HandoverState.READINESS_REVIEW
    assert (
        page_clients("engineer")
        .post(f"/handover/{handover.pk}/transition/", {"to": "accepted"})
        .status_code
        == 403
    )


def test_check_form_waives_with_a_reason_and_refuses_without(page_clients, role_user):
    handover = HandoverFactory(go_live=days(30))
    check = handover.checks.get(criterion__name="Runbook published")
    url = f"/handover/{handover.pk}/checks/{check.pk}/"
    lead = page_clients("pmo_lead")
    refused = lead.post(url, {"status": "waived", "evidence_url": "", "waiver_reason": ""})
    assert refused.status_code == 400
    assert "Say why this check is waived." in refused.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.TODO
    lead.post(url, {"status": "waived", "waiver_reason": "Vendor-run for a year"})
    check.refresh_from_db()
    assert check.status == CheckStatus.WAIVED and check.waiver_reason == "Vendor-run for a year"

    # an engineer updates the checks they own, and only those
    engineer = page_clients("engineer")
    other = handover.checks.get(criterion__name="Support team trained")
    assert (
        engineer.post(f"/handover/{handover.pk}/checks/{other.pk}/", {"status": "done"}).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.status == CheckStatus.TODO
    other.owner = PersonFactory(user=role_user("engineer"))
    other.save()
    engineer.post(
        f"/handover/{handover.pk}/checks/{other.pk}/",
        {"status": "done", "evidence_url": "https://lms.example.org/course/7"},
    )
    other.refresh_from_db()
    assert other.status == CheckStatus.DONE and other.owner is not None
    assert (
        page_clients("executive")
        .post(f"/handover/{handover.pk}/checks/{other.pk}/", {"status": "todo"})
        .status_code
        == 403
    )


def test_detail_shows_early_life_support_and_its_incidents(page_clients):
    handover = HandoverFactory(go_live=days(-20))
    force_state(handover, HandoverState.EARLY_LIFE_SUPPORT, els_started_on=days(-20))
    IncidentFactory(project=handover.project, opened_on=days(-10), priority=2)
    html = page_clients("engineer").get(f"/handover/{handover.pk}/").content.decode()
    assert "P2 on" in html
    assert f"Ends on {short_date(days(4))}" in html
    assert "quiet for <strong>10</strong> of 14 days" in html


def test_project_page_shows_its_handover(page_clients):
    handover = HandoverFactory(go_live=days(30))
    html = page_clients("executive").get(handover.project.get_absolute_url()).content.decode()
    assert 'data-testid="project-handover"' in html
    assert handover.get_absolute_url() in html
    assert Handover.objects.count() == 1
