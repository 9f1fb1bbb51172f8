"""The skills matrix: supply vs demand per skill and month, pure arithmetic then the page."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from resources.engine.calendar import Horizon
from resources.engine.fit import month_starts, skills_by_month
from resources.engine.records import DemandRecord
from resources.models import Demand
from resources.snapshot import compute_and_publish
from tests.factories import PersonSkillFactory, ProjectFactory, SkillFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries, queries_for

PG, K8S = 1, 2
JUNE, JULY = date(2026, 6, 1), date(2026, 7, 1)  # 1 June 2026 is a Monday
H = Horizon(JUNE, 10)
URL = "/resources/skills/"

# June 2026 has 22 working days (1–5, 8–12, 15–19, 22–26, 29–30), July 23.
SUPPLY = {(PG, 3): [40.0] * 10, (PG, 5): [20.0] * 10}
# 10 h a week from Wednesday 10 June to Tuesday 7 July: 15 working days in June, 5 in July.
COMMITTED = [DemandRecord(7, PG, 3, date(2026, 6, 10), date(2026, 7, 7), 10.0)]
# 5 h a week from 20 May to Friday 5 June: only 1–5 June is in the window.
PROPOSED = [DemandRecord(8, PG, 3, date(2026, 5, 20), date(2026, 6, 5), 5.0)]


def test_month_starts_cross_the_year():
    assert month_starts(date(2026, 11, 17), 3) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]


def test_skills_by_month_one_month_by_hand():
    # given
    # when
    matrix = skills_by_month(
        horizon=H,
        first_day=JUNE,
        months=[JUNE, JULY],
        supply=SUPPLY,
        committed=COMMITTED,
        proposed=PROPOSED,
    )
    # then June: free 22 days × (8 + 4) h = 264 h (176 at level 3, 88 at level 5);
    # committed 15 days × 2 h = 30 h; proposed 5 days × 1 h = 5 h
    june, july = matrix[PG]
    assert june.supply == pytest.approx(264.0)
    assert [(level, round(hours, 6)) for level, hours in june.supply_by_level] == [
        (5, 88.0),
        (3, 176.0),
    ]
    assert (june.committed, june.proposed) == (pytest.approx(30.0), pytest.approx(5.0))
    assert june.band == 1  # 30 / 264 is under half
    # and July: 23 days × 12 h, committed 5 days × 2 h
    assert (july.supply, july.committed, july.proposed) == (
        pytest.approx(276.0),
        pytest.approx(10.0),
        0.0,
    )


def test_skills_by_month_counts_the_first_month_from_the_first_day():
    # given the matrix is read in the week of 8 June
    # when
    matrix = skills_by_month(
        horizon=H,
        first_day=date(2026, 6, 8),
        months=[JUNE],
        supply=SUPPLY,
        committed=COMMITTED,
        proposed=PROPOSED,
    )
    # then June counts 17 working days of supply, and the proposal (over by 5 June) is gone
    (june,) = matrix[PG]
    assert june.supply == pytest.approx(17 * 12.0)
    assert (june.committed, june.proposed) == (pytest.approx(30.0), 0.0)


def test_skills_by_month_demand_without_supply_is_the_worst_band():
    # given nobody holds Kubernetes; a skill with neither supply nor demand is asked for too
    demand = DemandRecord(7, K8S, 3, JUNE, date(2026, 6, 5), 5.0)
    # when
    matrix = skills_by_month(
        horizon=H,
        first_day=JUNE,
        months=[JUNE],
        supply={},
        committed=[demand],
        proposed=[],
        skill_ids=[3],
    )
    # then
    assert matrix[K8S][0].band == 7 and matrix[K8S][0].ratio == float("inf")
    assert matrix[3][0].band == 0 and matrix[3][0].ratio is None


def test_skills_by_month_flags_a_month_short_only_with_proposals():
    # given 40 h a week, 30 committed and 20 proposed all June
    supply = {(PG, 3): [40.0] * 10}
    committed = [DemandRecord(7, PG, 3, JUNE, date(2026, 6, 30), 30.0)]
    proposed = [DemandRecord(8, PG, 3, JUNE, date(2026, 6, 30), 20.0)]
    # when
    (june,) = skills_by_month(
        horizon=H,
        first_day=JUNE,
        months=[JUNE],
        supply=supply,
        committed=committed,
        proposed=proposed,
    )[PG]
    # then 75 % committed, 125 % with the proposal
    assert june.ratio == pytest.approx(0.75) and june.band == 2
    assert june.short_with_proposals


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def june_10(monkeypatch):
    """Today is Wednesday 10 June 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 6, 10))


def publish():
    return compute_and_publish(horizon=H)


def demand(project, skill, hours, start, end, level=3):
    return Demand.objects.create(
        project=project,
        skill=skill,
        min_level=level,
        hours_per_week=Decimal(hours),
        start_date=start,
        end_date=end,
    )


