"""Lessons captured where work ends: a closed project, a failed change, a closed handover and a
resolved incident each ask for what the next team should know."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes import services as change_services
from changes.models import ChangeRequest, ConfigurationItem
from handover.incidents import services as incident_services
from handover.models import Incident
from tests.factories import ProjectFactory, ServiceFactory, UserFactory
from tests.handover.handover_helpers import HandoverState, days, force_state, open_handover

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db

SOON = timezone.now().replace(microsecond=0) + timedelta(days=4)


def lesson_form(kind: str, pk: int) -> str:
    return f"/knowledge/lessons/new/?{kind}={pk}"


# --- projects ---------------------------------------------------------------------------------


def close_project(client, project, **extra):
    return client.post(f"/portfolio/projects/{project.pk}/transition/", {"to": "closed"}, **extra)


def test_project_closing_from_the_page_asks_for_a_lesson(page_clients):
    # given a project in handover
    project = ProjectFactory(stage="handover", name="Payroll cutover")
    client = page_clients("pmo_lead")
    # when the PMO lead closes it from its page
    response = close_project(client, project)
    # then the lesson form opens for that project, and the move is confirmed
    assert response.status_code == 302
    assert response["Location"] == lesson_form("project", project.pk)
    form = client.get(response["Location"])
    assert form.status_code == 200
    html = form.content.decode()
    assert f"{project.code} moved to Closed." in html
    assert project.code in html and "What should the next project know?" in html


def test_project_closing_by_the_board_stays_json(page_clients):
    # given a project in handover, moved by the board's drag and drop
    project = ProjectFactory(stage="handover")
    # when it asks for JSON
    response = close_project(page_clients("pmo_lead"), project, HTTP_ACCEPT="application/json")
    # then it gets JSON as before, not a redirect
    assert response.status_code == 200 and response.json()["stage"] == "closed"


def test_project_closing_with_a_lesson_already_written_goes_back_to_the_project(page_clients):
    # given a project whose lesson was written before it closed
    project = ProjectFactory(stage="handover")
    LessonFactory(project=project)
    # when it is closed
    response = close_project(page_clients("pmo_lead"), project)
    # then nothing more is asked
    assert response["Location"] == project.get_absolute_url()


def test_project_refused_close_does_not_ask_for_a_lesson(page_clients):
    # given a proposal, which cannot be closed
    project = ProjectFactory(stage="proposed")
    # when closing is attempted
    response = close_project(page_clients("pmo_lead"), project)
    # then the project page answers the refusal (409, in place), not the lesson form
    assert response.status_code == 409 and "Location" not in response
    assert b"A project cannot move from Proposed to Closed." in response.content
    project.refresh_from_db()
    assert project.stage == "proposed"


def test_project_page_prompts_for_a_lesson_once_closed(page_clients):
    # given a closed project with no lesson and one still running
    closed = ProjectFactory(stage="closed")
    running = ProjectFactory(stage="in_flight")
    client = page_clients("executive")
    # when each page is opened
    closed_html = client.get(closed.get_absolute_url()).content.decode()
    running_html = client.get(running.get_absolute_url()).content.decode()
    # then only the closed one asks, with the lesson form for it
    assert "This project is closed. What should the next project know?" in closed_html
    assert f'href="{lesson_form("project", closed.pk)}"' in closed_html
    assert 'data-testid="lesson-prompt"' not in running_html
    assert f'href="{lesson_form("project", running.pk)}"' in running_html  # still writable


def test_project_page_does_not_prompt_when_a_lesson_exists(page_clients):
    # given a closed project with a published lesson
    project = ProjectFactory(stage="closed")
    LessonFactory(published=True, project=project, title="Start the data migration earlier")
    # when it is opened
    html = page_clients("executive").get(project.get_absolute_url()).content.decode()
    # then the lesson is listed instead of the prompt
    assert 'data-testid="lesson-prompt"' not in html
    assert "Start the data migration earlier" in html


# --- changes ------------------------------------------------------------------------------------


def implemented_change(title="Upgrade payroll database") -> ChangeRequest:
    requester = UserFactory(roles=["engineer"])
    item = ConfigurationItem.objects.create(name=f"ci-{title}", service=ServiceFactory())
    change = change_services.change_create(
        requester=requester,
        title=title,
        items=[item],
        backout_plan="Restore the snapshot",
        planned_start=SOON,
        planned_end=SOON + timedelta(hours=1),
    )
    ChangeRequest.objects.filter(pk=change.pk).update(state="implement")
    change.refresh_from_db()
    return change


def review(client, change, outcome):
    return client.post(
        f"/changes/{change.pk}/review/",
        {"outcome": outcome, "incidents_caused": 1, "notes": "Timed out"},
    )


@pytest.mark.parametrize("outcome", ["failed", "backed_out"])
def test_change_review_that_went_wrong_asks_for_a_lesson(page_clients, outcome):
    # given an implemented change
    change = implemented_change()
    client = page_clients("itsm_manager")
    # when its review says it went wrong
    response = review(client, change, outcome)
    # then the lesson form opens for the change, after saying the review is recorded
    assert response["Location"] == lesson_form("change", change.pk)
    html = client.get(response["Location"]).content.decode()
    assert f"Review of {change.number} recorded." in html
    assert change.number in html


def test_change_review_that_went_well_goes_back_to_the_change(page_clients):
    change = implemented_change()
    response = review(page_clients("itsm_manager"), change, "successful")
    assert response["Location"] == change.get_absolute_url()


def test_change_page_prompts_for_a_backed_out_change_only(page_clients):
    # given a backed-out change and a successful one
    backed_out, fine = implemented_change("Backed out one"), implemented_change("Fine one")
    ChangeRequest.objects.filter(pk=backed_out.pk).update(outcome="backed_out")
    ChangeRequest.objects.filter(pk=fine.pk).update(outcome="successful")
    client = page_clients("itsm_manager")
    # when each page is opened
    backed_html = client.get(backed_out.get_absolute_url()).content.decode()
    fine_html = client.get(fine.get_absolute_url()).content.decode()
    # then only the backed-out one asks what the next change should do differently
    assert "This change was backed out. What should the next change do differently?" in backed_html
    assert f'href="{lesson_form("change", backed_out.pk)}"' in backed_html
    assert 'data-testid="lesson-prompt"' not in fine_html


def test_change_page_stops_prompting_once_a_lesson_is_written(page_clients):
    change = implemented_change()
    ChangeRequest.objects.filter(pk=change.pk).update(outcome="failed")
    LessonFactory(change=change)  # a draft is enough: someone is on it
    html = page_clients("itsm_manager").get(change.get_absolute_url()).content.decode()
    assert 'data-testid="lesson-prompt"' not in html


# --- handovers ----------------------------------------------------------------------------------


def quiet_handover():
    """A handover in early-life support long enough without incidents to be closed."""
    handover = open_handover(go_live=days(-40))
    return force_state(handover, HandoverState.EARLY_LIFE_SUPPORT, els_started_on=days(-40))


def test_handover_closing_asks_what_operations_learnt(page_clients):
    # given a handover whose early-life support is over
    handover = quiet_handover()
    client = page_clients("itsm_manager")
    # when the ITSM manager closes it
    response = client.post(f"/handover/{handover.pk}/transition/", {"to": "closed"})
    # then the lesson form opens for the handover
    assert response["Location"] == lesson_form("handover", handover.pk)
    handover.refresh_from_db()
    assert handover.state == HandoverState.CLOSED


def test_handover_other_moves_go_back_to_the_handover(page_clients):
    # given a handover in planning
    handover = open_handover(go_live=days(30))
    # when it moves on, but not to closed
    response = page_clients("itsm_manager").post(
        f"/handover/{handover.pk}/transition/", {"to": "readiness_review"}
    )
    # then it stays on the handover page
    assert response["Location"] == handover.get_absolute_url()


def test_handover_page_prompt_when_closed_hint_in_els_nothing_in_planning(page_clients):
    # given a closed handover, one in early-life support and one still planning
    closed = force_state(open_handover(), HandoverState.CLOSED)
    els = quiet_handover()
    planning = open_handover()
    client = page_clients("itsm_manager")
    # when each page is opened
    html = {
        h.state: client.get(h.get_absolute_url()).content.decode() for h in (closed, els, planning)
    }
    # then closed asks in earnest, early-life support hints, planning is quiet
    assert "What did operations learn from this handover?" in html["closed"]
    assert 'class="card mb-3 border-warning" data-testid="lesson-prompt"' in html["closed"]
    assert "What did operations learn from this handover?" in html["early_life_support"]
    assert 'class="alert alert-info' in html["early_life_support"]
    assert 'data-testid="lesson-prompt"' not in html["planning"]
    assert f'href="{lesson_form("handover", closed.pk)}"' in html["closed"]


# --- incidents ----------------------------------------------------------------------------------


def an_incident(state: str) -> Incident:
    incident = incident_services.incident_log(
        reporter=UserFactory(roles=["engineer"]),
        service=ServiceFactory(),
        title="Payroll API timeouts",
        impact=2,
        urgency=2,
    )
    Incident.objects.filter(pk=incident.pk).update(state=state)  # the workflow is tested apart
    incident.refresh_from_db()
    return incident


@pytest.mark.parametrize(
    ("state", "offered"), [("in_progress", False), ("resolved", True), ("closed", True)]
)
def test_incident_page_offers_the_known_error_once_resolved(page_clients, state, offered):
    # given an incident in `state`
    incident = an_incident(state)
    # when an engineer opens it
    html = page_clients("engineer").get(incident.get_absolute_url()).content.decode()
    # then "Publish as known error" is there only once it is resolved
    known_error = f'href="/knowledge/articles/new/?incident={incident.pk}"'
    assert (known_error in html) is offered
    assert ("Publish as known error" in html) is offered
    assert f'href="{lesson_form("incident", incident.pk)}"' in html


def test_incident_page_lists_the_articles_written_from_it(page_clients):
    # given a resolved incident with a published known error and someone else's draft
    incident = an_incident("resolved")
    ArticleFactory(
        published=True,
        incident=incident,
        kind="known_error",
        title="Payroll API times out under month-end load",
    )
    ArticleFactory(incident=incident, title="Half-done draft", owner=UserFactory())
    ArticleFactory(published=True, title="Unrelated runbook")
    # when an engineer opens it
    html = page_clients("engineer").get(incident.get_absolute_url()).content.decode()
    # then the published known error is listed, not the draft or the unrelated article
    assert "Payroll API times out under month-end load" in html
    assert "Half-done draft" not in html and "Unrelated runbook" not in html
