"""The resources services and the predicates they ask: every rule, every branch."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from resources import permissions, selectors, services
from resources.models import Allocation, Conflict, PlanState
from resources.snapshot import compute_and_publish
from tests.factories import MilestoneFactory, PersonFactory, ProjectFactory, TeamFactory

from .factories import AllocationFactory, team_managed_by

pytestmark = pytest.mark.django_db


def fields(person, **extra):
    """What the form and the serializer hand the service for a new allocation."""
    template = AllocationFactory.build(person=person, project=ProjectFactory())
    return {
        "person": person,
        "kind": "project",
        "project": template.project,
        "hours_per_week": Decimal("10"),
        "start_date": template.start_date,
        "end_date": template.end_date,
        "tentative": False,
        "note": "",
        **extra,
    }


@pytest.fixture
def manager(role_user):
    """An engineer named as the manager of a team with one member."""
    user = role_user("engineer")
    team = team_managed_by(user, name="Network")
    return user, PersonFactory(team=team)


# --- predicates ---------------------------------------------------------------------------


def test_predicates_answer_for_each_kind_of_user(role_user, manager):
    # given a PMO lead, a team's manager, an ITSM manager, an executive and a visitor
    engineer, member = manager
    outsider = PersonFactory()
    pmo, itsm, executive = role_user("pmo_lead"), role_user("itsm_manager"), role_user("executive")
    anonymous = AnonymousUser()
    # then each predicate answers as the rules say
    assert permissions.may_plan_for(pmo, outsider) and permissions.may_plan_for(engineer, member)
    assert not permissions.may_plan_for(engineer, outsider)
    assert not permissions.may_plan_for(anonymous, member)
    assert permissions.may_plan_someone(pmo) and permissions.may_plan_someone(engineer)
    assert not permissions.may_plan_someone(itsm) and not permissions.may_plan_someone(anonymous)
    assert not permissions.manages_team(engineer, None)
    allocation = AllocationFactory(person=member)
    assert permissions.may_change_allocation(engineer, allocation)
    assert not permissions.may_change_allocation(itsm, allocation)
    assert permissions.may_acknowledge_conflicts(itsm) and permissions.may_acknowledge_conflicts(
        pmo
    )
    assert not permissions.may_acknowledge_conflicts(engineer)
    assert permissions.may_request_recompute(itsm) and permissions.may_request_recompute(pmo)
    assert not permissions.may_request_recompute(executive)


def test_people_plannable_by_scopes_the_choices(role_user, manager):
    # given a manager's team member, someone else, and someone inactive
    engineer, member = manager
    outsider, gone = PersonFactory(), PersonFactory(active=False)
    # then the choices follow the rule
    assert set(selectors.people_plannable_by(role_user("pmo_lead"))) >= {member, outsider}
    assert gone not in selectors.people_plannable_by(role_user("pmo_lead"))
    assert list(selectors.people_plannable_by(engineer)) == [member]
    assert not selectors.people_plannable_by(role_user("executive")).exists()
    assert not selectors.people_plannable_by(AnonymousUser()).exists()


# --- allocation_save / allocation_delete ---------------------------------------------------


def test_allocation_save_creates_for_who_plans_the_person(role_user, manager):
    # given a team's manager and a PMO lead
    engineer, member = manager
    # when each books time they plan
    mine = services.allocation_save(by=engineer, allocation=None, fields=fields(member))
    anyone = services.allocation_save(
        by=role_user("pmo_lead"), allocation=None, fields=fields(PersonFactory())
    )
    # then both are saved
    assert Allocation.objects.filter(pk__in=[mine.pk, anyone.pk]).count() == 2


def test_allocation_save_refuses_a_person_one_does_not_plan(role_user, manager):
    # given a team's manager and someone outside their team
    engineer, _ = manager
    outsider = PersonFactory()
    # when they book the outsider's time, then it is refused and nothing saved
    with pytest.raises(PermissionDenied):
        services.allocation_save(by=engineer, allocation=None, fields=fields(outsider))
    with pytest.raises(PermissionDenied):
        services.allocation_save(
            by=role_user("itsm_manager"), allocation=None, fields=fields(outsider)
        )
    assert not Allocation.objects.exists()


def test_allocation_save_refuses_moving_work_out_of_or_into_ones_team(manager):
    # given a manager, an allocation of their team and one of another team
    engineer, member = manager
    mine, foreign = AllocationFactory(person=member), AllocationFactory()
    # when they move their member's work to an outsider, or edit the outsider's work
    with pytest.raises(PermissionDenied):
        services.allocation_save(by=engineer, allocation=mine, fields={"person": foreign.person})
    with pytest.raises(PermissionDenied):
        services.allocation_save(by=engineer, allocation=foreign, fields={"person": member})
    # then both stay as they were
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.person == member and foreign.person != member


def test_allocation_save_checks_the_stored_row_not_the_one_in_hand(manager):
    # given a foreign allocation whose in-memory person was changed to the manager's member
    engineer, member = manager
    foreign = AllocationFactory()
    foreign.person = member
    # when saved through the service, then the stored person decides
    with pytest.raises(PermissionDenied):
        services.allocation_save(by=engineer, allocation=foreign, fields={"hours_per_week": 1})


def test_allocation_save_validates_the_booking(role_user):
    # given a PMO lead
    pmo = role_user("pmo_lead")
    person = PersonFactory()
    # then a missing person, an unknown field, mixed kinds and bad hours are refused
    with pytest.raises(ValidationError) as missing:
        services.allocation_save(by=pmo, allocation=None, fields={"hours_per_week": 5})
    assert "person" in missing.value.message_dict
    with pytest.raises(TypeError):
        services.allocation_save(by=pmo, allocation=None, fields={"id": 3})
    with pytest.raises(ValidationError) as mixed:
        services.allocation_save(by=pmo, allocation=None, fields=fields(person, kind="bau"))
    assert "project" in mixed.value.message_dict
    with pytest.raises(ValidationError) as hours:
        services.allocation_save(
            by=pmo, allocation=None, fields=fields(person, hours_per_week=Decimal(0))
        )
    assert "hours_per_week" in hours.value.message_dict
    assert not Allocation.objects.exists()


def test_allocation_save_books_no_new_work_to_inactive_people_or_closed_projects(role_user):
    # given an inactive person and a closed project
    pmo = role_user("pmo_lead")
    gone, closed = PersonFactory(active=False), ProjectFactory(stage="closed")
    # when new work is booked to either, then it is refused
    with pytest.raises(ValidationError) as person:
        services.allocation_save(by=pmo, allocation=None, fields=fields(gone))
    assert "person" in person.value.message_dict
    with pytest.raises(ValidationError) as project:
        services.allocation_save(
            by=pmo, allocation=None, fields=fields(PersonFactory(), project=closed)
        )
    assert "project" in project.value.message_dict
    # but work already booked to them may still be shortened
    old = AllocationFactory(person=gone, project=closed)
    services.allocation_save(by=pmo, allocation=old, fields={"hours_per_week": Decimal(2)})
    old.refresh_from_db()
    assert old.hours_per_week == 2


def test_allocation_delete_only_by_who_plans_the_person(role_user, manager):
    # given a manager, their member's allocation and a foreign one
    engineer, member = manager
    mine, foreign = AllocationFactory(person=member), AllocationFactory()
    # when they remove both, then only their own goes
    with pytest.raises(PermissionDenied):
        services.allocation_delete(by=engineer, allocation=foreign)
    services.allocation_delete(by=engineer, allocation=mine)
    assert list(Allocation.objects.all()) == [foreign]


# --- conflicts and the plan ---------------------------------------------------------------


@pytest.fixture
def conflict(db):
    person = PersonFactory(contracted_hours=Decimal(40))
    AllocationFactory(person=person, hours_per_week=Decimal(50))
    compute_and_publish()
    return Conflict.objects.filter(person=person).first()


def test_conflicts_acknowledge_refuses_before_it_reads_the_comment(role_user, conflict):
    # when an engineer acknowledges (even without a comment), then it is a refusal, not a 400
    with pytest.raises(PermissionDenied):
        services.conflicts_acknowledge(
            conflict_ids=[conflict.pk], by=role_user("engineer"), comment=""
        )
    conflict.refresh_from_db()
    assert conflict.acknowledged_at is None


def test_conflicts_acknowledge_needs_a_reason_and_open_conflicts(role_user, conflict):
    itsm = role_user("itsm_manager")
    for ids, comment, field in [
        ([conflict.pk], " ", "comment"),
        ([], "Covered", "conflicts"),
        ([conflict.pk, 999_999], "Covered", "conflicts"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.conflicts_acknowledge(conflict_ids=ids, by=itsm, comment=comment)
        assert field in refused.value.message_dict
    assert services.conflicts_acknowledge(conflict_ids=[conflict.pk], by=itsm, comment="Ok") == 1


def test_plan_recompute_for_pmo_leads_and_itsm_managers(role_user):
    with pytest.raises(PermissionDenied):
        services.plan_recompute(by=role_user("engineer"))
    assert not PlanState.objects.filter(dirty=True).exists()
    services.plan_recompute(by=role_user("itsm_manager"))
    assert PlanState.objects.get().dirty is True


def test_plan_watch_inputs_follows_a_model_named_by_its_label():
    # given a clean plan (handover.apps names portfolio's milestones "portfolio.Milestone")
    project = ProjectFactory()
    PlanState.objects.update_or_create(pk=1, defaults={"dirty": False})
    # when a milestone is planned
    MilestoneFactory(project=project)
    # then the plan is marked dirty, as for a model named by its class
    assert PlanState.objects.get().dirty is True


def test_may_plan_for_a_team_nobody_manages_is_pmo_leads_only(role_user):
    # given a team nobody manages
    person = PersonFactory(team=TeamFactory())
    # then only the PMO lead plans its people
    assert permissions.may_plan_for(role_user("pmo_lead"), person)
    assert not permissions.may_plan_for(role_user("engineer"), person)
