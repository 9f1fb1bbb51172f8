"""The handover's kinds of work in the inbox: the readiness checks a person owns, the
handovers waiting for an ITSM manager's acceptance, and the incidents waiting for a person or
their team; each in a pinned number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from handover.choices import CheckStatus, HandoverState
from handover.home import acceptance, checks
from handover.incidents.home import incidents
from itsm_pmo.home import Band, Clock
from tests.factories import PersonFactory, ServiceFactory, TeamFactory
from tests.support.queries import assert_constant_queries

from .factories import HandoverFactory, IncidentFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db


def _own(handover, person, *names):
    handover.checks.filter(criterion__name__in=names).update(owner=person)


def entries(source, user, shown=10):
    return source.entries(user, Clock.current(), 0, shown)


def test_home_my_checks_lists_open_checks_i_own_soonest_due_first(role_user):
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
    # when the inbox reads the kind
    found = entries(checks, engineer)
    # then it lists my open checks, soonest due first, and links to each
    assert checks.title == "Readiness checks you own"
    assert [item.title for item in found] == [
        "Monitoring and alerting in place · PRJ-SOON",
        "Runbook published · PRJ-LATE",
    ]
    check = sooner.checks.get(criterion__name="Monitoring and alerting in place")
    assert found[0].url == f"{sooner.get_absolute_url()}#check-{check.pk}"
    assert f"go-live {days(10):%a %d %b}" in found[0].meta


def test_home_a_mandatory_check_is_due_when_the_engine_starts_to_warn(role_user, settings):
    # given mandatory and optional checks of a handover going live in 20 days
    engineer = role_user("engineer")
    me = PersonFactory(user=engineer)
    handover = HandoverFactory(go_live=days(20))
    _own(handover, me, "Runbook published", "Service desk briefed")  # mandatory, optional
    found = {item.title.split(" · ")[0]: item for item in entries(checks, engineer)}
    # then the mandatory one is due HANDOVER_READY_DAYS before go-live, the optional by go-live
    assert found["Runbook published"].due == days(20 - settings.HANDOVER_READY_DAYS)
    assert found["Service desk briefed"].due == days(20)
    assert found["Runbook published"].action.startswith("Do it and add the evidence by ")


def test_home_my_checks_are_empty_for_whoever_owns_none(role_user):
    HandoverFactory(go_live=days(10))
    PersonFactory(user=role_user("engineer"))
    assert checks.tally(role_user("engineer"), Clock.current()).total == 0
    assert not checks.asks(role_user("executive"))  # their role ticks no check


@pytest.mark.parametrize("role", ["pmo_lead", "engineer", "executive"])
def test_home_acceptance_is_for_itsm_managers_only(role_user, role):
    force_state(HandoverFactory(go_live=days(10)), HandoverState.READINESS_REVIEW)
    assert not acceptance.asks(role_user(role))
    assert acceptance.asks(role_user("itsm_manager"))


def test_home_acceptance_lists_handovers_in_readiness_review(role_user):
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
    # when an ITSM manager's inbox reads the kind
    found = entries(acceptance, role_user("itsm_manager"))
    # then both in review are listed, nearest go-live first, with what to do about each
    assert [item.title.split()[0] for item in found] == ["PRJ-OPEN", "PRJ-READY"]
    assert found[0].badge.endswith("mandatory open") and found[0].action.startswith("Chase ")
    assert found[1].badge == "Ready" and found[1].action == "Accept or send back"
    assert [item.due for item in found] == [days(8), days(20)]


def test_home_incidents_are_mine_and_my_teams_unassigned_ones(role_user):
    # given an engineer in a team, and incidents around them
    engineer = role_user("engineer")
    team = TeamFactory()
    me = PersonFactory(user=engineer, team=team)
    ours = ServiceFactory(owning_team=team)
    IncidentFactory(title="Mine", assignee=me)
    IncidentFactory(title="Ours", service=ours)
    IncidentFactory(title="A colleague's", service=ours, assignee=PersonFactory(team=team))
    IncidentFactory(title="Another team's")
    IncidentFactory(title="Solved", assignee=me, state="resolved")
    # then the inbox holds mine and our unassigned one, each once
    found = [item.title.split(" ", 1)[1] for item in entries(incidents, engineer)]
    assert sorted(found) == ["Mine", "Ours"]
    assert not incidents.asks(role_user("executive")) and not incidents.asks(role_user("pmo_lead"))


def test_home_incidents_are_due_by_their_priority(role_user):
    engineer = role_user("engineer")
    me = PersonFactory(user=engineer)
    opened = timezone.now() - timedelta(hours=5)
    IncidentFactory(title="P1", assignee=me, impact=1, urgency=1, opened_at=opened)
    IncidentFactory(title="P3", assignee=me, impact=2, urgency=2, opened_at=opened)
    clock = Clock.current()
    p1, p3 = entries(incidents, engineer)
    # P1 is to be resolved within 4 hours (overdue now), P3 within 3 days
    assert p1.due == opened + timedelta(hours=4) and clock.band(p1.due) == Band.OVERDUE
    assert p3.due == opened + timedelta(days=3)
    assert p1.badge == "P1 Critical" and p1.tone == "danger"


def test_home_handover_kinds_run_in_pinned_queries(role_user):
    manager, engineer = role_user("itsm_manager"), role_user("engineer")
    me = PersonFactory(user=engineer)
    first = force_state(HandoverFactory(go_live=days(3)), HandoverState.READINESS_REVIEW)
    _own(first, me, "Runbook published")
    IncidentFactory(assignee=me)
    clock = Clock.current()
    manager.has_perm("handover.accept_handover")  # the permission cache, as on a page
    engineer.has_perm("handover.change_incident")

    def grow():
        for n in range(8):
            handover = force_state(HandoverFactory(go_live=days(n)), HandoverState.READINESS_REVIEW)
            _own(handover, me, "Runbook published", "Monitoring and alerting in place")
            IncidentFactory(assignee=me)

    def read():
        return (
            acceptance.first(manager, clock, 5),
            checks.first(engineer, clock, 5),
            incidents.first(engineer, clock, 5),
        )

    # a tally and a page of entries each, however many handovers, checks and incidents
    assert_constant_queries(read, grow, expected=6)
    tally, shown = checks.first(engineer, clock, 5)
    assert len(shown) == 5 and tally.total == 17


def test_home_page_shows_the_handover_kinds(page_clients, role_user):
    me = PersonFactory(user=role_user("engineer"))
    handover = force_state(
        HandoverFactory(go_live=days(9), project__code="PRJ-HOME"), HandoverState.READINESS_REVIEW
    )
    _own(handover, me, "Runbook published")
    manager_home = page_clients("itsm_manager").get("/").content.decode()
    assert "Handovers to accept" in manager_home and "PRJ-HOME" in manager_home
    engineer_home = page_clients("engineer").get("/").content.decode()
    assert "Readiness checks you own" in engineer_home
    assert "Runbook published · PRJ-HOME" in engineer_home
    assert "Handovers to accept" not in engineer_home
