"""Forms of the resources pages."""

from django import forms

from itsm_pmo.forms import BootstrapMixin

from .models import Allocation, Person, WorkKind, project_model
from .services import CLOSED_STAGES


class AllocationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Allocation
        fields = [
            "person",
            "kind",
            "project",
            "hours_per_week",
            "start_date",
            "end_date",
            "tentative",
            "note",
        ]
        widgets = {
            # A date input takes ISO dates only; the locale's 30/11/2026 would show it empty.
            "start_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "end_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
        }
        help_texts = {"project": "Only for project work."}

    def __init__(self, *args, people=None, keep: Allocation | None = None, **kwargs):
        """`people`: the people offered (those the user plans); `keep`: the allocation being
        edited, whose own person and project stay valid choices even if no longer offered."""
        super().__init__(*args, **kwargs)
        people = people if people is not None else Person.objects.filter(active=True)
        projects = project_model().objects.exclude(stage__in=CLOSED_STAGES)
        if keep is not None and keep.pk:
            people = people | Person.objects.filter(pk=keep.person_id)
            projects = projects | project_model().objects.filter(pk=keep.project_id)
        self.fields["person"].queryset = people
        self.fields["project"].queryset = projects.order_by("code")
        self.fields["project"].required = False

    def clean(self):
        data = super().clean()
        kind, project = data.get("kind"), data.get("project")
        if kind == WorkKind.PROJECT and not project:
            self.add_error("project", "Project work needs a project.")
        if kind and kind != WorkKind.PROJECT and project:
            self.add_error(
                "project",
                "Operational work is not booked to a project; "
                "leave it empty or choose “Project work”.",
            )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return data
