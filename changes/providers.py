"""Change rows -> engine records: the windows, the freezes, and each change's effort as
operational work on its implementer."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from resources.engine.calendar import Horizon, monday_of
from resources.engine.records import OPERATIONAL, WorkRecord

from .choices import ACTIVE_STATES
from .models import ChangeRequest, FreezeWindow
from .records import ChangeRecord, FreezeRecord


def _bounds(horizon: Horizon) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(horizon.start, time.min, zone),
        datetime.combine(horizon.end, time.max, zone),
    )


def changes(horizon: Horizon):
    start, end = _bounds(horizon)
    rows = list(
        ChangeRequest.objects.filter(
            state__in=ACTIVE_STATES, planned_start__lt=end, planned_end__gt=start
        ).values_list(
            "pk",
            "number",
            "title",
            "change_type",
            "planned_start",
            "planned_end",
            "implementer_id",
            "freeze_exception",
            "project_id",
            "effort_hours",
        )
    )
    ids = [r[0] for r in rows]
    items, services = defaultdict(set), defaultdict(set)
    through = ChangeRequest.items.through
    for change_id, item_id, service_id in through.objects.filter(
        changerequest_id__in=ids
    ).values_list("changerequest_id", "configurationitem_id", "configurationitem__service_id"):
        items[change_id].add(item_id)
        if service_id:
            services[change_id].add(service_id)
    for pk, number, title, kind, s, e, implementer, exception, project, effort in rows:
        s, e = timezone.localtime(s), timezone.localtime(e)  # weeks are local weeks
        yield ChangeRecord(
            pk,
            number or "",
            title,
            kind,
            s,
            e,
            implementer,
            frozenset(items[pk]),
            frozenset(services[pk]),
            exception,
            project,
        )
        if implementer and effort:
            # The change's effort is operational work for its implementer, spread evenly over
            # the whole weeks its window touches (a two-hour job on a Wednesday is two hours
            # that week, not a prorated fifth of them).
            first = monday_of(timezone.localdate(s))
            last = monday_of(timezone.localdate(e)) + timedelta(days=4)
            weeks = (last - first).days // 7 + 1
            yield WorkRecord(
                implementer,
                first,
                last,
                float(effort) / weeks,
                OPERATIONAL,
                "change",
                project,
                ref=f"change:{pk}",
            )


def freezes(horizon: Horizon):
    start, end = _bounds(horizon)
    rows = FreezeWindow.objects.filter(start__lt=end, end__gt=start).prefetch_related("services")
    for freeze in rows:
        yield FreezeRecord(
            freeze.pk,
            freeze.name,
            timezone.localtime(freeze.start),
            timezone.localtime(freeze.end),
            freeze.all_services,
            frozenset(s.pk for s in freeze.services.all()),
        )
