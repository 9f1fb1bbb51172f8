"""Names and titles people write render isolated (issue 15): inside `<bdi>` (the `bdi`
filter) or an element with `dir="auto"`, so right-to-left text cannot reorder the words,
dates and numbers around it (a Hebrew sponsor's name pulled the start date into the middle of
the project's header).

Found by construction: the role matrix's seeded rows get a Hebrew word in every name and
title (every free-text CharField called `name`, `title`, `…_name` or `sponsor`, and the
users' names); then every page of the portal (every GET pattern of the URL configuration) is
rendered for a superuser, who sees every panel and button, and each piece of text holding
Hebrew must sit inside an isolating element. A page or a template added later is checked
from the day it exists. The same crawl checks that every text area says its limit
(`maxlength`, which static/js/text_limit.js counts against)."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from rest_framework.test import APIClient

from itsm_pmo.templatetags.portal import bdi, isolate_rtl
from tests.factories import UserFactory
from tests.hostile.discovery import API_APPS, free_text_fields

from . import role_matrix_support as support

pytestmark = pytest.mark.django_db

HEBREW = "שלום"
RTL = re.compile("[\u0590-\u05ff]")
# Text between Unicode's isolate marks (FSI … PDI, as a rule's sentence puts a name) is
# isolated as if in <bdi>.
MARKED = re.compile("\u2068[^\u2069]*\u2069")
# Elements whose text is drawn apart from the text around it (an option of a list, the
# window's title, a field's value) or not drawn at all.
APART = {"title", "script", "style", "option", "textarea", "template"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Pages kept out, and why.
NOT_CRAWLED = {
    "logout": "signs the client out",
    "changes:calendar_feed": "an iCalendar file, not a page",
}


def name_fields(model) -> list[str]:
    """The model's names and titles: what people write to name a thing or a person."""
    return [
        name
        for name in free_text_fields(model)
        if isinstance(model._meta.get_field(name), CharField)
        and (name in ("name", "title", "sponsor") or name.endswith("_name"))
    ]


def make_names_hebrew() -> list[str]:
    """Prefix every name and title of every row with a Hebrew word; what was renamed."""
    renamed = []
    for app in API_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label.split(".")[1].startswith("Historical"):
                continue
            for field in name_fields(model):
                limit = model._meta.get_field(field).max_length
                rows = model._default_manager.exclude(**{field: ""})
                # keep within the limit: the prefix, a space and what fits of the old name
                for pk, old in rows.values_list("pk", field):
                    model._default_manager.filter(pk=pk).update(
                        **{field: f"{HEBREW} {old}"[:limit]}
                    )
                renamed.append(f"{model._meta.label}.{field}")
    User.objects.update(
        first_name=Concat(Value(HEBREW + " "), F("first_name")),
        last_name=Concat(Value("כהן "), F("last_name")),
    )
    return renamed


class Isolation(HTMLParser):
    """Collects the text holding right-to-left letters that no isolating element holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, isolates)
        self.loose: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        isolates = tag == "bdi" or tag in APART or attrs.get("dir") in ("auto", "rtl")
        self.stack.append((tag, isolates))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        loose = MARKED.sub("", data)
        if RTL.search(loose) and not any(isolates for _, isolates in self.stack):
            where = " > ".join(tag for tag, _ in self.stack[-4:])
            self.loose.append(f"{where}: {data.strip()[:80]!r}")


def loose_rtl_text(html: str) -> list[str]:
    parser = Isolation()
    parser.feed(html)
    return parser.loose


def test_the_checker_tells_isolated_text_from_loose_text():
    assert loose_rtl_text(f"<p>Owner <bdi>{HEBREW}</bdi> · 3 Mar</p>") == []
    assert loose_rtl_text(f'<p dir="auto">{HEBREW}</p>') == []
    assert loose_rtl_text(f"<select><option>{HEBREW}</option></select>") == []
    assert loose_rtl_text(f"<p>Owner {HEBREW} · 3 Mar</p>") == [f"p: 'Owner {HEBREW} · 3 Mar'"]
    assert loose_rtl_text(f"<p><bdi>a</bdi> {HEBREW}<br>x</p>") == [f"p: '{HEBREW}'"]
    assert loose_rtl_text(f"<p>\u2068{HEBREW}\u2069 is booked 50 h</p>") == []


def test_the_bdi_filter_isolates_and_escapes():
    assert bdi(f"<b>{HEBREW}</b>") == f"<bdi>&lt;b&gt;{HEBREW}&lt;/b&gt;</bdi>"
    assert bdi("") == "" and bdi(None) is None


def test_a_sentence_around_names_has_each_right_to_left_run_isolated_and_is_escaped():
    sentence = f"<i>דוד כהן</i> is booked 50.0 h, with {HEBREW}-2 and Ana."
    assert isolate_rtl(sentence) == (
        f"&lt;i&gt;<bdi>דוד כהן</bdi>&lt;/i&gt; is booked 50.0 h, with <bdi>{HEBREW}</bdi>-2 "
        "and Ana."
    )
    assert isolate_rtl("No names here (3 h).") == "No names here (3 h)."


def test_every_name_and_title_on_every_page_is_isolated():
    # given the seeded rows, every name and title of them in Hebrew
    users, objects = support.seed()
    renamed = make_names_hebrew()
    assert {"portfolio.Project.name", "portfolio.Project.sponsor", "resources.Person.name"} <= set(
        renamed
    )
    from resources.snapshot import compute_and_publish

    compute_and_publish()  # conflicts carry their subject's name as it now reads
    # when every page is rendered
    pages = crawl(objects)
    loose = {page: found for page, html in pages.items() if (found := loose_rtl_text(html))}
    # then no right-to-left text stands loose among the words around it
    assert len(pages) > 30
    report = "\n".join(f"{page}\n    " + "\n    ".join(sorted(set(t))) for page, t in loose.items())
    assert not loose, f'wrap these in |bdi (or dir="auto"):\n{report}'


def test_every_text_area_on_every_page_says_its_limit():
    # (the limit shown on the form, issue 15: text_limit.js counts against `maxlength`)
    users, objects = support.seed()
    pages = crawl(objects)
    unbounded = {
        page: areas
        for page, html in pages.items()
        if (areas := [a for a in re.findall(r"<textarea[^>]*>", html) if "maxlength=" not in a])
    }
    assert not unbounded, unbounded


def crawl(objects: dict) -> dict[str, str]:
    """{page: its HTML} for every page of the URL configuration, as a superuser sees it."""
    client = APIClient()
    client.raise_request_exception = False
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    pages = {}
    for endpoint in support.endpoints():
        if endpoint.method != "GET" or endpoint.key.startswith("/"):
            continue
        if endpoint.key in NOT_CRAWLED:
            continue
        url = support.url_for(endpoint, objects)
        answer = client.get(url)
        if answer.status_code == 200 and "html" in answer.get("Content-Type", ""):
            pages[f"{endpoint.key} ({url})"] = answer.content.decode()
    return pages
