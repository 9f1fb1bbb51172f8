"""The capacity family on a hand-made published snapshot, each number worked out by hand:
the next 12 weeks from this week (the snapshot starts this Monday, 16 weeks long)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from itsm_pmo.dashboard.capacity import (
    NO_CAPACITY,
    NO_SNAPSHOT,
    burnout_metric,
    conflict_trend,
    open_conflicts,
    team_utilisation,
)
from resources.engine.calendar import monday_of
from resources.models import Conflict, PersonLoad, PlanState, Snapshot, TeamLoad
from resources.selectors import longest_run_above
from tests.factories import PersonFactory, TeamFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
WEEKS = 16


def snapshot(status: str = "published") -> Snapshot:
    return Snapshot.objects.create(
        status=status,
        week_start=monday_of(timezone.localdate()),
        weeks=WEEKS,
        computed_at=timezone.now(),
    )


def publish(made: Snapshot) -> None:
    PlanState.objects.update_or_create(pk=1, defaults={"current": made})


def weeks(default: float, **at: float) -> list[float]:
    """16 weeks of `default` hours, with `w3=45` setting week 3."""
    hours = [default] * WEEKS
    for name, value in at.items():
        hours[int(name[1:])] = value
    return hours


def person(current: Snapshot, capacity, project, operational=None, tentative=None):
    made = PersonFactory()
    PersonLoad.objects.create(
        snapshot=current,
        person=made,
        team=made.team,
        capacity=capacity,
        project=project,
        operational=operational or weeks(0),
        tentative=tentative or weeks(0),
    )
    return made


def conflict(key: str, kind: str, severity: str, first: Snapshot, resolved=None) -> None:
    Conflict.objects.create(
        key=key,
        kind=kind,
        severity=severity,
        subject_type="person",
        subject_id=1,
        subject_label=key,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        message=key,
        first_seen=first.pk,
        resolved_in=resolved.pk if resolved else None,
        resolved_at=timezone.now() if resolved else None,
    )


@pytest.fixture
def current():
    s1, s2, s3 = snapshot(), snapshot(), snapshot()
    snapshot("failed")  # never published: not in the trend
    publish(s3)
    apps, ops = TeamFactory(name="Apps"), TeamFactory(name="Ops")
    # Apps: 40 h a week, 30 project and 10 operational in the 12 weeks; 100 h of project
    # in weeks 12–15, beyond the 12 weeks.
    TeamLoad.objects.create(
        snapshot=s3,
        team=apps,
        people=1,
        capacity=weeks(40),
        project=weeks(30, w12=100, w13=100, w14=100, w15=100),
        operational=weeks(10),
    )
    TeamLoad.objects.create(
        snapshot=s3, team=ops, people=0, capacity=weeks(0), project=weeks(0), operational=weeks(0)
    )
    people = {
        # 45 h in weeks 2, 3, 4: three running → at risk (3).
        "three": person(s3, weeks(40), weeks(40, w2=45, w3=45, w4=45)),
        # weeks 0–1 and 3–4: two runs of two → not.
        "twice": person(s3, weeks(40), weeks(40, w0=45, w1=45, w3=45, w4=45)),
        # 50 h of project work a week, 10 of them pencilled in (the engine's project hours
        # include the tentative ones): 40 booked, exactly 100 % → not.
        "full": person(s3, weeks(40), weeks(50), tentative=weeks(10)),
        # on leave weeks 0–3 (no capacity) with 1 h operational → four running (4).
        "leave": person(
            s3,
            weeks(40, w0=0, w1=0, w2=0, w3=0),
            weeks(0),
            operational=weeks(0, w0=1, w1=1, w2=1, w3=1),
        ),
        # above in weeks 11, 12, 13: only week 11 is in the 12 weeks → not.
        "late": person(s3, weeks(40), weeks(40, w11=50, w12=50, w13=50)),
    }
    # Conflicts: A in s1–s3, B from s2, C in s1 only (resolved by s2), D from s3.
    conflict("A", "overallocation", "high", s1)
    conflict("B", "overallocation", "high", s2)
    conflict("C", "skill_gap", "low", s1, resolved=s2)
    conflict("D", "skill_gap", "critical", s3)
    return {"snapshots": (s1, s2, s3), "people": people}


def test_team_utilisation_is_booked_hours_over_capacity_in_the_next_12_weeks(current):
    # Apps: project 30 × 12 = 360 of 40 × 12 = 480 → 75 %; operational 120 / 480 → 25 %.
    apps, ops = team_utilisation()
    assert (apps.team, apps.project, apps.operational, apps.why_missing) == ("Apps", 75.0, 25.0, "")
    # Ops has no capacity: its shares cannot be computed.
    assert (ops.project, ops.operational, ops.why_missing) == (None, None, NO_CAPACITY)


def test_people_above_100_percent_for_three_weeks_running(current):
    # "three" (3 weeks) and "leave" (4 weeks) → 2.
    metric = burnout_metric()
    assert (metric.value, metric.unit, metric.why_missing) == (2, "people", "")


@pytest.mark.parametrize(
    ("capacity", "booked", "longest"),
    [
        ([40, 40, 40], [40, 40, 40], 0),  # exactly 100 % is not above
        ([40, 40, 40, 40], [41, 41, 40, 41], 2),
        ([0, 0, 40], [1, 0, 41], 1),  # no capacity: any hours are above, none is not
    ],
)
def test_the_longest_run_above_capacity(capacity, booked, longest):
    assert longest_run_above(capacity, booked) == longest


def test_open_conflicts_by_kind_and_severity_in_the_published_snapshot(current):
    # s3 holds A and B (over-allocation, high) and D (skill gap, critical); C was resolved.
    segments = open_conflicts()
    assert [(s.label, s.value) for s in segments] == [
        ("Over-allocation – High", 2),
        ("Skill gap – Critical", 1),
    ]
    assert (
        segments[0].drill.url == "/resources/conflicts/?kind=overallocation&severity=high&state=all"
    )


def test_the_conflict_trend_counts_each_published_snapshots_conflicts(current):
    # s1: A, C → 2; s2: A, B → 2; s3: A, B, D → 3; the failed snapshot is not in it.
    assert [n for _, n in conflict_trend()] == [2, 2, 3]


def test_without_a_published_plan_the_family_says_so():
    assert burnout_metric().why_missing == NO_SNAPSHOT
    assert burnout_metric().value is None
    assert team_utilisation() == []
    assert open_conflicts() == []
    assert conflict_trend() == []


def test_the_number_of_queries_does_not_grow_with_the_data(current):
    s3 = current["snapshots"][2]

    def grow():
        for _ in range(10):
            person(s3, weeks(40), weeks(50))
            conflict(f"G{Conflict.objects.count()}", "skill_gap", "low", s3)
            TeamLoad.objects.create(
                snapshot=s3,
                team=TeamFactory(),
                people=1,
                capacity=weeks(40),
                project=weeks(1),
                operational=weeks(1),
            )

    def read():
        cache.clear()  # what a new snapshot costs, once
        team_utilisation()
        burnout_metric()
        open_conflicts()
        conflict_trend()

    # The current snapshot (once for each of the three that read it), the team loads, the
    # person loads, the grouped conflicts, and the trend's two: 3 + 1 + 1 + 1 + 2 = 8.
    assert_constant_queries(read, grow, expected=8)
