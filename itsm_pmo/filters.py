"""The base FilterSet: Bootstrap-styled fields, so every filter bar looks the same, and strict
values, so a filter the API cannot read is a 400 naming it, never silently dropped.

Drill-down filters (the dashboard's links, issue 16) are declared like any other but named in
`drill_only`: the visible filter bar leaves them out, and the list shows them as one line of
words with a link to clear them (`drill`, `_partials/drill_filters.html`), so a user landing
on a short list knows why. A range of whole days is a pair of `DayFilter`s made by
`day_range`, applied together by one condition."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import django_filters
import django_filters.conf
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .autocomplete import AutocompleteFilter
from .dates import PlausibleDateFilter, PlausibleDateTimeFilter, day_bounds, day_span, short_date

BIGGEST = 2**63 - 1  # the largest value of a 64-bit integer column
TRUE_FALSE = {"true": True, "1": True, "false": False, "0": False}


class StrictBooleanWidget(BooleanWidget):
    """`true`/`false`/`1`/`0`; empty or `unknown` is no filter. Anything else is passed on
    as typed, for the field to refuse (django-filter's widgets read it as "no filter")."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value is None or isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("", "unknown"):
            return None
        return TRUE_FALSE.get(str(value).strip().lower(), value)


class StrictBooleanField(forms.NullBooleanField):
    widget = StrictBooleanWidget

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        raise ValidationError("Give true or false.", code="invalid")


# What a list's filter offers for "do not filter on this": a word, not "---------" or "Unknown".
ANY = "Any"


def _say_any(field: forms.Field) -> None:
    """Name the empty choice of a choice or yes/no filter "Any"."""
    if getattr(field, "empty_label", None) == django_filters.conf.settings.EMPTY_CHOICE_LABEL:
        field.empty_label = ANY  # type: ignore[attr-defined]
        # The widget's list of choices reads the label when drawn, but from the field it was
        # copied from (a form copies its widget shallowly): point it at this field's list.
        field.widget.choices = field.choices  # type: ignore[attr-defined]
    widget = field.widget
    if isinstance(widget, BooleanWidget):
        widget.choices = [("", ANY), *[c for c in widget.choices if c[0] != ""]]


# A condition over a range of moments [start, end), either end open (None): an app's selector.
Narrow = Callable[[QuerySet, datetime | None, datetime | None], QuerySet]
AFTER, BEFORE = "_after", "_before"


class DayFilter(PlausibleDateFilter):
    """One end of a range of whole days, `<x>_after` (the first day) or `<x>_before` (the
    last day, included). It narrows nothing alone: the FilterSet applies the pair with one
    condition, so that both ends hold for the same row (the same approval, the same mark)."""

    def __init__(self, *args, phrase: str, narrow: Narrow, **kwargs):
        super().__init__(*args, **kwargs)
        self.phrase, self.narrow = phrase, narrow

    def filter(self, qs, value):
        return qs  # see PortalFilterSet.filter_queryset


def day_range(phrase: str, narrow: Narrow) -> tuple[DayFilter, DayFilter]:
    """`<x>_after` and `<x>_before`, both days included, in the portal's time zone:
    `reviewed_after, reviewed_before = day_range("Reviewed", selectors.reviewed_between)`."""
    return (
        DayFilter(phrase=phrase, narrow=narrow, label=f"{phrase} from"),
        DayFilter(phrase=phrase, narrow=narrow, label=f"{phrase} until"),
    )


@extend_schema_field(OpenApiTypes.INT)  # the id (a filter by method hides the column)
class ScopeFilter(django_filters.ModelChoiceFilter):
    """`objective=<id>` or `service=<id>`: the dashboard's scope (docs/metrics.md, "Scope"),
    narrowed by the FilterSet's `in_scope(queryset, name, value)`, which calls its app's
    `selectors.in_scope`, as the dashboard's numbers are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "in_scope")
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class AutocompleteScopeFilter(AutocompleteFilter):
    """A `ScopeFilter` chosen by search-as-you-type (a list's visible service filter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "in_scope")
        super().__init__(*args, **kwargs)


@dataclass
class DrillFilters:
    """What a list shows of its drill-only filters: a phrase for each that is on, the errors
    of those it could not read, the query string without them (the "clear" link) and their
    values (kept as hidden fields when the visible filters change)."""

    phrases: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    clear_query: str = ""
    kept: list[tuple[str, str]] = dataclasses.field(default_factory=list)


class PortalFilterSet(django_filters.FilterSet):
    # Dates a person could mean, on every filter built from a model field (itsm_pmo/dates.py).
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": PlausibleDateTimeFilter},
        models.DateField: {"filter_class": PlausibleDateFilter},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.NumberFilter):
                # A number no column holds is bad input, not a database overflow (a 500).
                filter_.extra.setdefault("min_value", -BIGGEST)
                filter_.extra.setdefault("max_value", BIGGEST)
                filter_.__dict__.pop("_field", None)
            if isinstance(filter_, django_filters.BooleanFilter):
                # Each instance has its own copy of the filters: this one is ours to change.
                filter_.field_class = StrictBooleanField
                filter_.__dict__.pop("_field", None)
                filter_.extra["widget"] = StrictBooleanWidget()
        for field in self.form.fields.values():
            widget = field.widget
            _say_any(field)
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else (
                    "form-check-input"
                    if isinstance(widget, forms.CheckboxInput)
                    else "form-control form-control-sm"
                )
            )
            widget.attrs.setdefault("class", css)

    # Filters the dashboard's links set but the filter bar does not show (day ranges are
    # drill-only too): shown as a line of words instead.
    drill_only: ClassVar[tuple[str, ...]] = ()

    def _day_ranges(self) -> dict[str, DayFilter]:
        """{prefix: its `_after` filter} of each pair of DayFilters."""
        return {
            name.removesuffix(AFTER): f
            for name, f in self.filters.items()
            if isinstance(f, DayFilter) and name.endswith(AFTER)
        }

    def _hidden(self) -> list[str]:
        days = [prefix + end for prefix in self._day_ranges() for end in (AFTER, BEFORE)]
        return [*days, *self.drill_only]

    def day_range_given(self) -> bool:
        """Whether any day range filters the list (a valid day at either end)."""
        if not self.is_bound:
            return False
        self.is_valid()  # cleaned_data then holds the values that could be read
        cleaned = self.form.cleaned_data
        return any(cleaned.get(name) for name in self._hidden() if name.endswith((AFTER, BEFORE)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for prefix, ends in self._day_ranges().items():
            first = self.form.cleaned_data.get(prefix + AFTER)
            last = self.form.cleaned_data.get(prefix + BEFORE)
            if first or last:
                queryset = ends.narrow(queryset, *day_bounds(first, last))
        return queryset

    @property
    def bar_fields(self) -> list[forms.BoundField]:
        """The form's fields the filter bar shows: all but the drill-only ones."""
        hidden = set(self._hidden())
        return [self.form[name] for name in self.form.fields if name not in hidden]

    @property
    def drill(self) -> DrillFilters:
        if not self.is_bound:
            return DrillFilters()
        hidden = self._hidden()
        errors = self.form.errors  # validates the form: cleaned_data holds the good values
        cleaned = self.form.cleaned_data
        phrases = [
            f"{ends.phrase} {day_span(cleaned.get(prefix + AFTER), cleaned.get(prefix + BEFORE))}"
            for prefix, ends in self._day_ranges().items()
            if cleaned.get(prefix + AFTER) or cleaned.get(prefix + BEFORE)
        ]
        phrases += [
            _phrase(self.form.fields[name], cleaned[name])
            for name in self.drill_only
            if cleaned.get(name) not in (None, "", [], ())
        ]
        query = QueryDict(mutable=True)
        query.update(self.data)
        kept = [(name, value) for name in hidden for value in query.getlist(name) if value]
        for name in [*hidden, "page"]:
            query.pop(name, None)
        return DrillFilters(
            phrases=phrases,
            errors=[
                f"{self.form.fields[name].label}: {error}"
                for name in hidden
                for error in errors.get(name, [])
            ],
            clear_query=query.urlencode(),
            kept=kept,
        )


def _phrase(form_field: forms.Field, value: Any) -> str:
    """A filter that is on, in words: "Failed or caused an incident", "Outcome: Failed",
    "Objective: Grow online sales"."""
    label = str(form_field.label)
    if isinstance(value, bool):
        return label if value else f"Not: {label[0].lower()}{label[1:]}"
    if isinstance(value, models.Model):
        return f"{label}: {value}"
    if isinstance(value, date):
        return f"{label} {short_date(value)}"
    choices = dict(getattr(form_field, "choices", ()))
    values = value if isinstance(value, list | tuple) else [value]
    return f"{label}: " + ", ".join(str(choices.get(v, v)) for v in values)


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter for the API: a list's filters apply to the list only (one object is
    found by its id, whatever the query string says), and a FilterSet made from a viewset's
    `filterset_fields` is a PortalFilterSet, as strict as the declared ones."""

    filterset_base = PortalFilterSet

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)
