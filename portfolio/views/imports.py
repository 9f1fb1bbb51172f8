"""CSV import of projects: upload, preview with row-level errors, then all rows or none."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from itsm_pmo.workflow import require

from .. import csv_import
from ..permissions import may_import_projects
from .base import FormShownToWhoMay

# The checked file waits here between the preview and the confirmation, so what is imported
# is exactly what was previewed, without asking the browser to send it again.
SESSION_KEY = "portfolio_import_csv"

COLUMN_HELP = {
    "code": "Unique reference, e.g. PRJ-0042 (at most 20 characters).",
    "name": "The project's name.",
    "summary": "A few sentences on what it delivers.",
    "sponsor": "The executive who owns the business case.",
    "owner_email": "E-mail of the project manager; must be a person in the portal.",
    "health": "green, amber or red (green when blank).",
    "budget": "A number, e.g. 45000 or 45000.50.",
    "start_date": "YYYY-MM-DD.",
    "end_date": "YYYY-MM-DD, not before the start date.",
    "support_team": "Name of the team that will run it after go-live.",
    "support_effort_hours": "Support hours per week after go-live.",
    "support_cover": "business_hours, extended or 24x7.",
    "services": "Service names separated by ;",
    "objectives": "Objective name:percent (0–100), separated by ;",
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        validators=[
            FileExtensionValidator(
                ["csv", "txt"],
                message="Choose a .csv file. From a spreadsheet, use “Save as… CSV UTF-8”.",
            )
        ],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        # Read one byte past the limit: enough to refuse a large file without loading it.
        return csv_import.decode(self.cleaned_data["file"].read(csv_import.MAX_BYTES + 1))


class ImportUploadView(FormShownToWhoMay, PermissionRequiredMixin, FormView):
    """Upload a file and see what it would import, with every problem next to its row."""

    page_cache_exempt = True  # the upload waiting for confirmation lives in the session
    permission_required = "portfolio.view_project"
    template_name = "portfolio/import_upload.html"
    form_class = ImportForm
    refusal = "Only a PMO lead imports projects."

    def may_use_form(self) -> bool:
        return may_import_projects(self.request.user)

    def get_context_data(self, **kwargs):
        columns = [
            (name, name in csv_import.REQUIRED, COLUMN_HELP[name]) for name in csv_import.COLUMNS
        ]
        return super().get_context_data(
            columns=columns, example=csv_import.EXAMPLE_CSV, max_rows=csv_import.MAX_ROWS, **kwargs
        )

    def form_valid(self, form):
        # The preview is the form's next step: shown to whom the form is.
        require(self.may_use_form(), self.refusal)
        text = form.cleaned_data["file"]
        result = csv_import.preview(text)
        if result.ok:
            self.request.session[SESSION_KEY] = text
        else:
            self.request.session.pop(SESSION_KEY, None)
        return render_preview(self.request, result, file_name=self.request.FILES["file"].name)


class ImportConfirmView(PermissionRequiredMixin, View):
    page_cache_exempt = True
    """Import the previewed file: every project, or none when anything no longer checks.
    Who may import is `import_projects`'s to say."""

    permission_required = "portfolio.view_project"

    def get(self, request):
        return redirect("portfolio:import")

    def post(self, request):
        text = request.session.pop(SESSION_KEY, None)
        try:
            projects = csv_import.import_projects(
                file_text=text, by=request.user, digest_shown=request.POST.get("digest", "")
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) in (csv_import.NOTHING_WAITING, csv_import.OTHER_FILE):
                messages.error(request, exc.message)
                return redirect("portfolio:import")
            messages.error(request, "Nothing was imported: " + " ".join(exc.messages[:3]))
            return render_preview(request, csv_import.preview(text), confirmable=False)
        count = len(projects)
        messages.success(request, f"Imported {count} project{'' if count == 1 else 's'}.")
        return redirect("portfolio:project_list")


def render_preview(request, result, *, file_name: str = "", confirmable: bool = True):
    context = {
        "digest": csv_import.digest(request.session.get(SESSION_KEY, "")),
        "preview": result,
        "file_name": file_name,
        "row_count": len(result.rows),
        "error_count": len(result.errors),
        "broken_rows": sum(1 for row in result.rows if row.errors),
        "confirmable": confirmable and result.ok,
    }
    return render(request, "portfolio/import_preview.html", context)
