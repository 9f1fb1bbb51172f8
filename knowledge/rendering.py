"""Markdown to HTML that is safe to put in a page.

Markdown lets authors write raw HTML, so the output is cleaned by an allow-list (nh3, the
ammonia sanitiser): no script or style, no event-handler attribute, no link whose scheme is not
http, https or mailto. Whatever a lesson or article says, nothing in it runs in a browser."""

import html

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists"]


def render_markdown(text: str) -> SafeString:
    """The HTML of `text` (Markdown), cleaned of anything that could run or phone home."""
    html = markdown_lib.markdown(
        text or "",
        extensions=EXTENSIONS,
        output_format="html",
        # align="…" rather than a style attribute, which is cleaned
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by the allow-list above


def plain_text(text: str, width: int = 240) -> str:
    """A Markdown text as one line of plain text, cut at a word: for excerpts in lists. The
    template escapes it like any other text."""
    plain = html.unescape(strip_tags(render_markdown(text)))
    return Truncator(" ".join(plain.split())).chars(width)
