"""Forms of the handover pages."""

from django import forms

from itsm_pmo.forms import BootstrapMixin
from itsm_pmo.text import LONG_TEXT
from resources.selectors import people

from .choices import CheckStatus
from .models import Handover


class HandoverForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Handover
        fields = [
            "service",
            "new_service_name",
            "receiving_team",
            "els_quiet_days",
            "els_max_priority",
            "els_effort_hours",
        ]
        labels = {
            "service": "Existing service",
            "els_quiet_days": "Quiet days to exit",
            "els_max_priority": "Counting priority (1–N)",
            "els_effort_hours": "ELS effort (h/week)",
        }

    def clean_els_max_priority(self):
        value = self.cleaned_data["els_max_priority"]
        if not 1 <= value <= 5:
            raise forms.ValidationError("A priority is from 1 (highest) to 5.")
        return value


class CheckForm(forms.Form):
    """One row of the checklist; the owner field only for planners (PMO lead, ITSM)."""

    status = forms.ChoiceField(choices=CheckStatus.choices)
    evidence_url = forms.CharField(required=False, max_length=500)
    waiver_reason = forms.CharField(required=False, max_length=LONG_TEXT)
    owner = forms.ModelChoiceField(queryset=people(), required=False)
