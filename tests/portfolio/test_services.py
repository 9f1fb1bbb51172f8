"""The portfolio's services called directly, as a script or an admin action would: the refusals
that the doors' own validation usually catches first."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portfolio import services
from portfolio.models import Criterion, Milestone, Project, ProjectObjective
from portfolio.rules import ObjectiveLink
from tests.factories import (
    CriterionFactory,
    MilestoneFactory,
    ObjectiveFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_services_project_fields_are_only_the_editable_ones(role_user):
    # given
    project = ProjectFactory()
    # when the stage is given as a field, then it is refused: stages move by transitions
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            project=project, by=role_user("pmo_lead"), fields={"stage": "closed"}
        )
    assert "stage" in refused.value.message_dict
    project.refresh_from_db()
    assert project.stage == "proposed"


def test_services_project_update_changes_a_percentage_and_drops_an_unlisted_link(role_user):
    # given a project serving two objectives
    a, b = ObjectiveFactory(), ObjectiveFactory()
    project = ProjectFactory()
    ProjectObjective.objects.create(project=project, objective=a, contribution=50)
    ProjectObjective.objects.create(project=project, objective=b, contribution=50)
    # when only one is listed, at another percentage
    services.project_update(
        project=project, by=role_user("pmo_lead"), fields={}, objectives=[ObjectiveLink(a, 70)]
    )
    # then
    assert dict(project.objective_links.values_list("objective_id", "contribution")) == {a.pk: 70}


def test_services_project_create_is_all_or_nothing(role_user):
    # given a retired objective
    retired = ObjectiveFactory(active=False)
    # when a proposal names it, then nothing is created
    with pytest.raises(ValidationError):
        services.project_create(
            by=role_user("pmo_lead"),
            fields={"code": "P-1", "name": "x"},
            objectives=[ObjectiveLink(retired, 10)],
        )
    assert not Project.objects.exists()


@pytest.mark.parametrize("value", [0, 6, True, "4"])
def test_services_score_is_a_whole_number_from_1_to_5(role_user, value):
    criterion = CriterionFactory()
    with pytest.raises(ValidationError):
        services.score_set(
            project=ProjectFactory(), criterion=criterion, value=value, by=role_user("pmo_lead")
        )


def test_services_score_clear_needs_the_scorer(role_user):
    with pytest.raises(PermissionDenied):
        services.score_clear(
            project=ProjectFactory(), criterion=CriterionFactory(), by=role_user("executive")
        )


def test_services_plan_rows_take_only_their_own_fields(role_user):
    milestone = MilestoneFactory(name="Build")
    with pytest.raises(ValidationError):
        services.milestone_update(
            milestone=milestone, by=role_user("pmo_lead"), fields={"project": ProjectFactory()}
        )
    assert Milestone.objects.get().name == "Build"


def test_services_reweight_refuses_negative_unknown_and_all_zero(role_user):
    # given two criteria
    one, two = CriterionFactory(weight=1), CriterionFactory(weight=1)
    lead = role_user("pmo_lead")
    # when / then
    with pytest.raises(ValidationError, match="negative"):
        services.criteria_reweight(by=lead, weights={one.pk: Decimal("-1")})
    with pytest.raises(ValidationError, match="Unknown criteria"):
        services.criteria_reweight(by=lead, weights={999: Decimal("1")})
    with pytest.raises(ValidationError, match="above 0"):
        services.criteria_reweight(by=lead, weights={one.pk: Decimal(0), two.pk: Decimal(0)})
    assert list(Criterion.objects.values_list("weight", flat=True)) == [1, 1]
    with pytest.raises(PermissionDenied):
        services.criteria_reweight(by=role_user("executive"), weights={one.pk: Decimal(2)})


def test_services_criterion_fields_are_only_its_own(role_user):
    with pytest.raises(ValidationError):
        services.criterion_create(by=role_user("pmo_lead"), fields={"name": "X", "scores": []})
    assert not Criterion.objects.exists()
