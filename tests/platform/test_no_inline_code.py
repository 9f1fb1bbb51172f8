"""No inline script, style element, style attribute or event handler in any template: page data
reaches JavaScript through `data-` attributes and `json_script`, sizes and colours through
classes, so the content security policy (settings.SECURE_CSP) needs no `unsafe-inline`."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
INLINE = {
    "script without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_templates_hold_no_inline_code(template):
    text = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.name}: {', '.join(found)}"


def test_heatmap_cells_hold_no_style_attribute():
    # the heatmap's cells are built in Python, not in a template
    from datetime import date

    from resources.heatmap import cell_html
    from resources.selectors import Cell

    cell = Cell(week=date(2026, 1, 5), capacity=37.5, project=20, operational=10, tentative=0)
    html = cell_html(cell)
    assert "style=" not in html
    assert "split-65" in html  # 20 of 30 h are project work: 67 %, shown in 5 % steps
