"""Portfolio fit: the pure function on tiny hand-computed inputs, then the page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from itsm_pmo.dates import short_date
from resources.engine.calendar import Horizon, monday_of
from resources.engine.fit import ProposalInput, Shortfall, portfolio_fit, shortfall_ranges
from resources.engine.records import DemandRecord
from resources.models import Demand
from resources.snapshot import compute_and_publish
from tests.factories import (
    CriterionFactory,
    PersonSkillFactory,
    ProjectFactory,
    ScoreFactory,
    SkillFactory,
)
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

MONDAY = date(2027, 2, 1)
H = Horizon(MONDAY, 4)
PG = 1  # skill ids
K8S = 2


def week(index: int, day: int = 0) -> date:
    return MONDAY + timedelta(weeks=index, days=day)


def need(project_id, hours, first=0, last=3, *, skill=PG, level=3, start_day=0, end_day=4):
    """Demand of `hours` a week from week `first` (day `start_day`) to week `last`."""
    return DemandRecord(
        project_id, skill, level, week(first, start_day), week(last, end_day), float(hours)
    )


def proposal(project_id, *demands):
    return ProposalInput(project_id, tuple(demands))


# --- the pure function ---------------------------------------------------------------------


def test_portfolio_fit_proposal_that_fits_consumes_its_hours():
    # given 40 h free of PostgreSQL at level 3, 10 h of it committed
    supply = {(PG, 3): [40.0] * 4}
    # when a proposal asks for 20 h and the next one for 10 h
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[need(9, 10)],
        proposals=[proposal(1, need(1, 20)), proposal(2, need(2, 10))],
    )
    # then both fit (10 + 20 + 10 = 40), and nothing is short
    assert result.committed_fits and result.committed_hours == 40.0
    assert [(p.project_id, p.fits, p.demand_hours) for p in result.proposals] == [
        (1, True, 80.0),
        (2, True, 40.0),
    ]
    assert result.proposals[1].shortfalls == ()


def test_portfolio_fit_proposal_that_does_not_fit_reports_exact_hours_and_weeks():
    # given 40 h free, 10 h committed: 30 h left each week
    supply = {(PG, 3): [40.0] * 4}
    # when a proposal asks 50 h a week from Wednesday of week 1 to Friday of week 2
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[need(9, 10)],
        proposals=[proposal(1, need(1, 50, 1, 2, start_day=2))],
    )
    # then week 1 counts 3/5 × 50 = 30 h (fits), week 2 all 50 h: 20 h short there only
    fit = result.proposals[0]
    assert not fit.fits
    assert fit.shortfalls == (Shortfall(PG, 3, 2, 20.0, (1,)),)
    (line,) = fit.ranges
    assert (line.first_week, line.end, line.weeks, line.max_hours, line.total_hours) == (
        week(2),
        week(2, 6),
        1,
        20.0,
        20.0,
    )


def test_portfolio_fit_level_4_demand_cannot_use_level_2_people():
    # given 100 h free at level 2 and 10 h at level 4
    supply = {(PG, 2): [100.0] * 4, (PG, 4): [10.0] * 4}
    # when a proposal needs 20 h at level 4, another 20 h at level 2
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[],
        proposals=[
            proposal(1, need(1, 20, 0, 0, level=4)),
            proposal(2, need(2, 20, 0, 0, level=2)),
        ],
    )
    # then the level-4 one is 10 h short at level 4; the level-2 one fits
    senior, junior = result.proposals
    assert senior.shortfalls == (Shortfall(PG, 4, 0, 10.0, (1,)),)
    assert junior.fits


def test_portfolio_fit_lower_levels_take_the_lower_pools_first():
    # given 100 h at level 2 and 10 h at level 4, all 100 h of level 2 committed
    supply = {(PG, 2): [100.0] * 4, (PG, 4): [10.0] * 4}
    committed = [need(9, 100, 0, 0, level=2)]
    # when a proposal needs the 10 h at level 4
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=committed,
        proposals=[proposal(1, need(1, 10, 0, 0, level=4))],
    )
    # then the committed work took the level-2 hours, not the level-4 ones
    assert result.committed_fits and result.proposals[0].fits


def test_portfolio_fit_mixed_levels_report_the_worst_level():
    # given 20 h at level 2 and 15 h at level 4
    supply = {(PG, 2): [20.0] * 4, (PG, 4): [15.0] * 4}
    # when one proposal needs 30 h at level 2 and 10 h at level 4 in week 0
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[],
        proposals=[proposal(1, need(1, 30, 0, 0, level=2), need(1, 10, 0, 0, level=4))],
    )
    # then level 4+ fits (10 ≤ 15) but level 2+ is 40 − 35 = 5 h short
    assert result.proposals[0].shortfalls == (Shortfall(PG, 2, 0, 5.0, (1,)),)


def test_portfolio_fit_better_ranked_proposal_consumes_capacity_first():
    # given 40 h free, and proposals of 30 h and 20 h
    supply = {(PG, 3): [40.0] * 4}
    big, small = proposal(1, need(1, 30)), proposal(2, need(2, 20))
    # when ranked big first, then small first
    big_first = portfolio_fit(horizon=H, supply=supply, committed=[], proposals=[big, small])
    small_first = portfolio_fit(horizon=H, supply=supply, committed=[], proposals=[small, big])
    # then whichever comes first fits and the other is 10 h a week short, though alone it fits
    assert [(p.project_id, p.fits) for p in big_first.proposals] == [(1, True), (2, False)]
    assert [(p.project_id, p.fits) for p in small_first.proposals] == [(2, True), (1, False)]
    second = big_first.proposals[1]
    assert second.fits_alone and {s.hours for s in second.shortfalls} == {10.0}
    assert second.ranges[0].weeks == 4 and second.ranges[0].total_hours == 40.0


def test_portfolio_fit_proposal_that_does_not_fit_consumes_nothing():
    # given 40 h free
    supply = {(PG, 3): [40.0] * 4}
    # when a 50 h proposal comes before a 40 h one
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[],
        proposals=[proposal(1, need(1, 50)), proposal(2, need(2, 40))],
    )
    # then the first does not fit, and does not take the hours the second needs
    assert [p.fits for p in result.proposals] == [False, True]
    assert not result.proposals[0].fits_alone


def test_portfolio_fit_proposal_fits_only_if_every_skill_fits():
    # given PostgreSQL is plentiful, Kubernetes has nobody
    supply = {(PG, 3): [40.0] * 4}
    # when a proposal needs both, then one needs the PostgreSQL hours
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=[],
        proposals=[proposal(1, need(1, 30), need(1, 5, 3, 3, skill=K8S)), proposal(2, need(2, 40))],
    )
    # then the first is short of Kubernetes only, takes nothing, and the second fits
    first, second = result.proposals
    assert first.shortfalls == (Shortfall(K8S, 3, 3, 5.0, (1,)),)
    assert second.fits


def test_portfolio_fit_committed_shortfall_is_reported_with_its_projects():
    # given 40 h free and two committed projects asking 30 h and 20 h in weeks 1-2
    supply = {(PG, 3): [40.0] * 4}
    committed = [need(7, 30, 1, 2), need(8, 20, 1, 2)]
    # when
    result = portfolio_fit(
        horizon=H,
        supply=supply,
        committed=committed,
        proposals=[proposal(1, need(1, 5, 1, 1)), proposal(2, need(2, 5, 0, 0))],
    )
    # then the approved portfolio is 10 h a week short in weeks 1-2, and a proposal needing
    # those weeks is short by all it asks; one in week 0 still fits
    assert not result.committed_fits and result.committed_hours_short == 20.0
    (line,) = result.committed_ranges
    assert (line.first_week, line.weeks, line.max_hours, line.project_ids) == (
        week(1),
        2,
        10.0,
        (7, 8),
    )
    assert result.proposals[0].shortfalls == (Shortfall(PG, 3, 1, 5.0, (1,)),)
    assert result.proposals[1].fits


def test_portfolio_fit_proposal_without_demand_is_not_weighed():
    result = portfolio_fit(horizon=H, supply={}, committed=[], proposals=[proposal(1)])
    assert result.proposals[0].fits and not result.proposals[0].has_demand
    assert result.without_demand == result.proposals and result.fitting == ()


def test_portfolio_fit_demand_outside_the_horizon_is_ignored():
    outside = DemandRecord(1, PG, 3, week(5), week(8), 100.0)
    result = portfolio_fit(horizon=H, supply={}, committed=[], proposals=[proposal(1, outside)])
    assert result.proposals[0].demand_hours == 0.0


def test_portfolio_fit_supply_must_cover_the_horizon():
    with pytest.raises(ValueError):
        portfolio_fit(horizon=H, supply={(PG, 3): [40.0]}, committed=[], proposals=[])


def test_shortfall_ranges_split_on_gaps_skills_and_levels():
    # given shortfalls in weeks 0, 1 and 3 of one skill, week 1 of another level
    shortfalls = [
        Shortfall(PG, 3, 0, 12.0),
        Shortfall(PG, 3, 1, 8.0),
        Shortfall(PG, 3, 3, 5.0),
        Shortfall(PG, 4, 1, 2.0),
    ]
    # when
    ranges = shortfall_ranges(H, shortfalls)
    # then three runs, in skill, level and week order; the first is 8–12 h a week
    assert [(r.level, r.first_week, r.weeks) for r in ranges] == [
        (3, week(0), 2),
        (3, week(3), 1),
        (4, week(1), 1),
    ]
    assert (ranges[0].min_hours, ranges[0].max_hours, ranges[0].steady) == (8.0, 12.0, False)


# --- the page ------------------------------------------------------------------------------

THIS_MONDAY = monday_of(timezone.localdate())
URL = "/portfolio/fit/"


def publish():
    return compute_and_publish(horizon=Horizon(THIS_MONDAY, 12))


def demand(project, skill, hours, *, weeks=8, level=3):
    return Demand.objects.create(
        project=project,
        skill=skill,
        min_level=level,
        hours_per_week=Decimal(hours),
        start_date=THIS_MONDAY,
        end_date=THIS_MONDAY + timedelta(weeks=weeks - 1, days=4),
    )


@pytest.fixture
def portfolio(db):
    """Ana: 40 h of PostgreSQL at level 3, 10 h a week committed to an approved project;
    two proposals of 20 h a week, Alpha ranked above Beta."""
    pg = SkillFactory(name="PostgreSQL")
    PersonSkillFactory(skill=pg, level=3, person__name="Ana")
    demand(ProjectFactory(code="APP-1", stage="approved"), pg, 10)
    value = CriterionFactory(name="Value", weight=1)
    alpha = ProjectFactory(code="PRO-A", name="Alpha", stage="proposed")
    beta = ProjectFactory(code="PRO-B", name="Beta", stage="assessed")
    ScoreFactory(project=alpha, criterion=value, value=5)
    ScoreFactory(project=beta, criterion=value, value=2)
    demand(alpha, pg, 20)
    demand(beta, pg, 20)
    return {"pg": pg, "alpha": alpha, "beta": beta, "value": value}


@pytest.mark.django_db
def test_portfolio_fit_page_role_matrix(page_clients, portfolio):
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
def test_portfolio_fit_page_shows_the_lower_ranked_proposal_not_fitting(page_clients, portfolio):
    # given the plan published: 40 h free, 10 committed, Alpha takes 20, Beta wants 20
    publish()
    # when
    response = page_clients("executive").get(URL)
    # then Alpha fits, Beta is 10 h a week short for the 8 weeks, and would fit alone
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="PRO-A" data-fits="yes"' in html
    assert 'data-code="PRO-B" data-fits="no"' in html
    end = THIS_MONDAY + timedelta(weeks=7, days=6)
    assert (
        f"<bdi>PostgreSQL</bdi> L3+</strong>: 10 h short a week, {short_date(THIS_MONDAY)}" in html
    )
    assert short_date(end) in html and "8 weeks, 80 h in all" in html
    assert "Would fit on its own" in html
    assert html.index("PRO-A") < html.index("PRO-B")
    report = response.context["report"]
    assert report.result.committed_fits and len(report.result.not_fitting) == 1


@pytest.mark.django_db
def test_portfolio_fit_page_reports_committed_shortfall(page_clients, portfolio):
    # given a second approved project asking 35 h: 45 h committed against 40 h free
    demand(ProjectFactory(code="APP-2", stage="in_flight"), portfolio["pg"], 35)
    publish()
    # when
    response = page_clients("pmo_lead").get(URL)
    # then the committed shortfall (5 h a week for 8 weeks) is listed with both projects,
    # and both proposals fail
    html = response.content.decode()
    assert 'data-testid="committed-short"' in html and "40 h short" in html
    (line,) = response.context["report"].committed_lines
    assert [p.code for p in line.projects] == ["APP-1", "APP-2"] and line.range.max_hours == 5.0
    assert ">APP-1<" in html and ">APP-2<" in html
    assert 'data-code="PRO-A" data-fits="no"' in html and "Would fit on its own" not in html


@pytest.mark.django_db
def test_portfolio_fit_page_engineer_opens_every_proposal(page_clients, portfolio):
    # given the engineer owns neither proposal
    publish()
    # when
    html = page_clients("engineer").get(URL).content.decode()
    # then both are weighed, shown and linked (every role reads every project)
    assert 'data-code="PRO-B" data-fits="no"' in html
    assert portfolio["alpha"].get_absolute_url() in html


@pytest.mark.django_db
def test_portfolio_fit_page_empty_states(page_clients):
    client = page_clients("pmo_lead")
    assert "The capacity picture is being computed." in client.get(URL).content.decode()
    publish()
    html = client.get(URL).content.decode()
    assert "No proposals to weigh." in html and "Fits" in html


@pytest.mark.django_db
def test_portfolio_fit_page_queries_constant_as_demands_grow(page_clients, portfolio):
    client = page_clients("engineer")
    publish()

    def grow():
        for i in range(8):
            skill = SkillFactory(name=f"Skill {i}")
            PersonSkillFactory(skill=skill, level=4)
            project = ProjectFactory(stage="approved" if i % 2 else "proposed")
            ScoreFactory(project=project, criterion=portfolio["value"], value=3)
            demand(project, skill, 5 + i)
            demand(project, portfolio["pg"], 1)
        publish()

    # session, user, two permission reads, then 10 of the page (the supply not cached yet:
    # grow publishes a new snapshot, so both requests compute it); and 6 for the navigation's
    # count of what waits in the engineer's inbox (itsm_pmo/home.py)
    # +1 since issue 17: the header's count of unread notifications
    assert_constant_queries(lambda: client.get(URL), grow, expected=21)
