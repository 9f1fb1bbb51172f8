"""The knowledge family's drill-downs: each metric's link, followed as a PMO lead, lands on
the lesson list (the page and the API list, which share the FilterSet) whose count is the
number. The data set is made by hand; the expected numbers are worked out in the comments.

A lesson captured is counted when it is published (a draft is not knowledge yet, and only
its author and the publishers read it): the drill says `state=published`, so every role's
list holds the number. A list reached by a range of days without a state lists every state
its reader may read (without one it lists the published only, as before).

The period is Q1 2026; local time (the portal's time zone) throughout."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import knowledge_metrics, lessons_by_quarter
from itsm_pmo.dashboard.period import Period, Scope
from knowledge.models import Lesson, LessonApplication
from tests.factories import (
    ObjectiveFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ServiceFactory,
    UserFactory,
)
from tests.knowledge.factories import LessonFactory
from tests.support.queries import assert_constant_queries

from .drill import api_count, page_count

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
API = "/api/knowledge/lessons/"


@pytest.fixture(autouse=True)
def _rendered_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # each GET renders its list (and its context)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def lesson(title: str, created: datetime, state: str = "published", **fields) -> Lesson:
    made = LessonFactory(title=title, state=state, **fields)
    Lesson.objects.filter(pk=made.pk).update(created_at=created)
    return made


def applied(made: Lesson, moment: datetime, context: str = "project:1") -> None:
    mark = LessonApplication.objects.create(lesson=made, by=UserFactory(), context=context)
    LessonApplication.objects.filter(pk=mark.pk).update(applied_at=moment)


@pytest.fixture
def data_set():
    old = lesson("old", at(date(2025, 11, 3)))
    a = lesson("a", at(date(2026, 1, 1), 0, 0))  # the period's first moment
    lesson("b", at(date(2026, 2, 10)), "draft")
    lesson("d", at(date(2026, 3, 31), 23, 59), "archived")  # its last minute
    e = lesson("e", at(date(2026, 4, 1), 0, 0))  # the next period's first moment
    applied(a, at(date(2026, 1, 5)), "project:1")
    applied(a, at(date(2026, 3, 1)), "change:2")
    applied(old, at(date(2026, 2, 1)))
    applied(old, at(date(2025, 12, 1)))
    applied(e, at(date(2026, 4, 2)))


@pytest.fixture
def pmo_lead(page_clients):
    return page_clients("pmo_lead")


@pytest.fixture
def pmo_api(api_clients):
    return api_clients("pmo_lead")


def by_key(period: Period) -> dict:
    return {metric.key: metric for metric in knowledge_metrics(period)}


def titles(client, params: dict) -> list[str]:
    response = client.get("/knowledge/", params)
    assert response.status_code == 200
    return sorted(x.title for x in response.context["paginator"].object_list)


def test_lessons_captured_drills_to_the_published_lessons_recorded_in_the_period(
    data_set, pmo_lead, pmo_api, page_clients
):
    # a (1 January 00:00, published) → 1; b (draft) and d (archived, 31 March 23:59) are
    # not published; old was recorded in November, e on 1 April at 00:00.
    metric = by_key(Q1)["lessons_captured"]
    assert metric.value == 1
    assert page_count(pmo_lead, metric.drill) == 1
    assert page_count(page_clients("executive"), metric.drill) == 1  # reads no draft
    assert api_count(pmo_api, API, metric.drill) == 1
    assert titles(pmo_lead, metric.drill.params) == ["a"]
    # Every state recorded in the period, for a reader of drafts:
    unpublished = {k: v for k, v in metric.drill.params.items() if k != "state"}
    assert titles(pmo_lead, unpublished) == ["a", "b", "d"]
    # A state chosen still narrows; without a range of days the list is the published only.
    assert titles(pmo_lead, {**metric.drill.params, "state": "draft"}) == ["b"]
    assert titles(pmo_lead, {}) == ["a", "e", "old"]


def test_lessons_applied_drills_to_each_lesson_marked_applied_once(data_set, pmo_lead, pmo_api):
    # a (marked twice in Q1: one row) and old (1 February; its December mark is before) → 2;
    # e was marked on 2 April.
    metric = by_key(Q1)["lessons_applied"]
    assert metric.value == 2
    assert page_count(pmo_lead, metric.drill) == 2
    assert api_count(pmo_api, API, metric.drill) == 2
    assert titles(pmo_lead, metric.drill.params) == ["a", "old"]
    # Both ends hold for the same mark: a's two marks, 5 January and 1 March, do not make a
    # mark between 10 January and 20 February.
    assert titles(pmo_lead, {"applied_after": "2026-01-10", "applied_before": "2026-02-20"}) == [
        "old"
    ]


@pytest.fixture
def scoped():
    """Lessons of Q1 in and out of the scope (objective O, service S), each marked applied."""
    objective, service = ObjectiveFactory(name="Grow online sales"), ServiceFactory()
    aligned, other = ProjectFactory(), ProjectFactory()
    ProjectObjectiveFactory(project=aligned, objective=objective)
    for title, project, on, state in [
        ("in", aligned, service, "published"),
        ("in, draft", aligned, service, "draft"),
        ("aligned, other service", aligned, ServiceFactory(), "published"),
        ("on S, other project", other, service, "published"),
        ("on S, no project", None, service, "published"),
    ]:
        made = lesson(title, at(date(2026, 2, 1)), state, project=project, service=on)
        if state == "published":
            applied(made, at(date(2026, 2, 5)))
    return Scope(objective=objective.pk, service=service.pk)


def test_the_knowledge_metrics_narrowed_to_an_objective_and_a_service_drill_to_as_many(
    scoped, pmo_lead, pmo_api
):
    # In scope: "in" captured and published (1; "in, draft" is a draft); "in" marked
    # applied (1).
    period = Period(Q1.start, Q1.end, scoped)
    metrics = by_key(period)
    assert (metrics["lessons_captured"].value, metrics["lessons_applied"].value) == (1, 1)
    for metric in metrics.values():
        assert page_count(pmo_lead, metric.drill) == metric.value
        assert api_count(pmo_api, API, metric.drill) == metric.value
    assert titles(pmo_lead, metrics["lessons_captured"].drill.params) == ["in"]
    # The chart's quarter, in the same scope, counts the same.
    assert lessons_by_quarter(period) == [(date(2026, 1, 1), 1, 1)]
    # Each scope filter alone keeps its own rows (published only: no range of days).
    assert titles(pmo_lead, {"objective": scoped.objective}) == ["aligned, other service", "in"]
    assert titles(pmo_lead, {"service": scoped.service}) == [
        "in",
        "on S, no project",
        "on S, other project",
    ]


def test_the_lesson_list_says_which_drill_filters_are_on(scoped, pmo_lead):
    drill = by_key(Period(Q1.start, Q1.end, Scope(objective=scoped.objective)))[
        "lessons_captured"
    ].drill
    html = pmo_lead.get(drill.url).content.decode()
    assert (
        "Filtered by <strong>Captured 1 Jan – 31 Mar 2026 · Objective: Grow online sales</strong>"
    ) in html
    # Clear keeps the bar's own filter (the state).
    assert 'href="?state=published" class="ms-2" data-testid="drill-clear"' in html
    # Kept as hidden fields when the visible filters change.
    assert 'type="hidden" name="created_after" value="2026-01-01"' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [({"created_after": "soon"}, "created_after"), ({"objective": "999999"}, "objective")],
)
def test_a_drill_filter_it_cannot_read_is_an_error_on_the_page_and_a_400_in_the_api(
    data_set, pmo_lead, pmo_api, params, field
):
    response = pmo_lead.get("/knowledge/", params)
    assert response.status_code == 200
    assert "Some filters were ignored" in response.content.decode()
    assert titles(pmo_lead, params) == ["a", "e", "old"]  # the published, as unfiltered
    answer = pmo_api.get(API, params)
    assert answer.status_code == 400
    assert field in answer.json()["fields"]


def test_the_drilled_lesson_list_reads_as_many_queries_as_the_plain_list(data_set, pmo_lead):
    url = by_key(Q1)["lessons_applied"].drill.url

    def grow():
        for n in range(12):
            applied(lesson(f"g{n}", at(date(2026, 2, 1))), at(date(2026, 2, 2)))

    plain = assert_constant_queries(lambda: pmo_lead.get("/knowledge/"), lambda: None)
    assert_constant_queries(lambda: pmo_lead.get(url), grow, expected=plain)
