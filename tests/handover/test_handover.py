"""The handover: opened on approval, the readiness gate, early-life support and closing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from handover import services
from handover.choices import CheckStatus, HandoverState
from handover.models import Handover, HandoverTransition, ReadinessCriterion
from handover.readiness import els_exit_date, readiness_summary
from itsm_pmo.dates import short_date
from itsm_pmo.workflow import TransitionRefused
from portfolio.choices import Stage
from portfolio.services import project_transition
from tests.factories import (
    CriterionFactory,
    PersonFactory,
    ProjectFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
    score_fully,
)

from .factories import HandoverFactory, IncidentFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db


# --- opening ---------------------------------------------------------------------------------


def test_approving_a_project_opens_its_handover_with_a_check_per_criterion(role_user):
    team, service = TeamFactory(name="Platform Ops"), ServiceFactory(name="Payments")
    project = ProjectFactory(
        stage=Stage.ASSESSED,
        owner=PersonFactory(),
        sponsor="CFO",
        support_team=team,
        support_effort_hours=6,
    )
    project.services.add(service)
    score_fully(project, [CriterionFactory(name="Value")])
    assert not Handover.objects.filter(project=project).exists()

    project_transition(project=project, to=Stage.APPROVED, by=role_user("pmo_lead"))

    handover = Handover.objects.get(project=project)
    active = ReadinessCriterion.objects.filter(active=True)
    assert active.count() == 10  # the seeded catalogue
    assert handover.checks.count() == active.count()
    assert handover.state == HandoverState.PLANNING
    assert handover.receiving_team == team and handover.service == service
    assert handover.els_effort_hours == 6


def test_opening_is_idempotent_and_skips_inactive_criteria():
    ReadinessCriterion.objects.filter(name="Known errors documented").update(active=False)
    handover = HandoverFactory()
    again = services.handover_open(project=handover.project)
    assert again.pk == handover.pk
    assert handover.checks.count() == 9


def test_a_refused_approval_opens_no_handover(role_user):
    project = ProjectFactory(stage=Stage.ASSESSED)  # no owner, no sponsor
    with pytest.raises(TransitionRefused):
        project_transition(project=project, to=Stage.APPROVED, by=role_user("pmo_lead"))
    assert not Handover.objects.filter(project=project).exists()


# --- the readiness gate ------------------------------------------------------------------------


def test_readiness_review_needs_a_team_and_a_go_live(role_user):
    handover = HandoverFactory(project__support_team=None)
    with pytest.raises(TransitionRefused) as refused:
        services.handover_transition(
            handover=handover, to=HandoverState.READINESS_REVIEW, by=role_user("pmo_lead")
        )
    assert "receiving support team" in refused.value.detail
    assert "go-live" in refused.value.detail


def test_acceptance_is_refused_while_a_mandatory_check_is_open_and_names_it(role_user):
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    settle_checks(handover)
    handover.checks.filter(
        criterion__name__in=["Runbook published", "Backup and recovery tested"]
    ).update(status=CheckStatus.IN_PROGRESS)
    handover.checks.filter(criterion__name="Service desk briefed").update(
        status=CheckStatus.TODO
    )  # optional: does not block

    with pytest.raises(TransitionRefused) as refused:
        services.handover_transition(
            handover=handover, to=HandoverState.ACCEPTED, by=role_user("itsm_manager")
        )
    assert refused.value.detail == (
        "Mandatory checks still open: Runbook published, Backup and recovery tested."
    )
    assert HandoverState.ACCEPTED not in refused.value.allowed


def test_acceptance_allowed_once_open_checks_are_done_or_waived_with_a_reason(role_user):
    manager = role_user("itsm_manager")
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    settle_checks(handover)
    runbook = handover.checks.get(criterion__name="Runbook published")
    runbook.status = CheckStatus.TODO
    runbook.save()
    with pytest.raises(TransitionRefused):
        services.handover_transition(handover=handover, to=HandoverState.ACCEPTED, by=manager)

    with pytest.raises(ValidationError) as no_reason:
        services.check_update(check=runbook, by=manager, status=CheckStatus.WAIVED)
    assert "waiver_reason" in no_reason.value.message_dict
    services.check_update(
        check=runbook,
        by=manager,
        status=CheckStatus.WAIVED,
        waiver_reason="The vendor runs it for the first year.",
    )

    handover = services.handover_transition(
        handover=handover, to=HandoverState.ACCEPTED, by=manager
    )
    assert handover.state == HandoverState.ACCEPTED
    assert handover.accepted_by == manager and handover.accepted_at is not None
    assert HandoverTransition.objects.filter(handover=handover, to_state="accepted").exists()


@pytest.mark.parametrize("role", ["pmo_lead", "engineer", "executive"])
def test_only_an_itsm_manager_accepts(role_user, role):
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    settle_checks(handover)
    with pytest.raises(PermissionDenied):
        services.handover_transition(
            handover=handover, to=HandoverState.ACCEPTED, by=role_user(role)
        )
    handover.refresh_from_db()
    assert handover.state == HandoverState.READINESS_REVIEW


def test_sending_back_needs_a_reason_and_clears_the_acceptance(role_user):
    manager = role_user("itsm_manager")
    handover = force_state(
        HandoverFactory(go_live=days(30)), HandoverState.ACCEPTED, accepted_by=manager
    )
    with pytest.raises(ValidationError):
        services.handover_transition(
            handover=handover, to=HandoverState.READINESS_REVIEW, by=manager
        )
    handover = services.handover_transition(
        handover=handover,
        to=HandoverState.READINESS_REVIEW,
        by=manager,
        comment="Runbook turned out to be a stub.",
    )
    assert handover.accepted_by is None and handover.accepted_at is None


# --- checks ----------------------------------------------------------------------------------


def test_engineers_update_only_the_checks_they_own(role_user):
    engineer = role_user("engineer")
    handover = HandoverFactory(go_live=days(30))
    mine, other = list(handover.checks.all()[:2])
    mine.owner = PersonFactory(user=engineer)
    mine.save()
    services.check_update(
        check=mine,
        by=engineer,
        status=CheckStatus.DONE,
        evidence_url="https://wiki.example.org/runbook",
    )
    mine.refresh_from_db()
    assert mine.status == CheckStatus.DONE
    with pytest.raises(PermissionDenied):
        services.check_update(check=other, by=engineer, status=CheckStatus.DONE)
    with pytest.raises(PermissionDenied):  # nor reassign their own
        services.check_update(check=mine, by=engineer, owner=PersonFactory())


def test_checks_are_frozen_once_accepted(role_user):
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.ACCEPTED)
    with pytest.raises(TransitionRefused):
        services.check_update(
            check=handover.checks.first(), by=role_user("pmo_lead"), status=CheckStatus.TODO
        )


def test_readiness_summary_counts_and_lists_open_mandatory_checks():
    handover = HandoverFactory()
    settle_checks(handover)
    handover.checks.filter(criterion__name="Runbook published").update(status="todo")
    handover.checks.filter(criterion__name="Service desk briefed").update(
        status="waived", waiver_reason="n/a"
    )
    summary = readiness_summary(handover.checks.select_related("criterion"))
    assert (summary.done, summary.waived, summary.total) == (8, 1, 10)
    assert summary.mandatory_open == ("Runbook published",)
    assert summary.percent == 90 and not summary.ready


# --- early-life support ------------------------------------------------------------------------

GO_LIVE = date(2026, 3, 2)


def exit_on(incidents, today, quiet_days=14, max_priority=2):
    return els_exit_date(GO_LIVE, incidents, quiet_days, max_priority, today)


def test_els_without_incidents_ends_quiet_days_after_go_live():
    assert exit_on([], today=GO_LIVE + timedelta(days=13)) is None
    assert exit_on([], today=GO_LIVE + timedelta(days=14)) == GO_LIVE + timedelta(days=14)
    assert exit_on([], today=GO_LIVE + timedelta(days=40)) == GO_LIVE + timedelta(days=14)


def test_els_a_p2_incident_restarts_the_quiet_period():
    p2 = GO_LIVE + timedelta(days=10)
    assert exit_on([(p2, 2)], today=GO_LIVE + timedelta(days=20)) is None
    assert exit_on([(p2, 2)], today=p2 + timedelta(days=14)) == p2 + timedelta(days=14)
    # the last counting incident decides, whatever the order
    p1 = GO_LIVE + timedelta(days=3)
    assert exit_on([(p2, 2), (p1, 1)], today=p2 + timedelta(days=14)) == p2 + timedelta(days=14)


def test_els_p3_and_pre_go_live_incidents_do_not_count():
    today = GO_LIVE + timedelta(days=14)
    assert exit_on([(GO_LIVE + timedelta(days=5), 3)], today) == today
    assert exit_on([(GO_LIVE - timedelta(days=2), 1)], today) == today
    # a stricter exit criterion counts P3 too
    assert exit_on([(GO_LIVE + timedelta(days=5), 3)], today, max_priority=3) is None


def test_early_life_support_starts_at_go_live(role_user):
    manager = role_user("itsm_manager")
    handover = force_state(HandoverFactory(go_live=days(5)), HandoverState.ACCEPTED)
    with pytest.raises(TransitionRefused) as refused:
        services.handover_transition(
            handover=handover, to=HandoverState.EARLY_LIFE_SUPPORT, by=manager
        )
    assert "starts at go-live" in refused.value.detail
    handover.project.milestones.update(due_date=days(-3))
    handover = services.handover_transition(
        handover=handover, to=HandoverState.EARLY_LIFE_SUPPORT, by=manager
    )
    assert handover.els_started_on == days(-3)


def test_closing_waits_for_the_exit_criteria_from_incidents_and_records_transition_days(role_user):
    manager = role_user("itsm_manager")
    handover = HandoverFactory(go_live=days(-20))
    force_state(handover, HandoverState.EARLY_LIFE_SUPPORT, els_started_on=days(-20))
    IncidentFactory(
        project=handover.project, opened_on=days(-10), priority=2
    )  # restarts the clock: ends in 4 days
    IncidentFactory(project=handover.project, opened_on=days(-1), priority=4)  # does not count

    with pytest.raises(TransitionRefused) as refused:
        services.handover_transition(handover=handover, to=HandoverState.CLOSED, by=manager)
    assert f"on {short_date(days(4))} if" in refused.value.detail

    handover.project.incidents.filter(priority=2).update(priority=3)  # re-triaged
    handover = services.handover_transition(handover=handover, to=HandoverState.CLOSED, by=manager)
    assert handover.state == HandoverState.CLOSED
    assert handover.els_ended_on == days(-6)
    assert handover.closed_at is not None
    assert handover.transition_days == 20


def test_opening_logs_who_opened_it_when_someone_did():
    handover = HandoverFactory()
    assert handover.transitions.count() == 0
    handover = services.handover_open(project=ProjectFactory(), by=UserFactory())
    assert handover.transitions.count() == 1


# --- the audit trail and the predicates ------------------------------------------------------


def test_every_move_is_recorded_and_the_record_is_append_only(role_user):
    from itsm_pmo.models import AuditTrailIsAppendOnly

    # given a handover moved to readiness review and sent back with a reason
    lead = role_user("pmo_lead")
    handover = HandoverFactory(go_live=days(30))
    services.handover_transition(handover=handover, to=HandoverState.READINESS_REVIEW, by=lead)
    services.handover_transition(
        handover=handover, to=HandoverState.PLANNING, by=lead, comment="Team not trained yet."
    )
    # then both moves are on the trail, newest first, with who and why
    trail = list(handover.transitions.values_list("from_state", "to_state", "by", "comment"))
    assert trail == [
        ("readiness_review", "planning", lead.pk, "Team not trained yet."),
        ("planning", "readiness_review", lead.pk, ""),
    ]
    # and a recorded move can be neither changed nor deleted
    record = handover.transitions.first()
    record.comment = "Rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        record.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        record.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        HandoverTransition.objects.filter(handover=handover).update(comment="x")


@pytest.mark.parametrize(
    ("role", "plans", "moves", "accepts"),
    [
        ("pmo_lead", True, True, False),
        ("itsm_manager", True, True, True),
        ("engineer", False, False, False),
        ("executive", False, False, False),
    ],
)
def test_predicates_who_plans_moves_and_accepts(role_user, role, plans, moves, accepts):
    from handover.permissions import may_accept, may_move, may_open, may_plan

    user, handover = role_user(role), HandoverFactory()
    assert (may_open(user), may_plan(user, handover)) == (plans, plans)
    assert may_move(user, handover) == moves
    assert may_accept(user, handover) == accepts


def test_predicates_who_updates_and_assigns_a_check(role_user):
    from handover.permissions import may_assign_check, may_update_check

    check = HandoverFactory().checks.first()
    engineer = role_user("engineer")
    assert not may_update_check(engineer, check)
    check.owner = PersonFactory(user=engineer)
    assert may_update_check(engineer, check) and not may_assign_check(engineer, check)
    for role in ("pmo_lead", "itsm_manager"):
        assert may_update_check(role_user(role), check) and may_assign_check(role_user(role), check)
    assert not may_update_check(role_user("executive"), check)


def test_handover_update_is_for_planners_and_keeps_project_and_state(role_user):
    handover = HandoverFactory()
    with pytest.raises(PermissionDenied):
        services.handover_update(
            handover=handover, by=role_user("engineer"), fields={"els_quiet_days": 3}
        )
    with pytest.raises(ValidationError) as refused:
        services.handover_update(
            handover=handover, by=role_user("pmo_lead"), fields={"state": "closed"}
        )
    assert "state" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.handover_update(
            handover=handover, by=role_user("pmo_lead"), fields={"els_max_priority": 9}
        )
    assert "els_max_priority" in refused.value.message_dict
    handover = services.handover_update(
        handover=handover, by=role_user("pmo_lead"), fields={"els_quiet_days": 21}
    )
    handover.refresh_from_db()
    assert handover.els_quiet_days == 21 and handover.state == HandoverState.PLANNING


def test_handover_create_by_hand_is_for_planners(role_user):
    with pytest.raises(PermissionDenied):
        services.handover_create(project=ProjectFactory(), by=role_user("engineer"))
    handover = services.handover_create(
        project=ProjectFactory(), by=role_user("pmo_lead"), new_service_name="Loyalty"
    )
    assert handover.checks.count() == 10 and handover.transitions.count() == 1
