"""Markdown of lessons and articles becomes safe HTML: the structure authors write stays, and
nothing that could run, restyle the page or load another page does."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from knowledge.rendering import render_markdown

from .factories import LessonFactory

RUNBOOK = """\
## Steps

1. Drain the node.
2. Patch it.

- first point
- second point

| step | time |
| --- | --- |
| restore | 4 h |

```
kubectl drain node-1 --ignore-daemonsets
```

Run `patronictl list` and read [the vendor note](https://example.org/kb/42).
"""


def test_render_markdown_keeps_headings_lists_tables_and_code():
    # when
    html = render_markdown(RUNBOOK)

    # then
    assert "<h2>Steps</h2>" in html
    assert "<ol>\n<li>Drain the node.</li>" in html and "<ul>\n<li>first point</li>" in html
    assert "<table>" in html and "<th>step</th>" in html and "<td>4 h</td>" in html
    assert "<pre><code>kubectl drain node-1 --ignore-daemonsets\n</code></pre>" in html
    assert "<code>patronictl list</code>" in html
    assert isinstance(html, SafeString)


def test_render_markdown_keeps_https_and_mailto_links_with_rel_noopener():
    # when
    html = render_markdown("[kb](https://example.org/kb/42) and [mail](mailto:ops@example.org)")

    # then
    assert '<a href="https://example.org/kb/42" rel="noopener noreferrer nofollow">kb</a>' in html
    assert 'href="mailto:ops@example.org"' in html


def test_render_markdown_escapes_markup_inside_code():
    # when
    html = render_markdown("```\n<script>alert(1)</script>\n```")

    # then
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize(
    ("markdown", "gone", "kept"),
    [
        ("Before\n\n<script>alert('x')</script>\n\nAfter", ["<script", "alert"], ["After"]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"], []),
        (
            '<a href="https://example.org" onclick="steal()">go</a>',
            ["onclick", "steal"],
            ['href="https://example.org"'],
        ),
        ('<b onmouseover="x()">bold</b>', ["onmouseover"], ["<b>bold</b>"]),
        ("[click](javascript:alert(1))", ["javascript", "alert"], [">click</a>"]),
        ('<a href="javascript:alert(1)">raw</a>', ["javascript"], [">raw</a>"]),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", ["data:", "base64"], [">data</a>"]),
        ('<iframe src="https://evil.example.org"></iframe>', ["<iframe", "evil"], []),
        ("<style>body { display: none }</style>\n\nText", ["<style", "display"], ["Text"]),
        (
            '<p style="position: fixed; top: 0">styled</p>',
            ["style=", "position"],
            ["<p>styled</p>"],
        ),
        (
            '<form action="https://evil.example.org"><input name="pw"></form>',
            ["<form", "<input"],
            [],
        ),
    ],
)
def test_render_markdown_removes_what_could_run_or_restyle(markdown, gone, kept):
    # when
    html = render_markdown(markdown)

    # then
    for fragment in gone:
        assert fragment not in html, f"{fragment!r} survived in {html!r}"
    for fragment in kept:
        assert fragment in html, f"{fragment!r} lost from {html!r}"


@pytest.mark.parametrize("text", ["", None])
def test_render_markdown_of_nothing_is_empty(text):
    # when / then
    assert render_markdown(text) == ""


def test_markdown_filter_renders_in_a_template():
    # given
    template = Template("{% load knowledge_tags %}{{ text|markdown }}")

    # when
    html = template.render(Context({"text": "## Hi\n\n<script>x()</script>"}))

    # then
    assert "<h2>Hi</h2>" in html and "<script" not in html


def test_render_markdown_many_is_cached_by_the_text_itself(monkeypatch):
    # given two texts rendered once as a list
    from knowledge import rendering

    texts = ["**Bold** advice", "A [link](https://example.org)", "**Bold** advice"]
    first = rendering.render_markdown_many(texts)
    assert first == [rendering.render_markdown(t) for t in texts]
    # when they are asked for again, and one of them has been edited
    calls = []
    real = rendering.render_markdown
    monkeypatch.setattr(rendering, "render_markdown", lambda t: calls.append(t) or real(t))
    again = rendering.render_markdown_many([texts[0], "**Bold** advice, edited", ""])
    # then only the edited (and the new empty) text is rendered; the rest come from the cache
    assert calls == ["**Bold** advice, edited", ""]
    assert again[0] == first[0] and "edited" in again[1] and again[2] == ""


@pytest.mark.django_db
def test_the_lessons_api_list_renders_each_lesson_once_per_edit(api_clients):
    # given a published lesson listed once
    from knowledge import rendering

    lesson = LessonFactory(published=True, what_happened="It *broke*", recommendation="Fix it")
    client = api_clients("engineer")
    assert (
        client.get("/api/knowledge/lessons/").json()["results"][0]["what_happened_html"]
        == "<p>It <em>broke</em></p>"
    )
    # when the lesson is edited and listed again
    lesson.what_happened = "It *broke* twice"
    lesson.save()
    body = client.get("/api/knowledge/lessons/").json()["results"][0]
    # then the list shows the new text's HTML (the cache is keyed by the text)
    assert body["what_happened_html"] == str(rendering.render_markdown("It *broke* twice"))
