"""Writes to resources that carry rules."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Conflict


def conflicts_acknowledge(*, conflict_ids: list[int], by, comment: str) -> int:
    """Acknowledge open conflicts with a reason; the acknowledgement survives recomputes
    because the conflict keeps its identity while its cause remains."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say why the conflict is acceptable or how it is being handled."}
        )
    if not conflict_ids:
        raise ValidationError({"conflicts": "Choose at least one conflict."})
    with transaction.atomic():
        rows = Conflict.objects.select_for_update().filter(
            pk__in=conflict_ids, resolved_at__isnull=True
        )
        found = {c.pk for c in rows}
        missing = set(conflict_ids) - found
        if missing:
            raise ValidationError({"conflicts": f"Not open any more: {sorted(missing)}."})
        return Conflict.objects.filter(pk__in=found).update(
            acknowledged_by=by, acknowledged_at=timezone.now(), acknowledgement=comment
        )
