"""The dashboard's range and scope, as the page's filter bar and the API's query read them:
one form, so both refuse the same input with the same words."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from ..dates import PlausibleDateField
from ..forms import BootstrapMixin, DayInput
from .period import Period, Scope

# The ranges an executive asks for, by name; "custom" reads the two dates.
PRESETS = {
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "this_year": "This year to date",
    "last_12_months": "Last 12 months",
    "custom": "Custom dates",
}
LONGEST = 3 * 366  # days: three years; longer ranges say nothing a quarter's bars do not


def preset_period(name: str, today: date) -> Period:
    this_quarter = Period.quarter_of(today)
    if name == "last_quarter":
        return Period.quarter_of(this_quarter.start - timedelta(days=1))
    if name == "this_year":
        return Period(date(today.year, 1, 1), today)
    if name == "last_12_months":
        return Period(today.replace(year=today.year - 1) + timedelta(days=1), today)
    return this_quarter


def _choices(queryset) -> list[tuple[str, str]]:
    return [("", "Any")] + [(str(pk), name) for pk, name in queryset]


class DashboardForm(BootstrapMixin, forms.Form):
    range = forms.ChoiceField(choices=list(PRESETS.items()), required=False, label="Range")
    start = PlausibleDateField(required=False, widget=DayInput(), label="From")
    end = PlausibleDateField(required=False, widget=DayInput(), label="To")
    objective = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Strategic objective"
    )
    service = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        from portfolio import selectors

        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = _choices(selectors.objective_names())
        self.fields["service"].choices = _choices(selectors.service_names())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("range") != "custom" and (start or end) and not self.errors:
            # Dates typed without choosing "custom": they are what the user meant.
            data["range"] = "custom"
        if data.get("range") == "custom" and not self.errors:
            if not start:
                self.add_error("start", "Give the first day of the range.")
            if not end:
                self.add_error("end", "Give the last day of the range.")
            if start and end and end < start:
                self.add_error("end", "The range ends on or after its first day.")
            elif start and end and (end - start).days >= LONGEST:
                self.add_error("end", "Choose a range of at most three years.")
        return data

    def period(self) -> Period:
        """The period asked for (this quarter by default), narrowed to the scope chosen.
        Call after is_valid()."""
        data = self.cleaned_data
        scope = Scope(objective=data.get("objective"), service=data.get("service"))
        if data.get("range") == "custom":
            days = Period(data["start"], data["end"])
        else:
            days = preset_period(data.get("range") or "this_quarter", timezone.localdate())
        return Period(days.start, days.end, scope)
