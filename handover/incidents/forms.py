"""Forms of the incident pages: the quick log form, moves, work logs, problem links."""

from django import forms
from django.utils import timezone

from changes.selectors import changes, configuration_items
from itsm_pmo.autocomplete import AutocompleteFilter, AutocompleteSelect
from itsm_pmo.forms import BootstrapMixin, DayInput
from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import projects_visible_to, service_catalogue
from resources.selectors import people, teams

from ..choices import HoldReason, Level
from ..models import Incident, Problem, WorkLog
from .selectors import categories, subcategories
from .services import CAN_CAUSE


class ChangeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class OptionDataSelect(forms.Select):
    """A select whose options carry one `data-` attribute read from their row (`source` of
    the model instance): page data for a static script, no inline code."""

    def __init__(self, *, data: str, source, attrs=None):
        super().__init__(attrs)
        self.data, self.source = data, source

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"][f"data-{self.data}"] = self.source(instance) or ""
        return option


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


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
            # Classification and the queue (issue 17); the service decides each rule.
            "category",
            "subcategory",
            "configuration_item",
            "assignment_group",
            "assignee",
        ]
        field_classes = {"subcategory": CategoryChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"autofocus": True, "placeholder": "What is broken?"}),
        }
        labels = {"major": "Major incident", "configuration_item": "Configuration item"}
        help_texts = {
            "major": "Service-wide outage or serious business impact: it runs the "
            "major-incident process.",
            "subcategory": "One of the category's own.",
            "configuration_item": "Optional: the item that broke, one of the service's.",
            "assignment_group": "The queue it lands in. Empty: the service's support group "
            "(else its owning team).",
            "assignee": "Optional: an active member of the assignment group.",
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
        self._queue_fields()

    def _queue_fields(self):
        """Category, subcategory (each option names its category, which the page's script
        filters by), the item and assignee searched as typed, the group proposed by the
        service (each service option names its group)."""
        fields = self.fields
        # Retired entries are not offered (an incident that has one keeps it: the service).
        fields["category"].queryset = categories().filter(active=True)
        fields["category"].empty_label = "No category"
        fields["subcategory"].queryset = subcategories().filter(active=True, parent__active=True)
        fields["subcategory"].queryset = fields["subcategory"].queryset.order_by(
            "parent__name", "name"
        )
        fields["subcategory"].widget = OptionDataSelect(
            data="category", source=lambda sub: sub.parent_id
        )
        fields["subcategory"].empty_label = "No subcategory"
        fields["service"].widget = OptionDataSelect(
            data="group", source=lambda s: s.support_group_id or s.owning_team_id
        )
        fields["assignment_group"].queryset = teams().order_by("name")
        fields["assignment_group"].empty_label = "The service's group"
        fields["assignee"].widget = AutocompleteSelect(url_name="incidents:filter_options")
        fields["assignee"].empty_label = "Nobody yet"
        fields["configuration_item"].widget = AutocompleteSelect(
            url_name="incidents:filter_options"
        )
        fields["configuration_item"].empty_label = "No item"
        for name in ("subcategory", "service", "assignee", "configuration_item"):
            fields[name].widget.choices = fields[name].choices
            fields[name].widget.attrs["class"] = "form-select"

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
    hold_reason = forms.CharField(required=False, max_length=20)


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


# Hundreds of configuration items: the one that broke is searched as you type.
CI_SEARCH = AutocompleteFilter(
    queryset=configuration_items(),
    search_fields=("name",),
    url_name="incidents:filter_options",
    empty_label="No item",
)


class TransitionHoldForm(forms.Form):
    """Why an incident waits: the reason its "Put on hold" move sends."""

    hold_reason = forms.ChoiceField(
        choices=[("", "Choose why it waits…"), *HoldReason.choices],
        required=False,
        label="Waiting for",
    )


class AssignForm(BootstrapMixin, forms.Form):
    """Reassign: the group (a team), someone of it or nobody, and why (recorded)."""

    group = forms.ModelChoiceField(
        queryset=teams().none(),
        label="Assignment group",
        error_messages={"required": "Choose the assignment group."},
    )
    person = forms.ModelChoiceField(
        queryset=people().none(),
        required=False,
        label="Assignee",
        empty_label="Nobody yet (the group's queue)",
        help_text="An active member of the group.",
        widget=AutocompleteSelect(url_name="incidents:filter_options"),
    )
    reason = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when it moves away from a person or a group (recorded).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = teams().order_by("name")
        self.fields["person"].queryset = people().filter(active=True)
        self.fields["person"].widget.choices = self.fields["person"].choices