@pytest.fixture
def postgres(db):
    """Ana holds PostgreSQL at level 3 (40 h a week); an approved project and a proposal ask
    for it as in the pure test."""
    pg = SkillFactory(name="PostgreSQL")
    PersonSkillFactory(skill=pg, level=3, person__name="Ana")
    demand(ProjectFactory(stage="approved"), pg, 10, date(2026, 6, 10), date(2026, 7, 7))
    demand(ProjectFactory(stage="proposed"), pg, 5, date(2026, 5, 20), date(2026, 6, 12))
    return pg


@pytest.mark.django_db
def test_skills_matrix_page_shows_the_month_by_hand(page_clients, postgres, june_10):
    # given published in the week of 8 June
    publish()
    # when
    response = page_clients("executive").get(URL)
    # then June counts from 8 June: 17 days × 8 h free, 15 days × 2 h committed,
    # 5 days (8–12 June) × 1 h proposed
    html = response.content.decode()
    assert (
        'data-month="2026-06" data-supply="136.0" data-committed="30.0" data-proposed="5.0"'
    ) in html
    assert "June counts from 8 Jun" in html
    assert "level 3: 136 h" in html  # the split by level in the tooltip
    assert [m.month for m in response.context["matrix"].months] == [6, 7, 8, 9, 10, 11]


@pytest.mark.django_db
def test_skills_matrix_page_twelve_months(page_clients, postgres, june_10):
    publish()
    response = page_clients("pmo_lead").get(URL + "?months=12")
    assert len(response.context["matrix"].months) == 12
    assert response.content.decode().count('data-month="') == 12


@pytest.mark.django_db
def test_skills_matrix_page_role_matrix(page_clients, postgres):
    publish()
    assert_matrix(
        page_clients,
        "get",
        URL,
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )


@pytest.mark.django_db
def test_skills_matrix_page_empty_states(page_clients):
    client = page_clients("engineer")
    # no snapshot yet
    assert "The capacity picture is being computed." in client.get(URL).content.decode()
    # a snapshot, but no skills
    compute_and_publish(horizon=Horizon(H.start, 2))
    assert "No skills yet." in client.get(URL).content.decode()


@pytest.mark.django_db
def test_skills_matrix_page_queries_constant_as_people_and_demand_grow(
    page_clients, postgres, june_10
):
    client = page_clients("itsm_manager")
    publish()

    def grow():
        for i in range(10):
            skill = SkillFactory(name=f"Skill {i}")
            PersonSkillFactory(skill=skill, level=1 + i % 5)
            PersonSkillFactory(skill=postgres, level=1 + i % 5)
            project = ProjectFactory(stage="in_flight" if i % 2 else "assessed")
            demand(project, skill, 4, date(2026, 6, 1), date(2026, 9, 30))
        publish()

    # session, user, two permission reads, then 7 of the page (one reads the demand for the
    # verdict on committed work, the portfolio fit's); and 7 for the navigation's count of
    # what waits in the ITSM manager's inbox (itsm_pmo/home.py)
    # +1 since issue 17: the header's count of unread notifications
    assert_constant_queries(lambda: client.get(URL), grow, expected=19)


@pytest.mark.django_db
def test_skills_matrix_page_is_paged_and_searchable(page_clients, postgres, june_10):
    # given more skills than a page holds
    from resources.views.skills import SKILLS_PER_PAGE

    for i in range(SKILLS_PER_PAGE + 5):
        SkillFactory(name=f"Skill {i:03d}")
    publish()
    client = page_clients("pmo_lead")
    total = SKILLS_PER_PAGE + 6
    # when the page opens: one page of skills, saying how many there are
    html = client.get(URL).content.decode()
    assert html.count("<tr data-skill=") == SKILLS_PER_PAGE
    assert f"{total} of {total} skills" in html
    # the next page holds the rest
    assert client.get(URL + "?page=2").content.decode().count("<tr data-skill=") == 6
    # a search narrows the rows and keeps the months chosen
    found = client.get(URL + "?q=postgres&months=12").content.decode()
    assert found.count("<tr data-skill=") == 1 and 'data-skill="PostgreSQL"' in found
    assert found.count('data-month="') == 12 and "1 of 46 skills" in found


@pytest.mark.django_db
def test_skills_matrix_is_computed_once_per_snapshot(page_clients, postgres, june_10):
    # given the page shown once for a published snapshot
    publish()
    client = page_clients("executive")
    cold = queries_for(lambda: client.get(URL))
    # when shown again: supply and demand come from the cache
    warm = queries_for(lambda: client.get(URL))
    assert warm < cold
    # when the demand changes, the plan goes dirty and the next snapshot shows it
    demand(ProjectFactory(stage="approved"), postgres, 20, date(2026, 6, 8), date(2026, 6, 30))
    publish()
    html = client.get(URL).content.decode()
    assert 'data-month="2026-06" data-supply="136.0" data-committed="' in html
    assert 'data-committed="30.0"' not in html.split('data-month="2026-07"')[0]
