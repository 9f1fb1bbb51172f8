"""Forms of the change pages."""

from django import forms
from django.utils import timezone

from itsm_pmo.forms import BootstrapMixin

from .choices import ChangeType, Decision, Outcome, Risk
from .models import ChangeRequest, ChangeTemplate

LOCAL_MINUTES = "%Y-%m-%dT%H:%M"


class WindowInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_MINUTES, **kwargs)


class ChangeForm(BootstrapMixin, forms.ModelForm):
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
        start, end = data.get("planned_start"), data.get("planned_end")
        if bool(start) != bool(end):
            self.add_error(
                "planned_end" if start else "planned_start",
                "Give both the start and the end of the window, or neither.",
            )
        elif start and end and end <= start:
            self.add_error("planned_end", "The window must end after it starts.")
        elif start and not self.instance.pk and start < timezone.now():
            self.add_error("planned_start", "A new change is planned in the future.")
        if data.get("change_type") == ChangeType.STANDARD and not data.get("template"):
            self.add_error("template", "A standard change is raised from a template.")
        if data.get("template") and data.get("change_type") != ChangeType.STANDARD:
            self.add_error("change_type", "A change from a template is a standard change.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    comment = forms.CharField(required=False, max_length=2000)


class RiskOverrideForm(BootstrapMixin, forms.Form):
    level = forms.ChoiceField(
        choices=[("", "Assessed (no override)"), *Risk.choices], required=False, label="Risk"
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReviewForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    incidents_caused = forms.IntegerField(min_value=0, initial=0)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
