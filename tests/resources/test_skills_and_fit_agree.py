"""The skills page and the portfolio fit say the same about committed work: the skills page's
verdict is the fit's calculation (week by week, level by level), not its monthly totals,
which hide a short week or a level nobody holds (the demo's "within supply" against "34 h
short")."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resources.engine.calendar import Horizon, monday_of
from resources.engine.fit import SkillShort, committed_fit, portfolio_fit
from resources.engine.records import DemandRecord
from resources.models import Demand
from resources.snapshot import compute_and_publish
from tests.factories import PersonSkillFactory, ProjectFactory, SkillFactory

THIS_MONDAY = monday_of(timezone.localdate())
FIT, SKILLS = "/portfolio/fit/", "/resources/skills/"
PG, K8S = 1, 2


def test_committed_fit_is_the_portfolio_fits_committed_part_by_skill():
    # given 40 h of PostgreSQL at level 2 and 20 h of Kubernetes at level 4, for 4 weeks
    horizon = Horizon(date(2027, 2, 1), 4)
    supply = {(PG, 2): [40.0] * 4, (K8S, 4): [20.0] * 4}
    monday = horizon.start
    committed = [
        # level 3 PostgreSQL: nobody holds it, so all 10 h are short in weeks 0 and 1
        DemandRecord(7, PG, 3, monday, monday + timedelta(weeks=1, days=4), 10.0),
        # 25 h of Kubernetes in week 3: 5 h short
        DemandRecord(
            8, K8S, 1, monday + timedelta(weeks=3), monday + timedelta(weeks=3, days=4), 25.0
        ),
    ]
    # when
    served = committed_fit(horizon=horizon, supply=supply, committed=committed)
    whole = portfolio_fit(horizon=horizon, supply=supply, committed=committed, proposals=[])
    # then it is what the portfolio fit reports of committed work
    assert served.shortfalls == whole.committed_shortfalls
    assert served.hours == whole.committed_hours == 45.0
    assert (served.hours_short, served.weeks_short) == (25.0, 3)
    assert served.by_skill() == {
        PG: SkillShort(PG, 20.0, 2, (3,)),
        K8S: SkillShort(K8S, 5.0, 1, (1,)),
    }
    # and it leaves the level 2 PostgreSQL hours untouched, Kubernetes used up in week 3
    assert served.left[(PG, 2)] == [40.0] * 4 and served.left[(K8S, 4)][3] == 0.0


def publish():
    return compute_and_publish(horizon=Horizon(THIS_MONDAY, 12))


def demand(project, skill, hours, *, weeks, level):
    return Demand.objects.create(
        project=project,
        skill=skill,
        min_level=level,
        hours_per_week=Decimal(hours),
        start_date=THIS_MONDAY,
        end_date=THIS_MONDAY + timedelta(weeks=weeks - 1, days=4),
    )


@pytest.fixture
def level_nobody_holds(db):
    """Ana holds PostgreSQL at level 2 (40 h a week); an approved project asks for 10 h a week
    at level 3 for two weeks: every month's total is well within supply, and yet nobody can
    do the work."""
    pg = SkillFactory(name="PostgreSQL")
    PersonSkillFactory(skill=pg, level=2, person__name="Ana")
    demand(ProjectFactory(code="APP-1", stage="approved"), pg, 10, weeks=2, level=3)
    return pg


@pytest.mark.django_db
def test_both_pages_say_committed_work_is_short_when_a_month_hides_it(
    page_clients, level_nobody_holds
):
    # given the plan published
    publish()
    client = page_clients("pmo_lead")
    # when both pages are read
    fit_page, skills_page = client.get(FIT), client.get(SKILLS)
    # then the fit says 20 h short, and so does the skills page, naming the skill and level
    fit_html, skills_html = fit_page.content.decode(), skills_page.content.decode()
    assert 'data-testid="committed-short"' in fit_html and "20 h short" in fit_html
    verdict = skills_html[skills_html.index('data-testid="committed-verdict"') :]
    assert verdict.startswith('data-testid="committed-verdict">Committed work is 20 h short')
    assert "1 skill, 2 weeks of the plan" in verdict
    assert "Committed demand fits" not in skills_html
    assert "20 h short in 2 weeks (level 3+)" in skills_html
    # from one calculation: the same shortfalls, week by week
    committed = skills_page.context["committed"]
    result = fit_page.context["report"].result
    assert committed.shortfalls == result.committed_shortfalls
    assert committed.hours_short == result.committed_hours_short == 20.0
    # while the month's cell, a total over every level, is within supply (which is why the
    # page no longer reads its verdict from the months)
    (row,) = skills_page.context["matrix"].rows
    assert all(cell.band <= 4 for cell in row.cells)


@pytest.mark.django_db
def test_both_pages_say_committed_work_fits_when_it_does(page_clients, level_nobody_holds):
    # given Ben, who holds PostgreSQL at level 4
    PersonSkillFactory(skill=level_nobody_holds, level=4, person__name="Ben")
    publish()
    client = page_clients("executive")
    # when both pages are read
    fit_page, skills_page = client.get(FIT), client.get(SKILLS)
    # then both say it fits
    assert fit_page.context["report"].result.committed_fits
    assert skills_page.context["committed"].fits
    assert "Committed demand fits every skill" in skills_page.content.decode()
    assert 'data-testid="skill-short"' not in skills_page.content.decode()
