"""What a lesson or article written at the end of a piece of work starts with."""

import pytest

from changes import services as change_services
from changes.choices import Outcome
from handover.incidents.services import incident_log
from handover.services import handover_open
from knowledge import prefill
from knowledge.choices import ArticleKind, LessonCategory
from portfolio.choices import Stage
from tests.factories import ProjectFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def a_change(outcome=""):
    change = change_services.change_create(
        requester=UserFactory(roles=["engineer"]), title="Upgrade the LB"
    )
    change.outcome = outcome
    change.save()
    return change


def test_lesson_initial_from_a_project_names_it_and_asks_by_stage():
    # given
    service = ServiceFactory()
    closed = ProjectFactory(code="PRJ-042", name="CRM migration", stage=Stage.CLOSED)
    closed.services.set([service])
    running = ProjectFactory(stage=Stage.IN_FLIGHT)
    # when
    initial = prefill.lesson_initial("project", closed)
    # then
    assert initial["project"] == initial["source"] == closed
    assert initial["title"] == "Lesson from PRJ-042: CRM migration"
    assert (initial["category"], initial["service"]) == (LessonCategory.SCHEDULING, service.pk)
    assert initial["prompt"] == "The project is closed. What should the next project know?"
    assert "closed" not in prefill.lesson_initial("project", running)["prompt"]


@pytest.mark.parametrize(
    ("outcome", "prompt"),
    [
        (Outcome.FAILED, "This change failed. What should the next change do differently?"),
        (
            Outcome.BACKED_OUT,
            "This change was backed out. What should the next change do differently?",
        ),
        (Outcome.SUCCESSFUL, "What should the next change on this service know?"),
    ],
)
def test_lesson_initial_from_a_change_asks_by_outcome(outcome, prompt):
    # given
    change = a_change(outcome)
    # when
    initial = prefill.lesson_initial("change", change)
    # then
    assert initial["prompt"] == prompt
    assert initial["title"] == f"Lesson from {change.number}: Upgrade the LB"
    assert initial["category"] == LessonCategory.CHANGE


def test_lesson_initial_from_an_incident_and_a_handover():
    # given
    service = ServiceFactory()
    incident = incident_log(
        reporter=UserFactory(roles=["engineer"]), title="DNS outage", service=service
    )
    project = ProjectFactory(code="PRJ-7", name="Portal")
    handover = handover_open(project=project)
    # when
    from_incident = prefill.lesson_initial("incident", incident)
    from_handover = prefill.lesson_initial("handover", handover)
    # then
    assert from_incident["prompt"] == "What should we learn from this incident?"
    assert (from_incident["service"], from_incident["category"]) == (
        service.pk,
        LessonCategory.TECHNICAL,
    )
    assert from_handover["prompt"] == "What did operations learn from this handover?"
    assert from_handover["title"] == "Lesson from the handover of PRJ-7: Portal"
    assert from_handover["category"] == LessonCategory.HANDOVER


@pytest.mark.parametrize(
    ("query", "found", "error"),
    [
        ({}, False, ""),
        ({"change": "abc"}, False, "There is no change abc that you can see"),
        ({"change": "99999"}, False, "There is no change 99999 that you can see"),
    ],
)
def test_source_from_query_without_a_known_source(role_user, query, found, error):
    # when
    kind, source, message = prefill.source_from_query(query, role_user("pmo_lead"))
    # then
    assert (source is not None) is found
    assert message.startswith(error)


def test_source_from_query_finds_any_project_and_says_when_there_is_none(role_user):
    # given: every role reads every project
    project = ProjectFactory()
    # when
    lead = prefill.source_from_query({"project": str(project.pk)}, role_user("pmo_lead"))
    engineer = prefill.source_from_query({"project": str(project.pk)}, role_user("engineer"))
    missing = prefill.source_from_query({"project": "999999"}, role_user("engineer"))
    # then
    assert lead == engineer == ("project", project, "")
    assert missing[1] is None and "no project" in missing[2]


def test_article_initial_from_incident_drafts_a_known_error():
    # given
    incident = incident_log(
        reporter=UserFactory(roles=["engineer"]),
        title="Checkout slow",
        service=ServiceFactory(),
        description="",
        resolution_notes="Flush the cache.",
    )
    # when
    initial = prefill.article_initial_from_incident(incident)
    # then
    assert initial["kind"] == ArticleKind.KNOWN_ERROR and initial["incident"] == incident
    assert initial["title"] == "Known error: Checkout slow"
    assert "## Symptoms\n\n_What users saw._" in initial["body"]
    assert "## Workaround\n\nFlush the cache." in initial["body"]
