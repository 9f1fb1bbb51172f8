"""Post-implementation stability (P1–P2 incidents in the 30 days after a go-live) and the
projects with most incidents during early-life support, on a hand-made data set worked out
by hand. The period is Q1 2026; the previous period is 3 October – 31 December 2025."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from changes.models import ChangeRequest
from handover.models import Handover
from itsm_pmo.dashboard.metrics import NO_GO_LIVE, early_life_top_projects, stability_metric
from itsm_pmo.dashboard.period import Period
from tests.factories import MilestoneFactory, ProjectFactory, TeamFactory, UserFactory
from tests.handover.factories import HandoverFactory, IncidentFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def project(code: str, go_live: date, done: bool = True, els=None):
    """A project that went live on `go_live` (done, else only planned); with `els=(from,
    to)`, its handover's early-life support ran then (`to` None: still running)."""
    made = ProjectFactory(code=code, name=code.title(), support_team=TeamFactory())
    MilestoneFactory(project=made, due_date=go_live, completed_on=go_live if done else None)
    if els:
        handover = HandoverFactory(project=made)
        Handover.objects.filter(pk=handover.pk).update(els_started_on=els[0], els_ended_on=els[1])
    return made


@pytest.fixture
def data_set():
    alpha = project("ALPHA", date(2026, 1, 10), els=(date(2026, 1, 10), date(2026, 2, 10)))
    project("BETA", date(2026, 3, 20), done=False)  # planned in Q1, no incident: 0
    gamma = project("GAMMA", date(2026, 4, 5))  # after the period
    delta = project("DELTA", date(2025, 12, 20), els=(date(2025, 12, 20), None))
    change = ChangeRequest.objects.create(
        title="c", requester=UserFactory(), backout_plan="Roll back", project=alpha
    )
    # alpha's window is 10 January – 8 February (30 days from the go-live).
    IncidentFactory(project=alpha, priority=1, opened_at=at(date(2026, 1, 10), 9))  # day 0
    IncidentFactory(caused_by_change=change, priority=2, opened_at=at(date(2026, 2, 8), 23))
    IncidentFactory(project=alpha, priority=1, opened_at=at(date(2026, 2, 9), 0))  # day 30
    IncidentFactory(project=alpha, priority=3, opened_at=at(date(2026, 1, 15)))  # not P1–P2
    IncidentFactory(project=alpha, priority=4, opened_at=at(date(2026, 2, 11)))  # after ELS
    IncidentFactory(project=gamma, priority=1, opened_at=at(date(2026, 4, 6)))
    # delta went live in the previous period; its P1 of 5 January is in its window.
    IncidentFactory(project=delta, priority=1, opened_at=at(date(2026, 1, 5)))
    return {"alpha": alpha, "delta": delta}


def test_stability_counts_p1_p2_in_the_30_days_after_each_go_live_in_the_period(data_set):
    # Q1 go-lives: alpha (10 Jan) and beta (20 Mar, planned). alpha: the P1 of day 0 and the
    # P2 through its change on day 29 → 2; the P1 of day 30 and the P3 do not count; beta: 0.
    # Previous: delta (20 Dec) and its P1 of 5 January → 1.
    metric = stability_metric(Q1)
    assert (metric.value, metric.previous, metric.unit) == (2, 1, "incidents")


def test_stability_without_a_go_live_says_so():
    metric = stability_metric(Period(date(2020, 1, 1), date(2020, 3, 31)))
    assert (metric.value, metric.why_missing) == (None, NO_GO_LIVE)


def test_the_projects_with_most_incidents_during_early_life_support(data_set):
    # alpha's support ran 10 Jan – 10 Feb: day 0 P1, 15 Jan P3, 8 Feb P2 (via its change),
    # 9 Feb P1 → 4 (11 Feb is after it). delta's still runs: 5 January → 1. gamma has none.
    segments = early_life_top_projects(Q1)
    assert [(s.label, s.value) for s in segments] == [("ALPHA Alpha", 4), ("DELTA Delta", 1)]
    assert segments[0].drill.params["for_project"] == str(data_set["alpha"].pk)


def test_the_top_is_cut_at_its_size(data_set):
    assert [s.label for s in early_life_top_projects(Q1, top=1)] == ["ALPHA Alpha"]


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    grown = iter(range(100))

    def grow():
        for n in range(10):
            made = project(
                f"GROWN-{next(grown)}", date(2026, 2, 1 + n), els=(date(2026, 2, 1 + n), None)
            )
            IncidentFactory(project=made, priority=1, opened_at=at(date(2026, 2, 15)))

    # A query for the go-lives and one for their incidents, for the period and the previous.
    assert_constant_queries(lambda: stability_metric(Q1), grow, expected=4)
    assert_constant_queries(lambda: early_life_top_projects(Q1), grow, expected=2)
