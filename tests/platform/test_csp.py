"""The content security policy: every answer carries it, with no inline code allowed.

Pages are found from the URL configuration (every pattern without a parameter), so a page
added later is checked without being listed here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def _paths(patterns=None, prefix=""):
    """Every URL without a parameter, as a path to GET."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


PATHS = sorted(set(_paths()))


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split(None, 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_csp_page_list_is_generated_from_the_urls():
    # a guard on the generator itself: it finds pages of every app, the API and the admin
    for expected in ("/", "/portfolio/", "/changes/", "/api/me/", "/admin/", "/healthz"):
        assert expected in PATHS


@pytest.mark.parametrize("path", PATHS)
def test_csp_every_page_answers_with_the_policy(page_clients, path):
    # when a signed-in PMO lead opens the page (whatever it answers: 200, 302, 405…)
    response = page_clients("pmo_lead").get(path)
    # then the policy is there, with every directive as set and nothing inline
    found = directives(response)
    for name, value in EXPECTED.items():
        assert found.get(name) == value, (path, name, found.get(name))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]


def test_csp_anonymous_redirect_and_login_page_carry_it(client):
    assert "frame-ancestors 'none'" in client.get("/portfolio/")["Content-Security-Policy"]
    assert "form-action 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]


def test_csp_not_found_and_api_answers_carry_it(page_clients, api_clients):
    assert (
        "object-src 'none'"
        in page_clients("engineer").get("/no/such/page/")["Content-Security-Policy"]
    )
    assert "object-src 'none'" in api_clients("engineer").get("/api/me/")["Content-Security-Policy"]


def test_csp_a_page_answered_from_the_page_cache_carries_it(page_clients, settings):
    # given the page cache on and a page already kept
    settings.PAGE_CACHE_SECONDS = 60
    client = page_clients("pmo_lead")
    client.get("/portfolio/")
    # when the same page is asked again and answered from the cache
    again = client.get("/portfolio/")
    # then the policy is still there
    assert again.status_code == 200
    assert directives(again)["script-src"] == "'self'"
