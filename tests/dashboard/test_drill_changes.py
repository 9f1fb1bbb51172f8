"""The change family's drill-downs: each metric's link, followed as an executive, lands on a
change list (the page and the API list, which share the FilterSet) whose count is the number
(for a rate: the denominator, and with the extra filter the numerator). The data set is made
by hand; the expected numbers are worked out in the comments.

The period is Q1 2026; local time (the portal's time zone) throughout."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from changes.models import Approval, ChangeRequest, ChangeTransition, PostImplementationReview
from itsm_pmo.dashboard.metrics import change_metrics
from itsm_pmo.dashboard.period import Period, Scope
from tests.changes.factories import ConfigurationItemFactory
from tests.factories import (
    ObjectiveFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ServiceFactory,
    UserFactory,
)
from tests.handover.factories import IncidentFactory
from tests.support.queries import assert_constant_queries

from .drill import api_count, page_count

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
API = "/api/changes/changes/"


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def change(title: str, raised: datetime, kind: str = "normal", **review) -> ChangeRequest:
    """A change raised at `raised`; with `outcome=`, reviewed at `reviewed` (a moment)."""
    requester = UserFactory()
    made = ChangeRequest.objects.create(
        title=title,
        requester=requester,
        change_type=kind,
        backout_plan="Roll back",
        project=review.pop("project", None),
    )
    ChangeRequest.objects.filter(pk=made.pk).update(created_at=raised)
    if review:
        reviewed = review.pop("reviewed")
        pir = PostImplementationReview.objects.create(change=made, reviewed_by=requester, **review)
        PostImplementationReview.objects.filter(pk=pir.pk).update(reviewed_at=reviewed)
    return made


def implemented(made: ChangeRequest, moment: datetime) -> None:
    ChangeTransition.objects.create(
        change=made, from_state="implement", to_state="review", at=moment
    )


def decided(made: ChangeRequest, moment: datetime, decision: str = "reject", round=1) -> None:
    approval = Approval.objects.create(
        change=made, approver=UserFactory(), decision=decision, comment="-", round=round
    )
    Approval.objects.filter(pk=approval.pk).update(decided_at=moment)


@pytest.fixture(autouse=True)
def _rendered_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # each GET renders its list (and its context)


@pytest.fixture
def data_set():
    c1 = change("c1", at(date(2026, 1, 1)), outcome="successful", reviewed=at(date(2026, 1, 20)))
    c2 = change("c2", at(date(2026, 1, 5)), outcome="successful", reviewed=at(date(2026, 2, 1)))
    c3 = change(
        "c3", at(date(2026, 2, 1)), outcome="successful_with_issues", reviewed=at(date(2026, 2, 10))
    )
    # Reviewed in the period's last minute (in), and c7 at the next period's first (out).
    c4 = change(
        "c4",
        at(date(2026, 2, 2)),
        "emergency",
        outcome="failed",
        reviewed=at(date(2026, 3, 31), 23, 59),
    )
    c5 = change("c5", at(date(2026, 3, 1)), outcome="backed_out", reviewed=at(date(2026, 3, 2)))
    change("c6", at(date(2025, 11, 1)), outcome="successful", reviewed=at(date(2025, 12, 1)))
    c7 = change(
        "c7", at(date(2026, 3, 10)), "emergency", outcome="failed", reviewed=at(date(2026, 4, 1), 0)
    )
    # Raised at the period's first moment; successful, but its review counts an incident.
    change(
        "c8",
        at(date(2026, 1, 1), 0, 0),
        outcome="successful",
        reviewed=at(date(2026, 1, 15)),
        incidents_caused=1,
    )
    IncidentFactory(caused_by_change=c2, priority=3)
    IncidentFactory(caused_by_change=c4, priority=1)
    # c1 implemented 10 days after it was raised, c3 3 days after; c3's second move into
    # review is not its first; c7's is after the period.
    implemented(c1, at(date(2026, 1, 11)))
    implemented(c3, at(date(2026, 2, 4)))
    implemented(c3, at(date(2026, 3, 20)))
    implemented(c7, at(date(2026, 4, 2)))
    # c4 refused twice in Q1 (one change); c5 refused on New Year's Eve (before) and approved
    # in Q1 (an approval is no refusal).
    decided(c4, at(date(2026, 1, 10)), round=1)
    decided(c4, at(date(2026, 1, 12)), round=2)
    decided(c5, at(date(2025, 12, 31), 23, 30))
    decided(c5, at(date(2026, 1, 3)), "approve", round=2)


@pytest.fixture
def executive(page_clients):
    return page_clients("executive")


@pytest.fixture
def executive_api(api_clients):
    return api_clients("executive")


def by_key(period: Period) -> dict:
    return {metric.key: metric for metric in change_metrics(period)}


def titles(client, params: dict) -> list[str]:
    response = client.get("/changes/", params)
    assert response.status_code == 200
    return sorted(c.title for c in response.context["paginator"].object_list)


def test_success_rate_drills_to_the_successful_of_the_reviewed(data_set, executive, executive_api):
    # Reviewed in Q1: c1, c2, c3, c4 (23:59 on 31 March), c5, c8 → 6; successful c1, c2,
    # c8 → 3: 50 %. c6 (December) and c7 (1 April 00:00) are outside.
    metric = by_key(Q1)["success_rate"]
    assert metric.value == 50.0
    assert page_count(executive, metric.drill) == 3
    assert page_count(executive, metric.drill, without=("outcome",)) == 6
    assert api_count(executive_api, API, metric.drill) == 3
    assert api_count(executive_api, API, metric.drill, without=("outcome",)) == 6
    assert titles(executive, metric.drill.params) == ["c1", "c2", "c8"]


def test_failure_rate_drills_to_the_failed_backed_out_and_those_that_caused_an_incident(
    data_set, executive, executive_api
):
    # c2 (an incident linked), c4 failed, c5 backed out, c8 (its review counts one) → 4 of
    # 6 reviewed: 66.7 %. c1 and c3 went well.
    metric = by_key(Q1)["failure_rate"]
    assert metric.value == 66.7
    assert page_count(executive, metric.drill) == 4
    assert page_count(executive, metric.drill, without=("failed",)) == 6
    assert api_count(executive_api, API, metric.drill) == 4
    assert titles(executive, metric.drill.params) == ["c2", "c4", "c5", "c8"]
    # `failed=0`: the reviewed that neither failed nor caused an incident.
    assert titles(executive, {**metric.drill.params, "failed": "0"}) == ["c1", "c3"]


def test_emergency_share_drills_to_the_emergencies_of_the_raised(
    data_set, executive, executive_api
):
    # Raised in Q1: c1, c2, c3, c4, c5, c7 and c8 (at 00:00 on 1 January) → 7; emergency
    # c4 and c7 → 2: 28.6 %. c6 was raised in November.
    metric = by_key(Q1)["emergency_share"]
    assert metric.value == 28.6
    assert page_count(executive, metric.drill) == 2
    assert page_count(executive, metric.drill, without=("change_type",)) == 7
    assert api_count(executive_api, API, metric.drill, without=("change_type",)) == 7
    assert titles(executive, metric.drill.params) == ["c4", "c7"]


def test_lead_time_drills_to_the_changes_it_averages(data_set, executive, executive_api):
    # First moves into review in Q1: c1 (10 days), c3 (3 days; its second move, 20 March, is
    # not its first) → (10 + 3) / 2 = 6.5 over 2 changes; c7 moved in April.
    metric = by_key(Q1)["lead_time"]
    assert metric.value == 6.5
    assert page_count(executive, metric.drill) == 2
    assert api_count(executive_api, API, metric.drill) == 2
    assert titles(executive, metric.drill.params) == ["c1", "c3"]
    # A range that holds only c3's second move does not list it: only the first counts.
    assert titles(executive, {"implemented_after": "2026-03-01"}) == ["c7"]


def test_refused_drills_to_the_changes_the_cab_rejected(data_set, executive, executive_api):
    # c4, rejected twice in Q1 → 1 change (one row). c5's refusal was on 31 December, its
    # approval in Q1 is no refusal.
    metric = by_key(Q1)["refused"]
    assert metric.value == 1
    assert page_count(executive, metric.drill) == 1
    assert api_count(executive_api, API, metric.drill) == 1
    assert titles(executive, metric.drill.params) == ["c4"]
    assert titles(executive, {"refused_before": "2025-12-31"}) == ["c5"]


def test_success_score_drills_to_the_reviews_it_weighs(data_set, executive, executive_api):
    # Outcomes: 3 successful × 3 − 2 (c3) − 5 × 2 (c4, c5) = −3; incidents of changes
    # reviewed in Q1: c2's P3 −2, c4's P1 −10 → −15, over the 6 changes reviewed.
    metric = by_key(Q1)["score"]
    assert metric.value == -15
    assert page_count(executive, metric.drill) == 6
    assert api_count(executive_api, API, metric.drill) == 6


@pytest.fixture
def scoped():
    """Changes in and out of the scope (objective O, service S), all reviewed, raised,
    implemented and refused in Q1."""
    objective, service = ObjectiveFactory(name="Grow online sales"), ServiceFactory()
    aligned, other = ProjectFactory(), ProjectFactory()
    ProjectObjectiveFactory(project=aligned, objective=objective)
    ProjectObjectiveFactory(project=other)  # aligned with another objective
    on_s = [ConfigurationItemFactory(service=service) for _ in range(2)]
    elsewhere = ConfigurationItemFactory()

    def made(title, items, project, outcome, kind="normal"):
        c = change(
            title,
            at(date(2026, 1, 5)),
            kind,
            project=project,
            outcome=outcome,
            reviewed=at(date(2026, 2, 1)),
        )
        c.items.set(items)
        implemented(c, at(date(2026, 1, 20)))
        decided(c, at(date(2026, 1, 10)))
        return c

    made("in, two items on S", on_s, aligned, "successful")  # listed once, not twice
    made("in, emergency", on_s[:1], aligned, "backed_out", "emergency")
    made("aligned, not on S", [elsewhere], aligned, "failed")
    made("on S, not aligned", on_s[:1], other, "failed")
    made("on S, no project", on_s[:1], None, "failed")
    return Scope(objective=objective.pk, service=service.pk)


def test_each_change_metric_narrowed_to_an_objective_and_a_service_drills_to_as_many(
    scoped, executive, executive_api
):
    # In scope: "in, two items on S" (successful) and "in, emergency" (backed out). Success
    # 1 / 2 = 50 %, failure 1 / 2 = 50 %, emergency 1 / 2 raised = 50 %, lead time over 2
    # implemented, 2 refused, score 3 − 5 = −2 over 2 reviewed.
    metrics = by_key(Period(Q1.start, Q1.end, scoped))
    values = {key: metrics[key].value for key in metrics}
    assert values == {
        "success_rate": 50.0,
        "failure_rate": 50.0,
        "emergency_share": 50.0,
        "lead_time": 15.0,
        "refused": 2,
        "score": -2,
    }
    extra = {"success_rate": "outcome", "failure_rate": "failed", "emergency_share": "change_type"}
    for key, metric in metrics.items():
        assert metric.drill.params["objective"] == str(scoped.objective)
        assert metric.drill.params["service"] == str(scoped.service)
        whole = page_count(executive, metric.drill, without=(extra.get(key, ""),))
        assert whole == 2, key
        assert api_count(executive_api, API, metric.drill, without=(extra.get(key, ""),)) == 2
        if key in extra:
            assert page_count(executive, metric.drill) == 1, key
    assert titles(executive, scoped.params()) == ["in, emergency", "in, two items on S"]


def test_each_scope_filter_alone_keeps_its_own_rows(scoped, executive):
    assert titles(executive, {"objective": scoped.objective}) == [
        "aligned, not on S",
        "in, emergency",
        "in, two items on S",
    ]
    assert titles(executive, {"service": scoped.service}) == [
        "in, emergency",
        "in, two items on S",
        "on S, no project",
        "on S, not aligned",
    ]


def test_the_list_says_which_drill_filters_are_on_and_keeps_them_out_of_the_bar(
    data_set, executive
):
    # given the failure rate's link, narrowed to an objective
    objective = ObjectiveFactory(name="Grow online sales")
    period = Period(Q1.start, Q1.end, Scope(objective=objective.pk))
    drill = by_key(period)["failure_rate"].drill
    html = executive.get(drill.url).content.decode()
    # then a line says them in words, with a link that clears them
    assert (
        "Filtered by <strong>Reviewed 1 Jan – 31 Mar 2026 · Objective: Grow online sales · "
        "Failed or caused an incident</strong>"
    ) in html
    assert 'href="?" class="ms-2" data-testid="drill-clear"' in html
    # and the filter bar has no field for them, but keeps them when its fields change
    assert 'id="id_reviewed_after"' not in html
    assert 'type="hidden" name="reviewed_after" value="2026-01-01"' in html
    assert 'type="hidden" name="failed" value="1"' in html


def test_the_clear_link_keeps_the_visible_filters(executive):
    html = executive.get("/changes/", {"change_type": "emergency", "raised_after": "2026-01-01"})
    content = html.content.decode()
    assert "Filtered by <strong>Raised from 1 Jan 2026</strong>" in content
    assert 'href="?change_type=emergency" class="ms-2"' in content


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"reviewed_after": "soon"}, "reviewed_after"),
        ({"refused_before": "2026-02-30"}, "refused_before"),
        ({"outcome": "great"}, "outcome"),
        ({"failed": "maybe"}, "failed"),
        ({"objective": "999999"}, "objective"),
    ],
)
def test_a_drill_filter_it_cannot_read_is_an_error_on_the_page_and_a_400_in_the_api(
    data_set, executive, executive_api, params, field
):
    # The page, as with its other filters: the list unfiltered by it, the error said.
    response = executive.get("/changes/", params)
    assert response.status_code == 200
    assert response.context["paginator"].count == ChangeRequest.objects.count()
    assert 'data-testid="drill-error"' in response.content.decode()
    # The API refuses it, naming it.
    answer = executive_api.get(API, params)
    assert answer.status_code == 400
    assert field in answer.json()["fields"]


def test_the_drilled_list_reads_as_many_queries_as_the_plain_list(data_set, executive):
    # The conditions are EXISTS and joins of the one count and the one page query: the
    # drilled list costs what the plain list costs, whatever the data.
    url = by_key(Q1)["failure_rate"].drill.url

    def grow():
        for n in range(12):
            made = change(
                f"g{n}", at(date(2026, 2, 1)), outcome="failed", reviewed=at(date(2026, 2, 2))
            )
            IncidentFactory(caused_by_change=made, priority=2)
            decided(made, at(date(2026, 2, 3)))

    plain = assert_constant_queries(lambda: executive.get("/changes/"), lambda: None)
    assert_constant_queries(lambda: executive.get(url), grow, expected=plain)
    assert plain == PAGE_QUERIES


def test_a_scoped_drilled_list_reads_the_objective_and_the_service_once_more(scoped, executive):
    url = by_key(Period(Q1.start, Q1.end, scoped))["failure_rate"].drill.url
    objective, service = scoped.objective, scoped.service

    def grow():
        project = ProjectFactory()
        ProjectObjectiveFactory(project=project, objective_id=objective)
        for n in range(12):
            made = change(
                f"g{n}",
                at(date(2026, 2, 1)),
                project=project,
                outcome="failed",
                reviewed=at(date(2026, 2, 2)),
            )
            made.items.set([ConfigurationItemFactory(service_id=service)])

    # The objective and the service checked, and the service again for the filter bar's
    # select, which shows the chosen one.
    assert_constant_queries(lambda: executive.get(url), grow, expected=PAGE_QUERIES + 3)


# Session and user, permissions, the menu's my-work counts, the header's unread notifications,
# and the list's count, page and
# configuration items (tests/changes/test_pages.py keeps the list's own).
PAGE_QUERIES = 15
