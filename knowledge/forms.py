"""Forms of the knowledge pages. They check the input's shape; the services own the rules, and
their ValidationErrors come back onto these fields (views.common.add_service_errors)."""

from django import forms
from django.db.models import QuerySet

from itsm_pmo.forms import BootstrapMixin
from portfolio.selectors import service_catalogue

from .choices import ArticleKind, Impact, LessonCategory, SourceKind
from .models import LONGEST_TEXT

MARKDOWN_HINT = "Markdown: **bold**, _italic_, lists with -, headings with ##, links."


def _services():
    return service_catalogue().order_by("name")


def _title(placeholder: str) -> forms.CharField:
    return forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": placeholder})
    )


class KnowledgeForm(BootstrapMixin, forms.Form):
    """What a lesson's and an article's form share: a title, a service, and the hidden source
    fields (a project, change, incident or handover), used only when writing and limited to
    the rows the writer may see."""

    service = forms.ModelChoiceField(
        queryset=_services(), required=False, empty_label="Not about one service"
    )
    # (field, Bootstrap grid column) in the order the page shows them.
    layout: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args, sources: dict[str, QuerySet] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()
        self.sources = tuple(sources or ())
        for kind, rows in (sources or {}).items():
            self.fields[kind] = forms.ModelChoiceField(
                queryset=rows,
                required=False,
                widget=forms.HiddenInput,
                label=SourceKind(kind).label,
            )

    def service_fields(self) -> dict:
        """The cleaned data as the create / update service's keywords (no empty source)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not (name in self.sources and value is None)
        }

    def laid_out(self) -> list[tuple[forms.BoundField, str]]:
        """The visible fields with their grid columns, for the page."""
        return [(self[name], col) for name, col in self.layout]

    def source_errors(self) -> list[str]:
        """The errors of the hidden source fields, which show nowhere else."""
        return [
            f"{self.fields[kind].label}: {error}"
            for kind in self.sources
            for error in self.errors.get(kind, ())
        ]


class LessonForm(KnowledgeForm):
    """Write or edit a lesson."""

    layout = (
        ("title", "col-12"),
        ("category", "col-sm-4"),
        ("impact", "col-sm-4"),
        ("service", "col-sm-4"),
        ("what_happened", "col-12"),
        ("recommendation", "col-12"),
        ("tags", "col-12"),
    )

    title = _title("Book the vendor's cutover engineer two weeks ahead")
    category = forms.ChoiceField(choices=[("", "Choose a category"), *LessonCategory.choices])
    impact = forms.ChoiceField(
        choices=Impact.choices,
        initial=Impact.MEDIUM,
        help_text="How much it would cost the next team to miss it.",
    )
    service = forms.ModelChoiceField(
        queryset=_services(),
        required=False,
        empty_label="Not about one service",
        help_text="Work on the same service meets it first.",
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "dns, cutover, vendor"}),
        help_text="Comma-separated; at most ten. They become links others can browse.",
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=LONGEST_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HINT,
    )
    recommendation = forms.CharField(
        label="What to do next time",
        max_length=LONGEST_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HINT,
    )


class ArticleForm(KnowledgeForm):
    """Write or edit an article; its source can only be an incident (a known error)."""

    layout = (
        ("title", "col-12"),
        ("kind", "col-sm-4"),
        ("service", "col-sm-4"),
        ("next_review", "col-sm-4"),
        ("body", "col-12"),
    )

    title = _title("Restart the payment gateway without dropping sessions")
    kind = forms.ChoiceField(choices=ArticleKind.choices, initial=ArticleKind.HOW_TO)
    next_review = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When you check it is still true.",
    )
    body = forms.CharField(
        max_length=LONGEST_TEXT,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 18, "class": "form-control font-monospace"}),
    )
