"""The content security policy in a real browser: the main pages, with their scripts, htmx
swaps, charts and bars, run without a single violation (nothing inline, nothing evaluated,
nothing from elsewhere). Chromium reports each refusal as a `securitypolicyviolation` event
and a console error; both are collected."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from changes.models import ChangeRequest
from handover.models import Handover
from portfolio.models import Project
from resources.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " refused " + (e.blockedURI || "inline")
    + " at " + (e.sourceFile || "?") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The test's page, with every CSP violation and refusal in the console collected."""
    page.context.add_init_script(COLLECT)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.csp_console = console
    return page


def violations(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    return [f"{path}: {v}" for v in page.evaluate("window.__csp")]


def main_pages() -> list[str]:
    project = Project.objects.filter(handover__isnull=False).first() or Project.objects.first()
    handover = Handover.objects.first()
    return [
        "/",
        reverse("portfolio:index"),
        reverse("portfolio:ranking"),
        reverse("portfolio:project_list"),
        reverse("portfolio:project_create"),
        reverse("portfolio:project_detail", args=[project.pk]),
        reverse("resources:index"),
        reverse("resources:person_detail", args=[Person.objects.first().pk]),
        reverse("resources:conflict_list"),
        reverse("resources:skills_matrix"),
        reverse("changes:index"),
        reverse("changes:calendar"),
        reverse("changes:change_detail", args=[ChangeRequest.objects.first().pk]),
        reverse("handover:index"),
        reverse("handover:handover_detail", args=[handover.pk]),
        reverse("incidents:index"),
        reverse("knowledge:index"),
    ]


def test_csp_main_pages_run_without_a_violation(watched, demo, sign_in):
    # given the PMO lead signed in through the form (the form is under the policy too)
    sign_in(watched, "pmo_lead", "demo-pass")
    # when they open each main page and its htmx parts have loaded
    found = [v for path in main_pages() for v in violations(watched, path)]
    # and the ITSM manager the CAB's cards (their load bars) and the incident form
    watched.context.clear_cookies()
    sign_in(watched, "itsm_manager", "demo-pass")
    for path in (reverse("changes:cab"), reverse("incidents:incident_create")):
        found += violations(watched, path)
    # then the browser refused nothing
    assert not found, "\n".join(found)
    assert not watched.csp_console, "\n".join(watched.csp_console)


def test_csp_admin_and_api_docs_run_without_a_violation(watched, demo, sign_in):
    assert get_user_model().objects.get(username="admin").is_superuser
    sign_in(watched, "admin", "demo-pass")
    change = ChangeRequest.objects.first()
    paths = [
        "/admin/",
        "/admin/changes/changerequest/",
        f"/admin/changes/changerequest/{change.pk}/change/",
        "/api/docs/",
    ]
    found = [v for path in paths for v in violations(watched, path)]
    # Swagger UI has drawn the operations from the schema (its script ran)
    assert watched.locator(".opblock").first.is_visible()
    assert not found, "\n".join(found)
    assert not watched.csp_console, "\n".join(watched.csp_console)


def test_csp_an_inline_script_is_refused_and_seen(watched, demo, sign_in):
    # a guard on the two tests above: the policy is enforced and its refusals are collected
    sign_in(watched, "engineer", "demo-pass")
    watched.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    assert watched.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in watched.evaluate("window.__csp"))
