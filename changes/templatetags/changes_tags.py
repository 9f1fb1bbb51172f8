"""Template filters of change control: `{% if user|sits_on_cab %}` shows the CAB queue's tab."""

from django import template

from ..permissions import may_sit_on_cab

register = template.Library()


@register.filter
def sits_on_cab(user) -> bool:
    return may_sit_on_cab(user)
