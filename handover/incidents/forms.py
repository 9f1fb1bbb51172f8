"""Forms of the incident pages: the quick log form, moves, work logs, problem links."""

from django import forms
from django.utils import timezone

from changes.selectors import changes
from itsm_pmo.autocomplete import AutocompleteFilter, AutocompleteSelect
from itsm_pmo.forms import BootstrapMixin, DayInput
from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import projects_visible_to, service_catalogue

from ..choices import Level
from ..models import Incident, Problem, WorkLog
from .services import CAN_CAUSE


class ChangeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class IncidentForm(BootstrapMixin, forms.ModelForm):
    """The short form: what broke, where, how bad. Everything else comes later."""

    impact = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        initial=Level.MEDIUM,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text="How widely does it hurt? 1 is many users or a whole service.",
    )
    urgency = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        initial=Level.MEDIUM,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text="How soon must it be fixed? 1 is now.",
    )
    caused_by_change = ChangeChoiceField(
        queryset=changes().none(),
        required=False,
        label="Caused by change",
        help_text="If a change broke it; its project is taken when you leave project empty.",
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "service",
            "project",
            "impact",
            "urgency",
            "description",
            "caused_by_change",
            "major",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"autofocus": True, "placeholder": "What is broken?"}),
        }
        labels = {"major": "Major incident"}
        help_texts = {
            "major": "Service-wide outage or serious business impact: it runs the "
            "major-incident process."
        }
        error_messages = {
            "service": {"required": "Say which service is affected."},
            "title": {"required": "Give the incident a short title."},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_catalogue().order_by("name")
        self.fields["project"].queryset = (
            projects_visible_to(user).order_by("code")
            if user is not None
            else self.fields["project"].queryset.none()
        )
        self.fields["project"].empty_label = "No project"
        self.fields["caused_by_change"].queryset = (
            changes().filter(state__in=CAN_CAUSE).order_by("-pk")
        )
        self.fields["caused_by_change"].empty_label = "No change"

    def clean(self):
        data = super().clean()
        if data.get("project") and "service" in self.errors:
            self.errors["service"] = self.error_class(
                ["Say which of the project's services is affected."]
            )
        return data


class TransitionForm(forms.Form):
    to = forms.CharField()
    resolution_notes = forms.CharField(required=False, max_length=LONG_TEXT)


class WorkLogForm(BootstrapMixin, forms.ModelForm):
    """Time worked: the day defaults to today and may not be later (the model's rule, so the
    API and this form refuse the same days in the same words)."""

    hours = forms.DecimalField(
        min_value=0.25,
        max_value=24,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )

    class Meta:
        model = WorkLog
        fields = ["day", "hours", "note"]
        widgets = {"day": DayInput()}

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"day": today})
        super().__init__(*args, **kwargs)
        # The browser's date picker offers no later day; the model refuses one all the same.
        self.fields["day"].widget.attrs["max"] = today.isoformat()


# Hundreds of problems: the problem to group an incident under is searched as you type.
PROBLEM_SEARCH = AutocompleteFilter(
    queryset=Problem.objects.all(),
    search_fields=("number", "title"),
    url_name="incidents:filter_options",
    empty_label="No problem",
)


class ProblemLinkForm(BootstrapMixin, forms.Form):
    problem = forms.ModelChoiceField(
        queryset=Problem.objects.all(),
        required=False,
        empty_label="No problem",
        widget=AutocompleteSelect(url_name="incidents:filter_options"),
    )
