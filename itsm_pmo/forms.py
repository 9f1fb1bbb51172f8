"""Form helpers every app shares."""

from django import forms
from django.core.exceptions import ValidationError


class DayInput(forms.DateInput):
    """The browser's date picker. It reads and sends ISO dates only: with the locale's
    format (06/12/2026) it would show an empty field, and saving the form would clear the
    date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on every widget, so forms render consistently."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def show_refusal(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, messages in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
