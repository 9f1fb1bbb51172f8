"""Major-incident engagements -> engine records: the hours people spend on a major incident
are operational load in their week (hours.py says how they are counted)."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from resources.engine.calendar import Horizon, monday_of
from resources.engine.records import OPERATIONAL, WorkRecord

from ...models import WorkLog
from .hours import engagement_hours
from .models import Engagement


def engagement_work(horizon: Horizon):
    """Hours engaged on major incidents, per person-week (two queries)."""
    now = timezone.now()
    rows = list(
        Engagement.objects.filter(engaged_from__date__lte=horizon.end)
        .filter(Q(released_at__isnull=True) | Q(released_at__date__gte=horizon.start))
        .values_list(
            "person_id",
            "person__contracted_hours",
            "engaged_from",
            "released_at",
            "major_incident__incident_id",
            "major_incident__incident__project_id",
        )
    )
    if not rows:
        return
    logged: dict[tuple[int, int], dict] = defaultdict(lambda: defaultdict(float))
    for person_id, incident_id, day, hours in WorkLog.objects.filter(
        incident_id__in={r[4] for r in rows}, day__gte=horizon.start, day__lte=horizon.end
    ).values_list("person_id", "incident_id", "day", "hours"):
        logged[(person_id, incident_id)][day] += float(hours)
    totals: dict[tuple[int, object, int], float] = defaultdict(float)
    for person_id, weekly, start, end, incident_id, project_id in rows:
        local_start = timezone.localtime(start)
        local_end = timezone.localtime(min(end or now, now))
        days = engagement_hours(
            local_start, local_end, float(weekly or 0), logged.get((person_id, incident_id))
        )
        for day, hours in days.items():
            if horizon.start <= day <= horizon.end:
                totals[(person_id, monday_of(day), project_id or 0)] += hours
    for (person_id, monday, project_id), hours in sorted(totals.items()):
        yield WorkRecord(
            person_id,
            monday,
            monday + timedelta(days=4),
            round(hours, 2),
            OPERATIONAL,
            "incident",
            project_id or None,
            ref=f"major:{person_id}:{monday}:{project_id}",
        )
