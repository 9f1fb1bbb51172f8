"""Forms of the resources pages."""

from django import forms

from itsm_pmo.forms import BootstrapMixin
from portfolio.models import Project

from .models import Allocation, Person, WorkKind


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
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
        }
        help_texts = {"project": "Only for project work."}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            people if people is not None else Person.objects.filter(active=True)
        )
        self.fields["project"].queryset = Project.objects.exclude(
            stage__in=["closed", "rejected"]
        ).order_by("code")
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
