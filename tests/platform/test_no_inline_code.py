"""No inline script, style element or event handler in any template: page data reaches JavaScript
through `data-` attributes and `json_script`, so a content security policy needs no
`unsafe-inline`."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
INLINE = {
    "script without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_templates_hold_no_inline_code(template):
    text = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.name}: {', '.join(found)}"
