"""Forms of the knowledge pages. They check the input's shape; the services own the rules, and
their ValidationErrors come back onto these fields (views.common.add_service_errors)."""

from django import forms

from itsm_pmo.forms import BootstrapMixin
from portfolio.models import Service

from .choices import ArticleKind, Impact, LessonCategory, SourceKind
from .models import LONGEST_TEXT, SOURCE_FIELDS

MARKDOWN_HINT = "Markdown: **bold**, _italic_, lists with -, headings with ##, links."


def _services():
    return Service.objects.order_by("name")


class LessonForm(BootstrapMixin, forms.Form):
    """Write or edit a lesson; the source fields are hidden and only used when writing."""

    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Book the vendor's cutover engineer two weeks ahead"}
        ),
    )
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

    def __init__(self, *args, sources: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()
        # One hidden field per source kind, limited to the rows the writer may see.
        for kind, rows in (sources or {}).items():
            self.fields[kind] = forms.ModelChoiceField(
                queryset=rows,
                required=False,
                widget=forms.HiddenInput,
                label=SourceKind(kind).label,
            )

    def service_fields(self) -> dict:
        """The cleaned data as lesson_create / lesson_update keywords."""
        data = dict(self.cleaned_data)
        data.pop("tags", None)
        for kind in SOURCE_FIELDS:
            if kind in data and data[kind] is None:
                data.pop(kind)
        return data

    def source_errors(self) -> list[str]:
        return [
            f"{self.fields[kind].label}: {error}"
            for kind in SOURCE_FIELDS
            if kind in self.errors
            for error in self.errors[kind]
        ]


class ArticleForm(BootstrapMixin, forms.Form):
    """Write or edit an article; the source incident is hidden and only used when writing."""

    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Restart the payment gateway without dropping sessions"}
        ),
    )
    kind = forms.ChoiceField(choices=ArticleKind.choices, initial=ArticleKind.HOW_TO)
    service = forms.ModelChoiceField(
        queryset=_services(), required=False, empty_label="Not about one service"
    )
    next_review = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When you check it is still true.",
    )
    body = forms.CharField(
        max_length=LONGEST_TEXT,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 18, "class": "form-control font-monospace"}),
    )

    def __init__(self, *args, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()
        if incidents is not None:
            self.fields["incident"] = forms.ModelChoiceField(
                queryset=incidents, required=False, widget=forms.HiddenInput, label="Incident"
            )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("incident", 0) is None:
            data.pop("incident")
        return data
