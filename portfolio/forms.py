"""Forms of the portfolio pages (the API has its serializers; the rules live in services)."""

from django import forms
from django.db import transaction
from django.db.models import Q

from itsm_pmo.forms import BootstrapMixin
from resources.models import Person

from .choices import Stage
from .models import Milestone, Project, ProjectObjective, Risk, StrategicObjective


class ProjectForm(BootstrapMixin, forms.ModelForm):
    """Intake and edit: the project, what it serves, and what operations will need."""

    objectives = forms.ModelMultipleChoiceField(
        queryset=StrategicObjective.objects.filter(active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Hold Ctrl (⌘ on a Mac) to pick several. Each counts at 100 %; fine-tune "
        "the percentages through the API.",
    )

    class Meta:
        model = Project
        # `objectives` is a declared field saved below, with its percentages; Django must not
        # save the many-to-many itself.
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
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "services": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active people, and the current owner even if they have since left.
        self.fields["owner"].queryset = Person.objects.filter(
            Q(active=True) | Q(pk=self.instance.owner_id)
        ).select_related("team")
        if self.instance.pk:
            self.initial["objectives"] = list(
                self.instance.objective_links.values_list("objective_id", flat=True)
            )

    @transaction.atomic
    def save(self, commit=True):
        project = super().save(commit=commit)
        chosen = set(self.cleaned_data.get("objectives") or [])
        links = {link.objective: link for link in project.objective_links.all()}
        # Only active objectives are on the form; links to retired ones stay as they are.
        project.objective_links.filter(objective__active=True).exclude(
            objective__in=chosen
        ).delete()
        ProjectObjective.objects.bulk_create(
            ProjectObjective(project=project, objective=o, contribution=100)
            for o in chosen
            if o not in links
        )
        return project


class ScoreForm(BootstrapMixin, forms.Form):
    """One criterion's score on the scores page."""

    value = forms.TypedChoiceField(
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

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
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "completed_on": forms.DateInput(attrs={"type": "date"}),
        }


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
    comment = forms.CharField(required=False, max_length=2000)
