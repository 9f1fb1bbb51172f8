"""Forms of the portfolio pages (the API has its serializers; the rules live in services)."""

import copy

from django import forms
from django.db.models import Q
from django.utils import timezone

from itsm_pmo.forms import BootstrapMixin, DayInput
from itsm_pmo.text import LONG_TEXT
from itsm_pmo.versioning import VersionedFormMixin
from resources.selectors import people

from .choices import Stage
from .models import Milestone, Project, Risk, Service, StrategicObjective
from .rules import ObjectiveLink


class ProjectForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    """Intake and edit: the project, what it serves, and what operations will need.

    It carries the version of the project it was loaded from (no lost update). It validates
    and hands over to `project_create` / `project_update`; it saves nothing
    itself. Its lists offer active objectives and people (and the current owner), while the
    fields accept any, so that a choice the rules refuse is refused by the service, in the
    same words as the API and the import."""

    objectives = forms.ModelMultipleChoiceField(
        queryset=StrategicObjective.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Hold Ctrl (⌘ on a Mac) to pick several. A new one counts at 100 %; "
        "fine-tune the percentages through the API.",
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "summary",
            "sponsor",
            "owner",
            "health",
            "services",
            "budget",
            "start_date",
            "end_date",
            "support_team",
            "support_effort_hours",
            "support_cover",
            "support_notes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "support_notes": forms.Textarea(attrs={"rows": 3}),
            "start_date": DayInput(),
            "end_date": DayInput(),
            "services": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(
            self.fields["objectives"],
            StrategicObjective.objects.filter(active=True),
        )
        self.fields["owner"].queryset = people().select_related("team")
        _offer(
            self.fields["owner"],
            people().filter(Q(active=True) | Q(pk=self.instance.owner_id)).select_related("team"),
        )
        if self.instance.pk:
            self.initial["objectives"] = list(
                self.instance.objective_links.filter(objective__active=True).values_list(
                    "objective_id", flat=True
                )
            )

    def project_fields(self) -> dict:
        """The project's own fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "services"}

    def objective_links(self) -> list[ObjectiveLink]:
        """The objectives picked, each keeping its percentage (100 % when new)."""
        return [ObjectiveLink(objective) for objective in self.cleaned_data["objectives"]]

    def chosen_services(self) -> list[Service]:
        return list(self.cleaned_data["services"])


def _offer(field: forms.ModelChoiceField, queryset) -> None:
    """List only `queryset` in the field's widget, while the field still accepts what it did
    (its own queryset): the rules about the rest are the service's to say."""
    offered = copy.copy(field)
    offered.queryset = queryset
    field.widget.choices = offered.choices


class ScoreForm(BootstrapMixin, forms.Form):
    """One criterion's score on the scores page."""

    value = forms.TypedChoiceField(
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    rationale = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criterion, **kwargs):
        self.criterion = criterion
        super().__init__(*args, **kwargs)
        self.fields["value"].label = criterion.name

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("rationale"):
            self.add_error("value", "Give a score with the rationale.")
        return data


class MilestoneForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "kind", "due_date", "completed_on"]
        widgets = {
            "due_date": DayInput(),
            "completed_on": DayInput(),
        }
        help_texts = {"completed_on": "The day it was done: from the project's start to today."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers no later day; the model refuses one all the same.
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class RiskForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "likelihood",
            "impact",
            "threatens_operations",
            "mitigation",
            "owner",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
            "likelihood": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "impact": forms.Select(choices=[(i, i) for i in range(1, 6)]),
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    comment = forms.CharField(required=False, max_length=LONG_TEXT)
