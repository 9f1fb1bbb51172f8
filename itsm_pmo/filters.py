"""The base FilterSet: Bootstrap-styled fields, so every filter bar looks the same, and strict
values, so a filter the API cannot read is a 400 naming it, never silently dropped."""

from datetime import date
from functools import cached_property
from urllib.parse import urlencode

import django_filters
import django_filters.conf
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import BooleanWidget

from .dates import PlausibleDateFilter, PlausibleDateTimeFilter, short_date

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


def day_range(label: str, first: date | None, last: date | None) -> str:
    """`Opened 1 Oct – 31 Dec 2026`, `Opened from 1 Oct`, `Opened until 31 Dec`."""
    if first and last:
        return f"{label} {short_date(first)} – {short_date(last)}"
    return f"{label} from {short_date(first)}" if first else f"{label} until {short_date(last)}"


class PortalFilterSet(django_filters.FilterSet):
    # Dates a person could mean, on every filter built from a model field (itsm_pmo/dates.py).
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": PlausibleDateTimeFilter},
        models.DateField: {"filter_class": PlausibleDateFilter},
    }
    # Filters a drill-down link sets (from the dashboard) that the filter bar does not offer:
    # kept as hidden inputs, so filtering further keeps them, and described above the list
    # ("Filtered by …", `drill_summary`) with a link that clears them, so whoever lands on a
    # short list knows why. A `<x>_after`/`<x>_before` pair reads as one day range.
    drill_only: tuple[str, ...] = ()

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
        # After the filters are set up above: reading `self.form` builds it from them.
        for name in self.drill_only:
            self.form.fields[name].widget = forms.HiddenInput()

    @cached_property
    def drill_summary(self) -> list[str]:
        """The drill-only filters in force, each as a phrase ("Opened 1 Oct – 31 Dec",
        "During early-life support"); empty when none or when the query is refused."""
        if not self.drill_only or not self.is_bound or not self.form.is_valid():
            return []
        values = self.form.cleaned_data
        phrases, done = [], set()
        for name in self.drill_only:
            if name in done or values.get(name) in (None, "", []):
                continue
            stem, _, end = name.rpartition("_")
            if end in ("after", "before") and stem:
                first, last = values.get(f"{stem}_after"), values.get(f"{stem}_before")
                done |= {f"{stem}_after", f"{stem}_before"}
                phrases.append(day_range(self.range_label(stem), first, last))
            else:
                phrases.append(self.describe(name, values[name]))
        return phrases

    def range_label(self, stem: str) -> str:
        """How a day range reads: `opened` → "Opened"; a subclass may say better."""
        return stem.replace("_", " ").capitalize()

    def describe(self, name: str, value) -> str:
        """How one drill-only filter reads: its choice's label, else "Label: value"."""
        field = self.form.fields[name]
        if isinstance(value, models.Model):  # its name, not a read of every choice
            return f"{field.label}: {value}"
        choices = dict(getattr(field, "choices", ()) or ())
        if str(value) in {str(key) for key in choices}:
            return str({str(k): v for k, v in choices.items()}[str(value)])
        return f"{field.label}: {value}"

    @cached_property
    def drill_clear_query(self) -> str:
        """The query string without the drill-only filters (the visible ones kept)."""
        if self.data is None:
            return ""
        values = getattr(self.data, "getlist", lambda key: [self.data[key]])
        kept = [
            (key, value)
            for key in self.data
            if key not in self.drill_only and key != "page"
            for value in values(key)
        ]
        return urlencode(kept)


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter for the API: a list's filters apply to the list only (one object is
    found by its id, whatever the query string says), and a FilterSet made from a viewset's
    `filterset_fields` is a PortalFilterSet, as strict as the declared ones."""

    filterset_base = PortalFilterSet

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)
