"""Handover and incident rows -> engine records: go-lives, handovers, the receiving team's
early-life support effort and the hours worked on incidents, both as operational work."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from portfolio.choices import MilestoneKind, Stage
from portfolio.selectors import milestones
from resources.engine.calendar import Horizon, monday_of
from resources.engine.records import OPERATIONAL, WorkRecord
from resources.selectors import people

from .choices import CHECK_SETTLED, HandoverState
from .models import Handover, ReadinessCheck, WorkLog
from .records import GoLiveRecord, HandoverRecord

COMMITTED = (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER)


def go_lives(horizon: Horizon):
    rows = (
        milestones()
        .filter(
            kind=MilestoneKind.GO_LIVE,
            completed_on__isnull=True,
            due_date__gte=horizon.start,
            due_date__lte=horizon.end,
            project__stage__in=COMMITTED,
        )
        .select_related("project")
        .prefetch_related("project__services")
    )
    for m in rows:
        yield GoLiveRecord(
            m.project_id,
            f"{m.project.code} {m.project.name}",
            m.due_date,
            frozenset(s.pk for s in m.project.services.all()),
        )


def els_window(handover: Handover, go_live) -> tuple:
    """The early-life support window: running (from its start, at least the quiet period and
    on to today), or planned (from go-live for the quiet period)."""
    quiet = timedelta(days=handover.els_quiet_days)
    if handover.state == HandoverState.CLOSED:
        return None, None
    if handover.state == HandoverState.EARLY_LIFE_SUPPORT and handover.els_started_on:
        start = handover.els_started_on
        return start, max(start + quiet, timezone.localdate())
    return (go_live, go_live + quiet) if go_live else (None, None)


def handovers(horizon: Horizon):
    open_checks = Prefetch(
        "checks",
        to_attr="open_mandatory_checks",
        queryset=ReadinessCheck.objects.filter(criterion__mandatory=True)
        .exclude(status__in=CHECK_SETTLED)
        .select_related("criterion"),
    )
    go_live_of = dict(
        milestones()
        .filter(kind=MilestoneKind.GO_LIVE)
        .order_by("project_id", "-due_date")
        .values_list("project_id", "due_date")
    )
    rows = (
        Handover.objects.exclude(state=HandoverState.CLOSED)
        .select_related("project", "receiving_team")
        .prefetch_related(open_checks)
    )
    members = defaultdict(list)
    for person_id, team_id in people().filter(active=True).values_list("pk", "team_id"):
        members[team_id].append(person_id)
    today = timezone.localdate()
    for h in rows:
        go_live = go_live_of.get(h.project_id)
        start, end = els_window(h, go_live)
        hours = float(h.els_effort_hours or 0)
        yield HandoverRecord(
            h.pk,
            h.project_id,
            f"{h.project.code} {h.project.name}",
            h.state,
            go_live,
            today,
            settings.HANDOVER_READY_DAYS,
            tuple(c.criterion.name for c in h.open_mandatory_checks),
            h.receiving_team_id,
            h.receiving_team.name if h.receiving_team_id else "",
            start,
            end,
            hours,
        )
        team = members.get(h.receiving_team_id, [])
        if start and team and hours:
            # The receiving team shares early-life support: their picture shows it coming.
            for person_id in team:
                yield WorkRecord(
                    person_id,
                    start,
                    end,
                    hours / len(team),
                    OPERATIONAL,
                    "early_life_support",
                    h.project_id,
                    ref=f"handover:{h.pk}",
                )


def incident_work(horizon: Horizon):
    """Hours logged on incidents, week by week: firefighting shows in the picture."""
    totals = defaultdict(float)
    for person_id, day, project_id, hours in WorkLog.objects.filter(
        day__gte=horizon.start, day__lte=horizon.end
    ).values_list("person_id", "day", "incident__project_id", "hours"):
        totals[(person_id, monday_of(day), project_id or 0)] += float(hours)
    for (person_id, monday, project_id), hours in sorted(totals.items()):
        yield WorkRecord(
            person_id,
            monday,
            monday + timedelta(days=4),
            hours,
            OPERATIONAL,
            "incident",
            project_id or None,
            ref=f"incidents:{person_id}:{monday}:{project_id}",
        )
