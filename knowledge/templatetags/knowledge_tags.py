"""Template filters of the knowledge base: `{{ lesson.what_happened|markdown }}`."""

from django import template

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)
