"""The operational hours each project costs (incident work logs and early-life support), on
a hand-made data set worked out by hand. The period is Q1 2026 (90 days); the previous
period is 3 October – 31 December 2025. "Today" is after both, unless a test says."""

from datetime import date
from decimal import Decimal

import pytest

from changes.models import ChangeRequest
from handover.models import Handover, WorkLog
from handover.selectors import early_life_hours_by_project
from itsm_pmo.dashboard.metrics import operations_tax
from itsm_pmo.dashboard.period import Period
from tests.factories import PersonFactory, ProjectFactory, TeamFactory, UserFactory
from tests.handover.factories import HandoverFactory, IncidentFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def logged(incident, day: date, hours: str) -> None:
    WorkLog.objects.create(incident=incident, person=PersonFactory(), day=day, hours=Decimal(hours))


def support(project, started: date, ended: date | None, weekly: str) -> None:
    handover = HandoverFactory(project=project)
    Handover.objects.filter(pk=handover.pk).update(
        els_started_on=started, els_ended_on=ended, els_effort_hours=Decimal(weekly)
    )


@pytest.fixture
def data_set():
    alpha = ProjectFactory(code="ALPHA", name="Alpha", support_team=TeamFactory())
    beta = ProjectFactory(code="BETA", name="Beta", support_team=TeamFactory())
    change = ChangeRequest.objects.create(
        title="c", requester=UserFactory(), backout_plan="Roll back", project=beta
    )
    on_alpha = IncidentFactory(project=alpha)
    by_beta = IncidentFactory(caused_by_change=change)
    loose = IncidentFactory()
    logged(on_alpha, date(2026, 1, 5), "3.5")
    logged(on_alpha, date(2026, 3, 31), "1.5")
    logged(on_alpha, date(2025, 12, 31), "2")  # previous
    logged(by_beta, date(2026, 2, 1), "4")
    logged(loose, date(2026, 2, 1), "8")  # on no project
    # alpha's support: 14 Mar – 27 Mar, 14 days at 10 h a week → 20 h.
    support(alpha, date(2026, 3, 14), date(2026, 3, 27), "10")
    # beta's: from 18 Dec 2025, still running: 90 days of Q1 at 7 h a week → 90 h; 14 days of
    # the previous (18–31 Dec) → 14 h.
    support(beta, date(2025, 12, 18), None, "7")


def test_the_operations_tax_adds_work_logs_and_early_life_support(data_set):
    # Q1: alpha 3.5 + 1.5 + 20 = 25; beta 4 + 90 = 94 → 119 h. Previous: alpha 2, beta 14 → 16.
    total, projects = operations_tax(Q1)
    assert (total.value, total.previous, total.unit) == (119.0, 16.0, "hours")
    assert [(s.label, s.value) for s in projects] == [("BETA Beta", 94.0), ("ALPHA Alpha", 25.0)]


def test_the_top_is_cut_at_its_size(data_set):
    assert [s.label for s in operations_tax(Q1, top=1)[1]] == ["BETA Beta"]


@pytest.mark.parametrize(
    ("started", "ended", "today", "hours"),
    [
        (date(2026, 1, 1), date(2026, 1, 7), date(2026, 6, 1), Decimal(7)),  # one week
        (date(2025, 12, 1), date(2026, 1, 14), date(2026, 6, 1), Decimal(14)),  # from the start
        (date(2026, 3, 25), None, date(2026, 3, 31), Decimal(7)),  # running: up to today
        (date(2026, 3, 25), None, date(2026, 3, 27), Decimal(3)),  # not ahead of today
        (date(2026, 4, 2), None, date(2026, 6, 1), Decimal(0)),  # after the period
    ],
)
def test_early_life_hours_are_the_weekly_hours_for_the_days_in_the_period(
    started, ended, today, hours
):
    # Computed in the database (one query): a handover's support at 7 h a week.
    project = ProjectFactory(support_team=TeamFactory())
    support(project, started, ended, "7")
    found = early_life_hours_by_project(Q1.start, Q1.end, today)
    assert found.get(project.pk, Decimal(0)) == hours


def test_early_life_hours_are_not_rounded_to_whole_weeks_or_days():
    # 3 days at 10 h a week: 30 ÷ 7 = 4.2857… h, not 4 (an integer division).
    project = ProjectFactory(support_team=TeamFactory())
    support(project, date(2026, 1, 1), date(2026, 1, 3), "10")
    found = early_life_hours_by_project(Q1.start, Q1.end, date(2026, 6, 1))
    assert round(found[project.pk], 2) == Decimal("4.29")


def test_an_empty_period_costs_no_hours_a_known_zero():
    total, projects = operations_tax(Period(date(2020, 1, 1), date(2020, 3, 31)))
    assert (total.value, total.why_missing, projects) == (0.0, "", [])


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    def grow():
        for _ in range(10):
            project = ProjectFactory(support_team=TeamFactory())
            logged(IncidentFactory(project=project), date(2026, 2, 2), "1")
            support(project, date(2026, 2, 1), None, "5")

    # Work logs and support weeks for the period and the previous, and the names: 5.
    assert_constant_queries(lambda: operations_tax(Q1), grow, expected=5)
