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
from .models import Benefit, Milestone, Project, ProjectCost, Risk, Service, StrategicObjective
from .rules import ObjectiveLink, contribution_problem


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
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Tick what the project serves and how much of it, 0–100 %; a new one "
        "left empty counts 100 %, an existing one keeps its percentage.",
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
        current: dict[int, int] = {}
        if self.instance.pk:
            current = dict(
                self.instance.objective_links.filter(objective__active=True).values_list(
                    "objective_id", "contribution"
                )
            )
            self.initial["objectives"] = list(current)
        # One percentage per objective offered, beside its box. The range is the rules' to
        # say (`clean`, in the words of the API and the import); the browser hints it.
        self.offered_objectives = list(StrategicObjective.objects.filter(active=True))
        for objective in self.offered_objectives:
            self.fields[contribution_field(objective.pk)] = forms.IntegerField(
                required=False,
                label=f"How much of “{objective}” it serves, in %",
                initial=current.get(objective.pk),
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm w-6rem",
                        "min": 0,
                        "max": 100,
                        "step": 1,
                    }
                ),
            )

    def clean(self):
        data = super().clean()
        for objective in data.get("objectives") or ():
            name = contribution_field(objective.pk)
            if problem := contribution_problem(objective, data.get(name)):
                self.add_error(name if name in self.fields else "objectives", problem)
        return data

    def objective_rows(self) -> list[tuple]:
        """(its box, its percentage field) for each objective offered, in the list's order."""
        rows = []
        for box in self["objectives"]:
            name = contribution_field(int(str(box.data["value"])))
            rows.append((box, self[name] if name in self.fields else None))
        return rows

    def project_fields(self) -> dict:
        """The project's own fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "services"}

    def objective_links(self) -> list[ObjectiveLink]:
        """The objectives ticked, each with the percentage given (none: it keeps its own, or
        counts 100 % when new). A percentage beside an objective not ticked is not a link."""
        return [
            ObjectiveLink(objective, self.cleaned_data.get(contribution_field(objective.pk)))
            for objective in self.cleaned_data["objectives"]
        ]

    def chosen_services(self) -> list[Service]:
        return list(self.cleaned_data["services"])


def contribution_field(objective_id: int) -> str:
    """The name of the project form's percentage field of an objective."""
    return f"contribution_{objective_id}"


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


# What a browser's date input reads and writes, whatever the site's display format.
ISO_DATE = "%Y-%m-%d"


class BenefitForm(BootstrapMixin, forms.ModelForm):
    """A benefit a project promises: what, how it is measured, the target, who owns it and
    when it is reviewed. It validates; `benefit_create` / `benefit_update` decide and write."""

    class Meta:
        model = Benefit
        fields = [
            "description",
            "measure",
            "target",
            "unit",
            "baseline_value",
            "target_value",
            "owner",
            "review_date",
        ]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)}
        labels = {"target": "Target (in words)", "target_value": "Target (number)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people().select_related("team")
        _offer(
            self.fields["owner"],
            people().filter(Q(active=True) | Q(pk=self.instance.owner_id)).select_related("team"),
        )


class BenefitEditForm(BenefitForm):
    """A benefit with what it delivered, to correct a realisation as well as the plan."""

    class Meta(BenefitForm.Meta):
        fields = [*BenefitForm.Meta.fields, "realised", "realised_value", "realised_on"]
        widgets = {
            **BenefitForm.Meta.widgets,
            "realised_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        }
        help_texts = {"realised": "In the benefit's measure; leave empty while not realised."}


class RealisationForm(BootstrapMixin, forms.Form):
    """What a benefit delivered and when it was measured (today unless said)."""

    realised = forms.CharField(
        required=False,
        max_length=Benefit._meta.get_field("realised").max_length,
        help_text="The value measured, in the benefit's measure (e.g. −22 %).",
    )
    realised_value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label="Realised (number)",
        help_text="The same value as a number, in the benefit's unit.",
    )
    realised_on = forms.DateField(
        required=False,
        label="Measured on",
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text="Today if left empty; not after today.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["realised_on"].initial = today
        self.fields["realised_on"].widget.attrs["max"] = today.isoformat()


class MonthInput(forms.DateInput):
    """A browser's month picker (`2026-03`); a typed full date is read too."""

    input_type = "month"

    def __init__(self):
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    """A month, kept as its first day: `2026-03` (the month picker) or a full ISO date (the
    service refuses a date that is not a 1st, saying which day to give)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class CostForm(BootstrapMixin, forms.ModelForm):
    """What a project spent in a month, of one kind; `cost_create` / `cost_update` decide."""

    month = MonthField(help_text="The month the cost falls in.")

    class Meta:
        model = ProjectCost
        fields = ["month", "kind", "amount", "note"]
        help_texts = {"amount": "Spent in the month, in the budget's currency."}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    comment = forms.CharField(required=False, max_length=LONG_TEXT)
