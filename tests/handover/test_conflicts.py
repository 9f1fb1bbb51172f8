"""Handover's conflict rules on small inputs, through a published snapshot, and through the
real worker (PostgreSQL, Redis, Celery)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from changes.models import FreezeWindow
from changes.records import FreezeRecord
from handover.conflicts import go_live_in_freeze, handover_not_ready, support_overload
from handover.models import Handover, ReadinessCheck, ReadinessCriterion
from handover.records import GoLiveRecord, HandoverRecord
from itsm_pmo.dates import short_date
from portfolio.models import Milestone, Project
from resources import selectors
from resources.engine.calendar import Horizon, monday_of
from resources.engine.records import OPERATIONAL, PersonRecord, WorkRecord
from resources.engine.run import Plan, run
from resources.models import Allocation
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, ServiceFactory, TeamFactory

H = Horizon(date(2027, 1, 4), 8)
RULES = {"freeze": go_live_in_freeze, "ready": handover_not_ready, "support": support_overload}


def conflicts_of(records):
    return run(Plan.from_records(H, records), RULES)[1]


def freeze(start: date, end: date, services=None):
    return FreezeRecord(
        1,
        "Year-end freeze",
        datetime(start.year, start.month, start.day, 0),
        datetime(end.year, end.month, end.day, 23),
        services is None,
        frozenset(services or ()),
    )


def handover(**overrides):
    fields = dict(
        id=7,
        project_id=3,
        label="PRJ-0003 Portal",
        state="readiness_review",
        go_live=date(2027, 1, 20),
        as_of=date(2027, 1, 10),
        ready_days=14,
        open_mandatory=("Runbook published",),
        team_id=None,
        team_name="",
        els_start=None,
        els_end=None,
        els_hours=0.0,
    )
    return HandoverRecord(**{**fields, **overrides})


def test_go_live_inside_a_freeze_on_its_services():
    live = GoLiveRecord(3, "PRJ-0003 Portal", date(2027, 1, 6), frozenset({5}))
    found = conflicts_of([live, freeze(date(2027, 1, 4), date(2027, 1, 8))])
    assert [(c.kind, c.subject_id, c.severity) for c in found] == [("go_live_in_freeze", 3, "high")]
    assert f"goes live on {short_date(date(2027, 1, 6))}, inside Year-end freeze" in (
        found[0].message
    )
    # a freeze of other services, or another week, does not concern it
    assert conflicts_of([live, freeze(date(2027, 1, 4), date(2027, 1, 8), {9})]) == []
    assert conflicts_of([live, freeze(date(2027, 1, 7), date(2027, 1, 8))]) == []


@pytest.mark.parametrize(
    ("overrides", "severity"),
    [
        ({}, "medium"),  # ten days out
        ({"as_of": date(2027, 1, 15)}, "high"),  # five days out
        ({"as_of": date(2027, 1, 19)}, "critical"),  # tomorrow
        ({"as_of": date(2026, 12, 20)}, None),  # a month out: not yet
        ({"open_mandatory": ()}, None),  # ready
        ({"state": "accepted"}, None),  # already accepted
        ({"as_of": date(2027, 1, 21)}, None),  # gone live (early-life support reports)
    ],
)
def test_handover_not_ready_close_to_go_live(overrides, severity):
    found = conflicts_of([handover(**overrides)])
    assert [c.severity for c in found] == ([severity] if severity else [])
    if severity:
        assert "Runbook published" in found[0].message


def test_support_overload_counts_the_early_life_support_effort():
    people = [PersonRecord(i, f"P{i}", 4, 40.0) for i in (1, 2)]
    bau = [WorkRecord(i, H.week(0), H.end, 32.0, OPERATIONAL, "bau") for i in (1, 2)]
    els = [
        WorkRecord(
            i, H.week(2), H.week(3) + timedelta(days=4), 10.0, OPERATIONAL, "early_life_support", 3
        )
        for i in (1, 2)
    ]
    record = handover(
        state="accepted",
        team_id=4,
        team_name="Service Desk",
        els_start=H.week(2),
        els_end=H.week(3) + timedelta(days=4),
        els_hours=20.0,
    )
    found = [c for c in conflicts_of([*people, *bau, *els, record]) if c.kind == "support_overload"]
    assert [(c.period_start, c.details["load"], c.details["capacity"]) for c in found] == [
        (H.week(2), 84.0, 80.0)
    ]
    assert "Service Desk takes on early-life support of PRJ-0003 Portal" in found[0].message
    # with less BAU the team copes
    light = [WorkRecord(i, H.week(0), H.end, 25.0, OPERATIONAL, "bau") for i in (1, 2)]
    assert not [
        c for c in conflicts_of([*people, *light, *els, record]) if c.kind == "support_overload"
    ]


def approved_project_with_handover(go_live_in_days: int, team=None):
    project = ProjectFactory(code="PRJ-0777", name="Self-service portal")
    Project.objects.filter(pk=project.pk).update(stage="approved")
    project.services.add(ServiceFactory())
    Milestone.objects.create(
        project=project,
        name="Go-live",
        kind="go_live",
        due_date=timezone.localdate() + timedelta(days=go_live_in_days),
    )
    h = Handover.objects.create(project=project, receiving_team=team, els_effort_hours=Decimal(30))
    for criterion in ReadinessCriterion.objects.all():
        ReadinessCheck.objects.create(handover=h, criterion=criterion)
    return h


def stretched_handover():
    """A handover 10 days from go-live with checks open, a go-live in a freeze, and a
    receiving team at 75 % before 30 h a week of early-life support."""
    team = TeamFactory(name="Service Desk")
    for _ in range(2):
        person = PersonFactory(team=team, contracted_hours=Decimal(40))
        Allocation.objects.create(
            person=person,
            kind="bau",
            hours_per_week=30,
            start_date=monday_of(timezone.localdate()),
            end_date=timezone.localdate() + timedelta(weeks=8),
        )
    h = approved_project_with_handover(10, team=team)
    go_live = h.project.milestones.get().due_date
    midnight = datetime.min.time()
    FreezeWindow.objects.create(
        name="Quarter close",
        start=timezone.make_aware(datetime.combine(go_live, midnight)),
        end=timezone.make_aware(datetime.combine(go_live + timedelta(days=1), midnight)),
    )
    return h


HANDOVER_KINDS = ("go_live_in_freeze", "handover_not_ready", "support_overload")


@pytest.mark.django_db
def test_handover_rules_through_a_published_snapshot():
    stretched_handover()
    snapshot = compute_and_publish()
    kinds = sorted(selectors.conflicts_in(snapshot).values_list("kind", flat=True))
    assert [kinds.count(kind) for kind in HANDOVER_KINDS] == [1, 1, 1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_reports_the_handover_rules_and_resolves_when_checks_are_done(celery_worker_process):
    from tests.resources.test_worker import wait_for

    h = stretched_handover()

    def open_kinds():
        return set(
            selectors.conflicts_in(selectors.current_snapshot())
            .filter(kind__in=HANDOVER_KINDS)
            .values_list("kind", flat=True)
        )

    assert wait_for(lambda: open_kinds() == set(HANDOVER_KINDS))
    for check in h.checks.filter(criterion__mandatory=True):
        check.status = "done"
        check.save()  # saved one by one, as people tick them
    assert wait_for(lambda: "handover_not_ready" not in open_kinds())
    assert open_kinds() == {"go_live_in_freeze", "support_overload"}


@pytest.mark.django_db
def test_hours_worked_on_incidents_count_as_operational_load(role_user):
    from handover.models import Incident, WorkLog
    from resources.models import PersonLoad

    ana = PersonFactory(contracted_hours=Decimal(40))
    incident = Incident.objects.create(
        title="Checkout errors",
        service=ServiceFactory(),
        reporter=role_user("engineer"),
        opened_at=timezone.now(),
    )
    today = timezone.localdate()
    for hours in (3, 4):
        WorkLog.objects.create(incident=incident, person=ana, day=today, hours=hours)
    snapshot = compute_and_publish()
    row = PersonLoad.objects.get(snapshot=snapshot, person=ana)
    week = (monday_of(today) - snapshot.week_start).days // 7
    assert row.operational[week] == pytest.approx(7.0)
