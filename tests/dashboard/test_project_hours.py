"""Where the booked project hours go: the project loads a snapshot keeps (ProjectLoad), the
share of the top-ranked quarter, hours per strategic objective, and a team's utilisation
narrowed to an objective. Each number is worked out by hand from bookings run through the
real engine (compute_and_publish); the plan starts this Monday, weeks are whole Mon–Fri."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from itsm_pmo.dashboard.capacity import (
    NO_BOOKED,
    NO_SNAPSHOT,
    hours_by_objective,
    team_utilisation,
    top_quarter_hours_share,
)
from itsm_pmo.dashboard.period import Scope
from resources import selectors
from resources.engine.calendar import monday_of
from resources.models import Allocation, ProjectLoad
from resources.snapshot import compute_and_publish
from tests.factories import (
    CriterionFactory,
    ObjectiveFactory,
    PersonFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ScoreFactory,
    TeamFactory,
)
from tests.support.queries import assert_constant_queries, queries_for

pytestmark = pytest.mark.django_db
MONDAY = monday_of(timezone.localdate())


def book(person, project, hours, first, last, *, tentative=False, kind="project"):
    """`hours` a week from Monday of week `first` to Friday of week `last` (whole weeks)."""
    return Allocation.objects.create(
        person=person,
        kind=kind,
        project=project,
        hours_per_week=Decimal(hours),
        start_date=MONDAY + timedelta(weeks=first),
        end_date=MONDAY + timedelta(weeks=last, days=4),
        tentative=tentative,
    )


def weeks(**at: float) -> list[float]:
    """The first weeks of a load row, zero unless given: `w2=20`."""
    hours = [0.0] * 8
    for name, value in at.items():
        hours[int(name[1:])] = value
    return hours


# --- ProjectLoad: what a snapshot keeps ---------------------------------------------------


def test_a_snapshot_keeps_each_teams_hours_on_each_project_firm_and_tentative_apart():
    ana = PersonFactory(team=TeamFactory(name="Apps"), contracted_hours=Decimal(40))
    ben = PersonFactory(team=TeamFactory(name="Build"), contracted_hours=Decimal(40))
    p = ProjectFactory(stage="in_flight")
    q = ProjectFactory(stage="approved")
    book(ana, p, 10, 0, 3)
    book(ana, q, 5, 0, 1, tentative=True)  # pencilled in: tentative, not booked
    book(ben, p, 20, 2, 5)
    book(ben, q, 8, 0, 1)
    book(ana, None, 4, 0, 7, kind="bau")  # operational: no project's hours
    book(ben, ProjectFactory(stage="closed"), 30, 0, 3)  # a closed project takes no time

    snapshot = compute_and_publish()

    rows = {
        (row.project_id, row.team_id): (row.booked[:8], row.tentative[:8])
        for row in ProjectLoad.objects.filter(snapshot=snapshot)
    }
    assert rows == {
        (p.pk, ana.team_id): (weeks(w0=10, w1=10, w2=10, w3=10), weeks()),
        (p.pk, ben.team_id): (weeks(w2=20, w3=20, w4=20, w5=20), weeks()),
        (q.pk, ana.team_id): (weeks(), weeks(w0=5, w1=5)),
        (q.pk, ben.team_id): (weeks(w0=8, w1=8), weeks()),
    }
    # Over the next 12 weeks: P 4 × 10 + 4 × 20 = 120 firm; Q 2 × 8 = 16 firm, 2 × 5 tentative.
    assert selectors.project_hours(snapshot, weeks=12) == {
        p.pk: (120.0, 0.0),
        q.pk: (16.0, 10.0),
    }
    # A team's project hours are the sum of its rows, tentative included (as the heatmap).
    apps = next(r for r in selectors.team_utilisation(snapshot) if r["team_id"] == ana.team_id)
    assert apps["project"] == 40 + 10


# --- The portfolio: five live projects, one closed ----------------------------------------


@pytest.fixture
def portfolio():
    """Two criteria of weight 1: a project's score follows the sum of its two values.

    Live pool A 10, B 8, C 6, D 4, E 2 → top quarter ceil(5 / 4) = 2: A and B. K is closed
    (not in the pool, and its work takes no time). Ana (Apps, 40 h) and Ben (Build, 40 h);
    over the next 12 weeks (weeks 0–11):
      A: Ana 10 h × 6 weeks = 60 (and 10 h in weeks 12–13, after the 12 weeks)
      B: Ana  5 h × 4 weeks = 20
      C: Ana 10 h × 4 weeks = 40
      D: Ben 10 h × 10 weeks, tentative = 100 tentative, 0 booked
      E: Ben  5 h × 4 weeks = 20
      K: Ben 20 h × 4 weeks, closed: nothing
      Ana's BAU 4 h × 12 weeks = 48 operational.
    Booked project hours: 60 + 20 + 40 + 20 = 140.
    Objectives: Grow (8) ← A 100 %, B 50 %; Run (3) ← B 50 %, C 25 %, D 100 %;
    Old (inactive) ← A 100 %."""
    criteria = CriterionFactory(), CriterionFactory()
    made = {}
    for code, stage, values in [
        ("A", "in_flight", (5, 5)),
        ("B", "approved", (4, 4)),
        ("C", "in_flight", (3, 3)),
        ("D", "proposed", (2, 2)),
        ("E", "on_hold", (1, 1)),
        ("K", "closed", (5, 5)),
    ]:
        made[code] = ProjectFactory(stage=stage)
        for criterion, value in zip(criteria, values, strict=True):
            ScoreFactory(project=made[code], criterion=criterion, value=value)
    ana = PersonFactory(team=TeamFactory(name="Apps"), contracted_hours=Decimal(40))
    ben = PersonFactory(team=TeamFactory(name="Build"), contracted_hours=Decimal(40))
    book(ana, made["A"], 10, 0, 5)
    book(ana, made["A"], 10, 12, 13)
    book(ana, made["B"], 5, 0, 3)
    book(ana, made["C"], 10, 0, 3)
    book(ana, None, 4, 0, 11, kind="bau")
    book(ben, made["D"], 10, 0, 9, tentative=True)
    book(ben, made["E"], 5, 0, 3)
    book(ben, made["K"], 20, 0, 3)
    grow = ObjectiveFactory(name="Grow", weight=8)
    run = ObjectiveFactory(name="Run", weight=3)
    old = ObjectiveFactory(name="Old", weight=9, active=False)
    for objective, code, contribution in [
        (grow, "A", 100),
        (grow, "B", 50),
        (run, "B", 50),
        (run, "C", 25),
        (run, "D", 100),
        (old, "A", 100),
    ]:
        ProjectObjectiveFactory(objective=objective, project=made[code], contribution=contribution)
    compute_and_publish()
    return {"projects": made, "criteria": criteria, "grow": grow, "run": run, "ana": ana}


def test_the_top_ranked_quarters_share_of_booked_project_hours(portfolio):
    # A 60 + B 20 = 80 of 140 booked → 57.1 %. C and E (outside the top quarter) count in
    # the whole only; D's tentative hours, K (closed) and A's weeks 12–13 count nowhere.
    metric = top_quarter_hours_share()
    assert (metric.value, metric.unit, metric.why_missing) == (57.1, "%", "")
    assert metric.drill.url == "/portfolio/ranking/?top=quarter"


def test_in_an_objectives_scope_the_share_reads_its_projects_only(portfolio):
    # Run's live projects: B 8, C 6, D 4 → top quarter ceil(3 / 4) = 1: B. Its booked hours:
    # B 20 + C 40 (D is tentative) = 60 → 20 / 60 = 33.3 %.
    run = portfolio["run"]
    metric = top_quarter_hours_share(Scope(objective=run.pk))
    assert metric.value == 33.3
    assert metric.drill.params == {"top": "quarter", "objective": str(run.pk)}


def test_without_booked_project_hours_or_a_plan_the_share_says_why(portfolio):
    # Nothing booked on an objective no project serves.
    lonely = ObjectiveFactory(name="Lonely")
    metric = top_quarter_hours_share(Scope(objective=lonely.pk))
    assert (metric.value, metric.why_missing) == (None, NO_BOOKED)


def test_without_a_published_plan_the_share_and_the_hours_say_so():
    metric = top_quarter_hours_share()
    assert (metric.value, metric.why_missing) == (None, NO_SNAPSHOT)
    assert hours_by_objective() == []


def test_booked_hours_per_strategic_objective_and_their_share(portfolio):
    # Grow: A 60 × 100 % + B 20 × 50 % = 70; Run: B 20 × 50 % + C 40 × 25 % + D 0
    # (tentative) = 20. Shares across the objectives (as the weights'): 70 / 90 = 77.8 %,
    # 20 / 90 = 22.2 % (the hours serving no objective are in no share).
    # Old is inactive: not a row (A's hours are not counted twice into the shares).
    rows = hours_by_objective()
    assert [(r.objective, r.weight, r.hours, r.share, r.why_missing) for r in rows] == [
        ("Grow", 8, 70.0, 77.8, ""),
        ("Run", 3, 20.0, 22.2, ""),
    ]


def test_team_utilisation_in_an_objectives_scope_counts_its_projects_hours_only(portfolio):
    # Apps: capacity 40 × 12 = 480. All: A 60 + B 20 + C 40 = 120 → 25 %; BAU 48 → 10 %.
    # Build: 480. All: D 100 (tentative work is still on the team's plan) + E 20 → 25 %.
    apps, build = team_utilisation()
    assert (apps.team, apps.project, apps.operational) == ("Apps", 25.0, 10.0)
    assert (build.team, build.project, build.operational) == ("Build", 25.0, 0.0)
    # In Run's scope: Apps B 20 + C 40 = 60 → 12.5 %, operational not narrowed (10 %);
    # Build D 100 → 20.8 %.
    run = portfolio["run"]
    apps, build = team_utilisation(Scope(objective=run.pk))
    assert (apps.project, apps.operational, build.project) == (12.5, 10.0, 20.8)
    assert apps.drill.params == {"team": str(portfolio["ana"].team_id)}  # the whole plan
    # A service does not narrow the plan.
    assert team_utilisation(Scope(service=1))[0].project == 25.0


def test_a_second_read_of_the_same_snapshot_costs_no_query(portfolio):
    snapshot = selectors.current_snapshot()
    cache.clear()
    assert queries_for(lambda: selectors.project_hours(snapshot)) == 1
    assert queries_for(lambda: selectors.project_hours(snapshot)) == 0
    assert queries_for(lambda: selectors.project_team_hours(snapshot)) == 0


def test_the_number_of_queries_does_not_grow_with_the_data(portfolio):
    criteria, run = portfolio["criteria"], portfolio["run"]

    def grow():
        # Ten times the projects, each booked, scored and serving an objective.
        for n in range(60):
            project = ProjectFactory(stage="in_flight")
            for criterion in criteria:
                ScoreFactory(project=project, criterion=criterion, value=1 + n % 5)
            book(PersonFactory(), project, 1 + n % 7, 0, 3)
            ProjectObjectiveFactory(objective=run, project=project, contribution=50)
        compute_and_publish()

    def read():
        cache.clear()  # what a new snapshot costs, once
        top_quarter_hours_share()
        top_quarter_hours_share(Scope(objective=run.pk))
        hours_by_objective()
        team_utilisation(Scope(objective=run.pk))

    # The share: the snapshot, the project loads, the ranking's five (7); in a scope: the
    # snapshot, the aligned projects, the ranking's five (7, the loads cached); by
    # objective: the snapshot, the objectives, their links (3); utilisation in a scope: the
    # snapshot, the team loads, the aligned projects (3) → 20.
    assert_constant_queries(read, grow, expected=20)
