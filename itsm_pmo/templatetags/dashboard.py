"""How the dashboard shows a number: its unit, its change against the previous period, and
whether that change is good news."""

from django import template

from ..dashboard.board import LOWER_IS_BETTER

register = template.Library()

COUNTS = {"projects", "incidents", "changes", "lessons", "people", "conflicts"}


def _number(value: float, unit: str) -> str:
    if unit in COUNTS or unit == "points":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


@register.filter
def metric_value(value, unit: str) -> str:
    """87.5 %, 3.2 days, 14 projects; a dash when unknown (the tile says why)."""
    if value is None:
        return "—"
    number = _number(value, unit)
    return f"{number} %" if unit == "%" else number


@register.filter
def metric_unit(value, unit: str) -> str:
    """The unit written after the number (none for %, which is part of it)."""
    return "" if unit == "%" or value is None else unit


@register.simple_tag
def metric_trend(metric) -> dict:
    """The change against the previous period: its sign, whether it is good news, and the
    words (a rate's change is in percentage points)."""
    change = metric.change
    if change is None:
        return {"direction": "none", "tone": "neutral", "text": ""}
    unit = "pts" if metric.unit == "%" else metric.unit
    if change == 0:
        return {"direction": "flat", "tone": "neutral", "text": "no change"}
    better = (change < 0) == (metric.key in LOWER_IS_BETTER)
    sign = "+" if change > 0 else "−"
    return {
        "direction": "up" if change > 0 else "down",
        "tone": "good" if better else "bad",
        "text": f"{sign}{_number(abs(change), metric.unit)} {unit}",
    }
