"""The base FilterSet: Bootstrap-styled fields, so every filter bar looks the same, and strict
values, so a filter the API cannot read is a 400 naming it, never silently dropped."""

from datetime import date

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


class PortalFilterSet(django_filters.FilterSet):
    # Dates a person could mean, on every filter built from a model field (itsm_pmo/dates.py).
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": PlausibleDateTimeFilter},
        models.DateField: {"filter_class": PlausibleDateFilter},
    }
    # Filters a drill-down link sets (the dashboard's) that the filter bar does not offer: the
    # bar carries them as hidden inputs and says they are on (`active_drill_filters`), with a
    # link that clears them, so a reader landing on a short list knows why it is short.
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

    def active_drill_filters(self) -> list[str]:
        """The drill-only filters the query sets, each as "Label: value" (or why it was
        refused), in the order `drill_only` names them."""
        named = [name for name in self.drill_only if self.data.get(name) not in (None, "")]
        if not named:
            return []
        form = self.form
        form.is_valid()  # cleaned once; the form keeps its result
        return [
            f"{form.fields[name].label}: "
            + (
                " ".join(form.errors[name])
                if name in form.errors
                else _value_text(form.fields[name], form.cleaned_data.get(name))
            )
            for name in named
        ]

    def without_drill_filters(self) -> str:
        """The query string less its drill-only filters and page: the "clear" link."""
        if not hasattr(self.data, "urlencode"):
            return ""
        query = self.data.copy()
        for name in (*self.drill_only, "page"):
            query.pop(name, None)
        return query.urlencode()

    def drill_hidden_inputs(self) -> list[tuple[str, str]]:
        """(name, value) of the drill-only filters the query sets: the filter bar's hidden
        inputs, so that changing a visible filter keeps them."""
        if not hasattr(self.data, "getlist"):
            return []
        return [
            (name, value)
            for name in self.drill_only
            for value in self.data.getlist(name)
            if value != ""
        ]


def _value_text(field: forms.Field, value: object) -> str:
    """A filter's cleaned value as a reader reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return short_date(value)
    choices = dict(getattr(field, "choices", ()) or ())
    if not isinstance(value, models.Model) and value in choices:
        return str(choices[value])
    return str(value)


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter for the API: a list's filters apply to the list only (one object is
    found by its id, whatever the query string says), and a FilterSet made from a viewset's
    `filterset_fields` is a PortalFilterSet, as strict as the declared ones."""

    filterset_base = PortalFilterSet

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)
