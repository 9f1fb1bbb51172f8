"""The handover's home panels: the readiness checks a user owns, and the handovers waiting for
an ITSM manager's acceptance; each in a pinned number of queries."""

import pytest

from handover.choices import CheckStatus, HandoverState
from handover.home import acceptance_panel, my_checks_panel
from tests.factories import PersonFactory
from tests.support.queries import assert_constant_queries

from .factories import HandoverFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db


def _own(handover, person, *names):
    handover.checks.filter(criterion__name__in=names).update(owner=person)


def test_home_my_checks_lists_open_checks_i_own_nearest_go_live_first(role_user):
    # given an engineer owning checks on two handovers, one settled, one on an accepted one
    engineer = role_user("engineer")
    me = PersonFactory(user=engineer)
    later = HandoverFactory(go_live=days(40), project__code="PRJ-LATE")
    sooner = HandoverFactory(go_live=days(10), project__code="PRJ-SOON")
    accepted = force_state(HandoverFactory(go_live=days(5)), HandoverState.ACCEPTED)
    _own(later, me, "Runbook published")
    _own(sooner, me, "Monitoring and alerting in place", "Service desk briefed")
    _own(accepted, me, "Runbook published")
    sooner.checks.filter(criterion__name="Service desk briefed").update(status=CheckStatus.DONE)
    _own(sooner, PersonFactory(), "Runbook published")  # someone else's
    # when the home page asks for the panel
    panel = my_checks_panel(engineer)
    # then it lists my open checks, nearest go-live first, and links to each
    assert panel.title == "Readiness checks you own"
    assert [item.title for item in panel.items] == [
        "Monitoring and alerting in place · PRJ-SOON",
        "Runbook published · PRJ-LATE",
    ]
    check = sooner.checks.get(criterion__name="Monitoring and alerting in place")
    assert panel.items[0].url == f"{sooner.get_absolute_url()}#check-{check.pk}"
    assert f"go-live {days(10):%d %b %Y}" in panel.items[0].meta


def test_home_my_checks_is_absent_without_any(role_user):
    HandoverFactory(go_live=days(10))
    assert my_checks_panel(role_user("executive")) is None
    PersonFactory(user=role_user("engineer"))
    assert my_checks_panel(role_user("engineer")) is None


@pytest.mark.parametrize("role", ["pmo_lead", "engineer", "executive"])
def test_home_acceptance_panel_is_for_itsm_managers_only(role_user, role):
    force_state(HandoverFactory(go_live=days(10)), HandoverState.READINESS_REVIEW)
    assert acceptance_panel(role_user(role)) is None


def test_home_acceptance_panel_lists_handovers_in_readiness_review(role_user):
    # given handovers in review (one ready, one with mandatory checks open) and one planning
    ready = force_state(
        HandoverFactory(go_live=days(20), project__code="PRJ-READY"),
        HandoverState.READINESS_REVIEW,
    )
    settle_checks(ready)
    force_state(
        HandoverFactory(go_live=days(8), project__code="PRJ-OPEN"), HandoverState.READINESS_REVIEW
    )
    HandoverFactory(go_live=days(2), project__code="PRJ-PLAN")
    # when an ITSM manager's home asks for the panel
    panel = acceptance_panel(role_user("itsm_manager"))
    # then both in review are listed, nearest go-live first, with how ready each is
    assert [item.title.split()[0] for item in panel.items] == ["PRJ-OPEN", "PRJ-READY"]
    assert panel.items[0].badge.endswith("mandatory open")
    assert panel.items[1].badge == "Ready"


def test_home_acceptance_panel_says_when_nothing_waits(role_user):
    panel = acceptance_panel(role_user("itsm_manager"))
    assert panel.items == [] and panel.empty == "No handover waits for your acceptance."


def test_home_panels_queries_are_pinned(role_user):
    manager, engineer = role_user("itsm_manager"), role_user("engineer")
    me = PersonFactory(user=engineer)
    first = force_state(HandoverFactory(go_live=days(3)), HandoverState.READINESS_REVIEW)
    _own(first, me, "Runbook published")
    manager.has_perm("handover.accept_handover")  # the permission cache, as on a page

    def grow():
        for n in range(8):
            handover = force_state(HandoverFactory(go_live=days(n)), HandoverState.READINESS_REVIEW)
            _own(handover, me, "Runbook published", "Monitoring and alerting in place")

    def both():
        return acceptance_panel(manager), my_checks_panel(engineer)

    # one query each, however many handovers and checks (the permissions are cached already)
    assert_constant_queries(both, grow, expected=2)
    assert len(my_checks_panel(engineer).items) == 6


def test_home_page_shows_the_handover_panels(page_clients, role_user):
    me = PersonFactory(user=role_user("engineer"))
    handover = force_state(
        HandoverFactory(go_live=days(9), project__code="PRJ-HOME"), HandoverState.READINESS_REVIEW
    )
    _own(handover, me, "Runbook published")
    manager_home = page_clients("itsm_manager").get("/").content.decode()
    assert "Handovers waiting for your acceptance" in manager_home and "PRJ-HOME" in manager_home
    engineer_home = page_clients("engineer").get("/").content.decode()
    assert "Readiness checks you own" in engineer_home
    assert "Runbook published · PRJ-HOME" in engineer_home
    assert "Handovers waiting for your acceptance" not in engineer_home
