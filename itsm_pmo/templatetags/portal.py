"""Filters every page uses (built in, no `{% load %}`): dates as people read them, user-written
names kept apart from the text around them, and the length a text field takes."""

import re

from django import forms, template
from django.apps import apps
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from itsm_pmo.dates import short_date

register = template.Library()


@register.filter
def day(value, option: str = ""):
    """`12 Mar`, or `12 Mar 2025` when not this year; `{{ d|day:"weekday" }}` adds `Tue`."""
    return short_date(value, weekday=option == "weekday")


@register.filter
def day_time(value, option: str = ""):
    """`12 Mar 14:30` (local time), with the year when not this year; `:"weekday"` adds it."""
    return short_date(value, weekday=option == "weekday", time=True)


@register.filter(is_safe=True)
def bdi(value):
    """A user-written name or title in `<bdi>`: right-to-left text (a Hebrew sponsor's name)
    cannot then pull the dates and numbers beside it into its own direction."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def prose_limit(bound_field) -> str:
    """A text area's limit as a form shows it ("10,000"); empty for other fields, whose
    limits (a name's 120 characters) the browser keeps without a word."""
    field = getattr(bound_field, "field", None)
    limit = getattr(field, "max_length", None)
    if not limit or not isinstance(field.widget, forms.Textarea):
        return ""
    return f"{limit:,}"


# A run of right-to-left letters (Hebrew, Arabic and their presentation forms), with the
# spaces and marks between its words.
RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
RTL_RUN = re.compile(f"[{RTL}](?:[{RTL}\\s.\\-]*[{RTL}])?")


@register.filter(is_safe=True)
def isolate_rtl(value):
    """A sentence the portal wrote around names (a conflict, a message after a save), with
    each right-to-left run in `<bdi>`: the names in it are not known one by one, but their
    right-to-left words are what would pull the hours and dates beside them out of order."""
    text = conditional_escape(value)
    return mark_safe(RTL_RUN.sub(lambda m: f"<bdi>{m.group(0)}</bdi>", text))


@register.simple_tag
def text_limit(model: str, field: str) -> int:
    """The most characters `app.Model`'s `field` takes, for a form written by hand."""
    return apps.get_model(model)._meta.get_field(field).max_length
