"""Milestone dates (issue 15): a milestone is completed on or after its project's start and not
in the future (refused by the page, the API and the service alike, on `completed_on`); a due
date far outside the project's dates is saved but warned about, on the page and in the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portfolio import services
from portfolio.models import Milestone
from portfolio.rules import FAR_OUTSIDE, completion_problem, due_date_warning
from tests.factories import MilestoneFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 2), date(2026, 6, 26)


@pytest.fixture
def project():
    return ProjectFactory(start_date=START, end_date=END)


# --- the rules, pure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "refused"),
    [(START - timedelta(days=1), True), (START, False), (START + timedelta(days=9), False)],
)
def test_completion_is_on_or_after_the_start(completed_on, refused):
    assert bool(completion_problem(completed_on, START)) is refused


def test_completion_without_a_start_or_a_day_is_not_checked():
    assert completion_problem(None, START) is None
    assert completion_problem(date(2001, 1, 1), None) is None


@pytest.mark.parametrize(
    ("due", "warned"),
    [
        (START - FAR_OUTSIDE - timedelta(days=1), "before the project starts"),
        (START - FAR_OUTSIDE, None),
        (START + timedelta(days=20), None),
        (END + FAR_OUTSIDE, None),
        (END + FAR_OUTSIDE + timedelta(days=1), "after the project ends"),
    ],
)
def test_a_due_date_far_outside_the_window_warns(due, warned):
    warning = due_date_warning(due, START, END)
    if warned is None:
        assert warning is None
    else:
        assert warned in warning and "31 days" in warning


def test_a_due_date_of_a_project_without_dates_never_warns():
    assert due_date_warning(date(2090, 1, 1), None, None) is None


# --- the doors ------------------------------------------------------------------------------


def test_milestone_page_refuses_completion_before_the_start_on_the_field(page_clients, project):
    client = page_clients("pmo_lead")
    url = f"/portfolio/projects/{project.pk}/milestones/new/"
    body = {"name": "Kick-off", "kind": "start", "due_date": START.isoformat()}
    # when it is said to be done the day before the project started
    refused = client.post(url, {**body, "completed_on": (START - timedelta(days=1)).isoformat()})
    # then the form says so next to the field, and nothing is saved
    assert refused.status_code == 200
    assert (
        "Completed before the project started" in refused.context["form"].errors["completed_on"][0]
    )
    assert not Milestone.objects.exists()
    # on the start day it is taken
    allowed = client.post(url, {**body, "completed_on": START.isoformat()})
    assert allowed.status_code == 302
    assert Milestone.objects.get().completed_on == START


def test_milestone_page_refuses_completion_in_the_future(page_clients, project):
    client = page_clients("pmo_lead")
    url = f"/portfolio/projects/{project.pk}/milestones/new/"
    today = timezone.localdate()
    body = {"name": "Build", "kind": "build", "due_date": END.isoformat()}
    # the date picker stops at today
    assert f'max="{today.isoformat()}"' in client.get(url).content.decode()
    refused = client.post(url, {**body, "completed_on": (today + timedelta(days=1)).isoformat()})
    assert "in the future" in refused.context["form"].errors["completed_on"][0]
    assert not Milestone.objects.exists()
    assert client.post(url, {**body, "completed_on": today.isoformat()}).status_code == 302


def test_milestone_api_refuses_bad_completion_naming_the_field(api_clients, project):
    api = api_clients("pmo_lead")
    today = timezone.localdate()
    body = {"project": project.pk, "name": "Go-live", "kind": "go_live", "due_date": "2026-06-01"}
    for completed_on in (START - timedelta(days=1), today + timedelta(days=1)):
        refused = api.post(
            "/api/portfolio/milestones/",
            {**body, "completed_on": completed_on.isoformat()},
            format="json",
        )
        assert refused.status_code == 400, completed_on
        assert "completed_on" in refused.json()["fields"]
    assert not Milestone.objects.exists()
    made = api.post(
        "/api/portfolio/milestones/", {**body, "completed_on": START.isoformat()}, format="json"
    )
    assert made.status_code == 201


def test_milestone_service_refuses_completion_before_the_start(project):
    pmo = UserFactory(roles=["pmo_lead"])
    with pytest.raises(ValidationError) as refused:
        services.milestone_create(
            project=project,
            by=pmo,
            fields={"name": "Design", "due_date": START, "completed_on": date(2026, 1, 5)},
        )
    assert "completed_on" in refused.value.message_dict


def test_a_far_due_date_is_saved_and_warned_on_the_page(page_clients, project):
    client = page_clients("pmo_lead")
    far = END + timedelta(days=200)
    # when a milestone is planned 200 days after the project ends
    answer = client.post(
        f"/portfolio/projects/{project.pk}/milestones/new/",
        {"name": "Closure", "kind": "close", "due_date": far.isoformat()},
        follow=True,
    )
    # then it is saved, and the page says the date looks wrong, as does the project's plan
    assert Milestone.objects.get().due_date == far
    html = answer.content.decode()
    assert "Closure: Due 200 days after the project ends" in html
    assert 'data-testid="milestone-warning"' in html


def test_the_api_says_a_milestones_warning(api_clients, project):
    far = MilestoneFactory(project=project, due_date=START - timedelta(days=90))
    near = MilestoneFactory(project=project, due_date=START + timedelta(days=7))
    api = api_clients("pmo_lead")
    rows = {
        row["id"]: row["warning"]
        for row in api.get(f"/api/portfolio/milestones/?project={project.pk}").json()["results"]
    }
    assert "90 days before the project starts" in rows[far.pk]
    assert rows[near.pk] is None


def test_date_fields_of_forms_carry_iso_dates_for_the_date_picker(page_clients, project):
    # A locale date (02/03/2026) in <input type="date"> shows an empty field, and saving the
    # form would then clear the date.
    html = page_clients("pmo_lead").get(f"/portfolio/projects/{project.pk}/edit/").content
    assert b'value="2026-03-02"' in html and b'value="2026-06-26"' in html
