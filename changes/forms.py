"""Forms of the change pages."""

from django import forms

from itsm_pmo.forms import BootstrapMixin
from itsm_pmo.text import LONG_TEXT
from itsm_pmo.versioning import VersionedFormMixin

from .choices import Decision, Outcome, Risk
from .models import ChangeRequest, ChangeTemplate
from .services import change_plan_problems

LOCAL_MINUTES = "%Y-%m-%dT%H:%M"


class WindowInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_MINUTES, **kwargs)


class ChangeForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ChangeRequest
        fields = [
            "title",
            "change_type",
            "template",
            "category",
            "description",
            "project",
            "implementer",
            "team",
            "items",
            "planned_start",
            "planned_end",
            "effort_hours",
            "backout_plan",
            "test_plan",
        ]
        widgets = {
            "planned_start": WindowInput(),
            "planned_end": WindowInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "backout_plan": forms.Textarea(attrs={"rows": 3}),
            "test_plan": forms.Textarea(attrs={"rows": 3}),
            "items": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "planned_start": "Window starts",
            "planned_end": "Window ends",
            "items": "Configuration items touched",
            "template": "Standard template",
        }
        help_texts = {
            "template": "A standard change comes from a pre-approved template and skips the CAB.",
            "items": "The impact follows their dependencies to the services they carry.",
            "effort_hours": "Counted on the implementer's week as operational work.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChangeTemplate.objects.filter(active=True)
        for name in ("planned_start", "planned_end"):
            self.fields[name].input_formats = [LOCAL_MINUTES, "%Y-%m-%d %H:%M"]
        self.fields["items"].queryset = self.fields["items"].queryset.select_related("service")
        self.fields["implementer"].queryset = (
            self.fields["implementer"].queryset.select_related("team").order_by("name")
        )

    def clean(self):
        data = super().clean()
        # The service's rule (changes/rules.py), shown next to the fields it names.
        fields = {
            name: data.get(name)
            for name in ("change_type", "template", "planned_start", "planned_end")
            if name in self.fields
        }
        problems = change_plan_problems(
            fields=fields,
            items=data.get("items"),
            change=self.instance if self.instance.pk else None,
        )
        for field, reason in problems.items():
            self.add_error(field if field in self.fields else None, reason)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    comment = forms.CharField(required=False, max_length=LONG_TEXT)


class RiskOverrideForm(BootstrapMixin, forms.Form):
    level = forms.ChoiceField(
        choices=[("", "Assessed (no override)"), *Risk.choices], required=False, label="Risk"
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT)


class ReviewForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    incidents_caused = forms.IntegerField(min_value=0, initial=0)
    notes = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
