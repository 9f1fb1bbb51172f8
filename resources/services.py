"""Writes to resources that carry rules: the one path the pages, the API and scripts share.

Each service asks the predicates of `permissions.py` and raises PermissionDenied (403 on the
page and in the API) or ValidationError (400). The plan is marked dirty in one place,
`plan_watch_inputs`, whenever an input row is saved or deleted, whoever saves it (every app
names its planning inputs there from its `apps.py`); a recompute asked for explicitly, or a
write another app knows changes what counts, goes through `plan_mark_dirty`.
"""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from itsm_pmo.permissions import Actor
from itsm_pmo.text import refuse_too_long
from itsm_pmo.workflow import require

from .models import Allocation, Conflict
from .permissions import (
    may_acknowledge_conflicts,
    may_change_allocation,
    may_plan_for,
    may_request_recompute,
)
from .planning import mark_dirty, watch_inputs

ALLOCATION_FIELDS = frozenset(
    {"person", "kind", "project", "hours_per_week", "start_date", "end_date", "tentative", "note"}
)
# Work is not booked to a project that is over or was turned down (the form offers none).
CLOSED_STAGES = frozenset({"closed", "rejected"})
NOT_YOURS = "You do not plan this person's time."


def allocation_save(
    *, by: Actor, allocation: Allocation | None, fields: Mapping[str, Any]
) -> Allocation:
    """Create (`allocation` None) or change an allocation. Who saves it must plan the time of
    the person it was for and of the person it is for; work newly booked goes to an active
    person and, for project work, to a project that is not closed or rejected."""
    unknown = set(fields) - ALLOCATION_FIELDS
    if unknown:
        raise TypeError(f"Not allocation fields: {sorted(unknown)}")
    with transaction.atomic():
        if allocation is None or allocation.pk is None:
            row, before = Allocation(), None
        else:
            row = (
                Allocation.objects.select_for_update(of=("self",))
                .select_related("person__team")
                .get(pk=allocation.pk)
            )
            require(may_change_allocation(by, row), NOT_YOURS)
            before = (row.person_id, row.project_id)
        for name, value in fields.items():
            setattr(row, name, value)
        if row.person_id is None:
            raise ValidationError({"person": "Name the person whose time this is."})
        require(may_plan_for(by, row.person), NOT_YOURS)
        _check_new_booking(row, before)
        row.full_clean()
        row.save()
    return row


def _check_new_booking(row: Allocation, before: tuple[int | None, int | None] | None) -> None:
    errors = {}
    if (before is None or before[0] != row.person_id) and not row.person.active:
        errors["person"] = f"{row.person} is no longer active; their time is not planned."
    project = row.project if row.project_id is not None else None
    if (
        project is not None
        and (before is None or before[1] != project.pk)
        and project.stage in CLOSED_STAGES
    ):
        errors["project"] = f"{project.code} is {project.stage}; no work is booked to it."
    if errors:
        raise ValidationError(errors)


def allocation_delete(*, by: Actor, allocation: Allocation) -> None:
    """Remove an allocation; only who plans the time of its person may."""
    with transaction.atomic():
        row = (
            Allocation.objects.select_for_update(of=("self",))
            .select_related("person__team")
            .get(pk=allocation.pk)
        )
        require(may_change_allocation(by, row), NOT_YOURS)
        row.delete()


def conflicts_acknowledge(*, conflict_ids: list[int], by: Actor, comment: str) -> int:
    """Acknowledge open conflicts with a reason (ITSM managers and PMO leads); the
    acknowledgement survives recomputes because the conflict keeps its identity while its
    cause remains."""
    require(
        may_acknowledge_conflicts(by), "Only ITSM managers and PMO leads acknowledge conflicts."
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say why the conflict is acceptable or how it is being handled."}
        )
    refuse_too_long(comment, model=Conflict, field="acknowledgement", named="comment")
    if not conflict_ids:
        raise ValidationError({"conflicts": "Choose at least one conflict."})
    with transaction.atomic():
        rows = list(
            Conflict.objects.select_for_update()
            .filter(pk__in=conflict_ids, resolved_at__isnull=True)
            .order_by("pk")  # the order a recompute locks them in
        )
        found = {c.pk for c in rows}
        missing = set(conflict_ids) - found
        if missing:
            raise ValidationError({"conflicts": f"Not open any more: {sorted(missing)}."})
        return Conflict.objects.filter(pk__in=found).update(
            acknowledged_by=by, acknowledged_at=timezone.now(), acknowledgement=comment
        )


def plan_recompute(*, by: Actor) -> None:
    """Ask for a recompute now (PMO leads and ITSM managers): the plan is marked dirty and
    one run is queued after the commit."""
    require(may_request_recompute(by), "Only PMO leads and ITSM managers ask for a recompute.")
    with transaction.atomic():
        mark_dirty()


def plan_mark_dirty() -> None:
    """The inputs of the plan changed: flag it and queue one recompute after the commit."""
    mark_dirty()


def plan_watch_inputs(*models: type[Model] | str) -> None:
    """Mark the plan dirty whenever a row of one of these models (a class, or its label
    "app.Model" as a foreign key names it) is saved or deleted; called from `ready()`."""
    watch_inputs(*(apps.get_model(m) if isinstance(m, str) else m for m in models))
