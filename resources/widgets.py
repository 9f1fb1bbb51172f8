"""Select widgets for filters over many rows: options written in Python, not one template per
option, and a select that lists only the value chosen (the rest are reached by links)."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A select whose options are written in Python: a few hundred options in a millisecond."""

    def choices_for(self, value: list[str]):
        return self.choices

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        values = [str(v) for v in self.format_value(value)]
        attrs = self.build_attrs(self.attrs, attrs)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if key is None else str(getattr(key, "value", key)),
                    SafeString(" selected")
                    if str(getattr(key, "value", key) if key is not None else "") in values
                    else "",
                    label,
                )
                for key, label in self.choices_for(values)
            ),
        )
        attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


class ChosenOnlySelect(QuickSelect):
    """A model select over hundreds of rows that lists only the chosen one: the filter is set by
    following a link (a project's conflicts) and cleared here; validation still sees them all."""

    def choices_for(self, value: list[str]):
        queryset = self.choices.queryset
        chosen = [v for v in value if v.isdigit()]
        yield "", self.choices.field.empty_label or "Any"
        if chosen:
            for obj in queryset.filter(pk__in=chosen):
                yield obj.pk, str(obj)
