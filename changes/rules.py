"""The rules of a change's plan that every door shares (the form, the API, the service), as
a pure function over plain values: the service raises what it returns, the form shows it
next to the fields.

- A window has a start and an end, or neither; it ends after it starts; a new window (a new
  change, or a start that moves) is in the future.
- A standard change is raised from an active template, and only a standard change is; it
  touches only the configuration items of its template (that is what the CAB pre-approved).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from .choices import ChangeType


class ItemLike(Protocol):
    pk: int
    name: str


class TemplateLike(Protocol):
    name: str
    active: bool


def plan_problems(
    *,
    change_type: str,
    template: TemplateLike | None,
    template_item_ids: set[int],
    items: Iterable[ItemLike],
    start: datetime | None,
    end: datetime | None,
    start_is_new: bool,
    now: datetime,
) -> dict[str, str]:
    """{field: reason} of everything wrong with a change's type, template, items and window."""
    problems: dict[str, str] = {}
    if bool(start) != bool(end):
        problems["planned_end" if start else "planned_start"] = (
            "Give both the start and the end of the window, or neither."
        )
    elif start and end and end <= start:
        problems["planned_end"] = "The window must end after it starts."
    elif start and start_is_new and start < now:
        problems["planned_start"] = "A change is planned in the future: this start has passed."
    if template is None:
        if change_type == ChangeType.STANDARD:
            problems["template"] = "A standard change is raised from a template."
        return problems
    if change_type != ChangeType.STANDARD:
        problems["change_type"] = "A change from a template is a standard change."
    elif not template.active:
        problems["template"] = f"The template “{template.name}” is retired."
    else:
        outside = sorted(i.name for i in items if i.pk not in template_item_ids)
        if outside:
            problems["items"] = (
                f"A standard change touches only the items of “{template.name}”; "
                f"not in it: {', '.join(outside)}."
            )
    return problems
