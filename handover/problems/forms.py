"""Forms of the problem pages: the problem form, a move, and an incident to group."""

from django import forms

from changes.selectors import configuration_item_catalogue
from itsm_pmo.autocomplete import AutocompleteFilter, AutocompleteSelect
from itsm_pmo.forms import BootstrapMixin
from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import service_catalogue
from resources.selectors import people

from ..models import Problem

# Hundreds of items, thousands of people: searched as you type (`problems:filter_options`).
ITEM_SEARCH = AutocompleteFilter(
    queryset=configuration_item_catalogue(),
    search_fields=("name",),
    url_name="incidents:problem_options",
    empty_label="No item",
)
OWNER_SEARCH = AutocompleteFilter(
    queryset=people(),
    search_fields=("name",),
    url_name="incidents:problem_options",
    empty_label="Nobody yet",
)


class ProblemForm(BootstrapMixin, forms.ModelForm):
    """Open or edit a problem: what keeps breaking, where, and what is known of it."""

    incidents = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        help_text="The incidents to group, by id, comma-separated (from an incident's page).",
    )

    class Meta:
        model = Problem
        fields = [
            "title",
            "service",
            "configuration_item",
            "owner",
            "root_cause",
            "workaround",
            "fix",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "What keeps breaking?"}),
            "configuration_item": AutocompleteSelect(url_name="incidents:problem_options"),
            "owner": AutocompleteSelect(url_name="incidents:problem_options"),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
            "fix": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"configuration_item": "Configuration item"}
        help_texts = {
            "root_cause": "Why it happens, once the analysis has found it.",
            "workaround": "How the service desk restores service meanwhile. Written down, it "
            "makes this a known error, published as a knowledge article that the incident "
            "form suggests.",
        }
        error_messages = {"title": {"required": "Give the problem a short title."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_catalogue().order_by("name")
        self.fields["service"].empty_label = "Not known yet"
        self.fields["configuration_item"].queryset = configuration_item_catalogue()
        self.fields["configuration_item"].empty_label = "No item"
        self.fields["owner"].queryset = people()
        self.fields["owner"].empty_label = "Nobody yet"
        if self.instance.pk:
            del self.fields["incidents"]  # grouped and ungrouped from the problem's page

    def clean_incidents(self) -> list[int]:
        value = self.cleaned_data.get("incidents") or ""
        ids = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) < 12 for part in ids):
            raise forms.ValidationError("The incidents to group are ids, comma-separated.")
        return [int(part) for part in ids][:100]


class ProblemMoveForm(forms.Form):
    to = forms.CharField()
    comment = forms.CharField(required=False, max_length=LONG_TEXT)
    fix = forms.CharField(required=False, max_length=LONG_TEXT)


class IncidentNumberForm(forms.Form):
    """An incident to group under the problem, by its number (INC0000042) or id."""

    incident = forms.CharField(
        max_length=20,
        label="Incident number",
        help_text="INC number, as on the incident's page.",
        error_messages={"required": "Give the incident's number."},
    )
