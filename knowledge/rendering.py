"""Markdown to HTML that is safe to put in a page.

Markdown lets authors write raw HTML, so the output is cleaned by an allow-list (nh3, the
ammonia sanitiser): no script or style, no event-handler attribute, no link whose scheme is not
http, https or mailto. Whatever a lesson or article says, nothing in it runs in a browser.

Rendering costs about a millisecond a text (most of it building the Markdown parser), so a
list of fifty lessons would spend 100 ms on it: the parser is built once per thread, and the
HTML of a text is cached by the text's digest (`render_markdown_many`), so an edit is a new
key and nothing needs invalidating."""

import hashlib
import html
import threading
from collections.abc import Callable, Sequence

import markdown as markdown_lib
import nh3
from django.core.cache import cache
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


# Bump when TAGS, ATTRIBUTES, URL_SCHEMES or EXTENSIONS change: cached HTML is then stale.
RENDERING_VERSION = 1
CACHE_SECONDS = 30 * 24 * 3600
_local = threading.local()


def _parser() -> markdown_lib.Markdown:
    """This thread's Markdown parser (building one costs more than converting a text)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = markdown_lib.Markdown(
            extensions=EXTENSIONS,
            output_format="html",
            # align="…" rather than a style attribute, which is cleaned
            extension_configs={"tables": {"use_align_attribute": True}},
        )
    return parser


def render_markdown(text: str) -> SafeString:
    """The HTML of `text` (Markdown), cleaned of anything that could run or phone home."""
    html = _parser().reset().convert(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by the allow-list above


def _cache_key(kind: str, text: str) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return f"knowledge:{kind}:{RENDERING_VERSION}:{digest}"


def _cached_many(kind: str, texts: Sequence[str], make: Callable[[str], str]) -> list[str]:
    """`make(text)` of each text, in order, from the cache where it was made before (one
    cache round trip for the lot; keyed by the text itself, so never stale)."""
    keys = [_cache_key(kind, text or "") for text in texts]
    found = cache.get_many(list(dict.fromkeys(keys)))
    made: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in found and key not in made:
            made[key] = str(make(text))
    if made:
        cache.set_many(made, CACHE_SECONDS)
    return [found[key] if key in found else made[key] for key in keys]


def render_markdown_many(texts: Sequence[str]) -> list[SafeString]:
    """`render_markdown` of each text, in order, cached by the text."""
    # Cleaned by the allow-list when rendered (here or in an earlier request).
    return [mark_safe(html) for html in _cached_many("md", texts, render_markdown)]  # noqa: S308


def plain_text(text: str, width: int = 240) -> str:
    """A Markdown text as one line of plain text, cut at a word: for excerpts in lists. The
    template escapes it like any other text."""
    return plain_texts([text], width)[0]


def plain_texts(texts: Sequence[str], width: int = 240) -> list[str]:
    """`plain_text` of each text, in order, cached by the text and the width."""
    return _cached_many(f"plain{width}", texts, lambda text: _plain_text(text, width))


def _plain_text(text: str, width: int) -> str:
    plain = html.unescape(strip_tags(render_markdown(text)))
    return Truncator(" ".join(plain.split())).chars(width)
