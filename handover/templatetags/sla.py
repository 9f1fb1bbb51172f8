"""Service-level timers on a page: their words and colours (templates/incidents/_sla.html)."""

from datetime import timedelta

from django import template

register = template.Library()

# A timer's status -> the badge's classes; `sla-<status>` names it for tests and styles.
BADGES = {
    "ok": "text-bg-success",
    "warning": "text-bg-warning",
    "breached": "text-bg-danger",
    "paused": "text-bg-secondary",
    "met": "text-bg-light border",
}
VERBS = {"response": ("Respond", "Response"), "resolution": ("Resolve", "Resolution")}


@register.filter
def sla_span(value: timedelta | None) -> str:
    """`2 d 4 h`, `3 h 10 min`, `12 min`: a length of time, whichever its sign."""
    if value is None:
        return "—"
    minutes = int(abs(value.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


@register.filter
def sla_badge(status: str) -> str:
    return f"badge sla-{status} {BADGES.get(status, BADGES['ok'])}"


@register.filter
def sla_text(timer) -> str:
    """What a timer says now: time left, overdue, paused, or how it ended."""
    verb, noun = VERBS.get(timer.kind, ("Resolve", "Resolution"))
    status = timer.status
    if timer.stopped_at is not None:
        return f"{noun} late" if status == "breached" else f"{noun} in time"
    if timer.is_paused:
        return f"{noun} paused"
    left = timer.time_left
    if left is None:
        return noun
    if left.total_seconds() <= 0:
        return f"{noun} overdue by {sla_span(left)}"
    return f"{verb} in {sla_span(left)}"


@register.filter
def sla_shown(timers) -> list:
    """The timers a list row shows: those still running or paused; when both have stopped,
    how the resolution ended."""
    timers = list(timers)
    live = [t for t in timers if t.stopped_at is None]
    return live or [t for t in timers if t.kind == "resolution"]
