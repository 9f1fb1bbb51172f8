"""The base FilterSet: Bootstrap-styled fields, so every filter bar looks the same."""

import django_filters
from django import forms
from django.db import models

from .dates import PlausibleDateFilter, PlausibleDateTimeFilter


class PortalFilterSet(django_filters.FilterSet):
    # Dates a person could mean, on every filter built from a model field (itsm_pmo/dates.py).
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": PlausibleDateTimeFilter},
        models.DateField: {"filter_class": PlausibleDateFilter},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
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
