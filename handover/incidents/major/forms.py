"""Forms of the major-incident pages: declare, post to the timeline, engage someone, the
review, an action, a move."""

from django import forms

from itsm_pmo.autocomplete import AutocompleteSelect
from itsm_pmo.forms import BootstrapMixin, DayInput
from itsm_pmo.text import LONG_TEXT
from resources.selectors import people

from .choices import Audience, EngagementRole, UpdateKind


def _person_field(label: str, help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=people().filter(active=True),
        label=label,
        help_text=help_text,
        empty_label="Choose a person",
        widget=AutocompleteSelect(url_name="major:filter_options"),
        error_messages={
            "required": f"{label}: choose a person.",
            "invalid_choice": f"{label}: choose a person from the list.",
        },
    )


class DeclareForm(BootstrapMixin, forms.Form):
    summary = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        label="What is happening",
        help_text="A few lines for the people you are about to call in.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UpdateForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=UpdateKind.choices,
        initial=UpdateKind.UPDATE,
        label="Kind",
        help_text="An update for the team, or a communication sent to an audience.",
    )
    audience = forms.ChoiceField(
        choices=[("", "—"), *Audience.choices],
        required=False,
        label="Sent to",
        help_text="For a communication: who received it.",
    )
    text = forms.CharField(
        max_length=LONG_TEXT,
        label="Text",
        help_text="What changed, or what was said.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Text: write what changed, or what was said."},
    )


class EngagementForm(BootstrapMixin, forms.Form):
    person = _person_field("Person", "Type a name to find them.")
    role = forms.ChoiceField(
        choices=EngagementRole.choices,
        initial=EngagementRole.RESOLVER,
        label="Role",
        help_text="What they do on this incident.",
    )


class ReviewForm(BootstrapMixin, forms.Form):
    what_happened = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        label="What happened",
        help_text="The sequence of events, from the first signal to service restored.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    impact = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        label="Impact",
        help_text="Who could not do what, for how long; money or data lost.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    root_cause = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        label="Root cause",
        help_text="Why it happened, not only what broke.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(BootstrapMixin, forms.Form):
    description = forms.CharField(
        max_length=300,
        label="Action",
        help_text="What will be done so it does not happen again.",
        error_messages={"required": "Action: say what is to be done."},
    )
    owner = _person_field("Owner", "Who sees it through.")
    due_on = forms.DateField(
        label="Due",
        widget=DayInput(),
        help_text="When it is due.",
        error_messages={
            "required": "Due: give the date it is due.",
            "invalid": "Due: give a date.",
        },
    )


class MoveForm(forms.Form):
    to = forms.CharField(max_length=30)
    comment = forms.CharField(required=False, max_length=LONG_TEXT)


class ActionDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
