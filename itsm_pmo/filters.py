"""The base FilterSet: Bootstrap-styled fields, so every filter bar looks the same."""

import django_filters
from django import forms


class PortalFilterSet(django_filters.FilterSet):
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
