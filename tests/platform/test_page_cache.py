"""Signed-in reads are answered again from the cache, and never once the data changed.

The worker's side (a snapshot published in another process makes pages stale) is held by
tests/resources/test_worker.py, which polls the conflicts API, kept like any read, until the
worker's conflict shows.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client

from itsm_pmo import page_cache
from portfolio.models import Project
from resources.models import Skill
from tests.factories import ProjectFactory
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db

PAGE = "/portfolio/projects/"
TOKEN = re.compile(rb'(csrfmiddlewaretoken" value=|X-CSRFToken": ?)"[^"]+"')


def without_tokens(content: bytes) -> bytes:
    """A page without its CSRF tokens, which are masked anew for every answer."""
    return TOKEN.sub(rb"\1", content)


def test_a_second_read_is_answered_from_the_cache(page_clients):
    # given a project and a PMO lead who has opened the list once
    ProjectFactory(name="Warehouse scanners")
    client = page_clients("pmo_lead")
    first = client.get(PAGE)
    # when the same page is opened again
    cold = queries_for(lambda: client.get(PAGE))
    second = client.get(PAGE)
    # then it is the same page, without rendering it again (only the user is read)
    assert "Warehouse scanners" in second.content.decode()
    assert without_tokens(second.content) == without_tokens(first.content)
    assert cold <= 2


def test_any_write_even_a_queryset_update_makes_the_page_stale(page_clients):
    # given a page that was kept
    project = ProjectFactory(name="Warehouse scanners")
    client = page_clients("pmo_lead")
    assert "Warehouse scanners" in client.get(PAGE).content.decode()
    # when the data changes by a path that sends no model signal
    Project.objects.filter(pk=project.pk).update(name="Dock scanners")
    # then the next read shows it
    html = client.get(PAGE).content.decode()
    assert "Dock scanners" in html and "Warehouse scanners" not in html


def test_a_write_elsewhere_leaves_the_page_kept(page_clients):
    # given the project list, kept
    ProjectFactory(name="Warehouse scanners")
    client = page_clients("pmo_lead")
    client.get(PAGE)
    # when a table the page never read is written (a skill is added to the catalogue)
    Skill.objects.create(name="Kubernetes")
    # then the page is still answered from the cache
    assert queries_for(lambda: client.get(PAGE)) <= 2
    # and a write to a table it read makes it stale
    ProjectFactory(name="Dock scanners")
    assert "Dock scanners" in client.get(PAGE).content.decode()


def test_a_read_is_kept_per_user(page_clients):
    # given the same page opened by two people
    pmo, engineer = page_clients("pmo_lead"), page_clients("engineer")
    pmo_page = pmo.get("/").content.decode()
    # then each sees their own (their name, their roles)
    engineer_page = engineer.get("/").content.decode()
    assert "pmo_lead_user" in pmo_page and "pmo_lead_user" not in engineer_page
    assert "engineer_user" in engineer_page


def test_the_minute_turning_renders_again(page_clients, monkeypatch):
    client = page_clients("pmo_lead")
    client.get(PAGE)
    assert queries_for(lambda: client.get(PAGE)) <= 2
    # when a minute has passed
    now = page_cache.time.time()
    monkeypatch.setattr(page_cache.time, "time", lambda: now + 61)
    # then the page is computed again
    assert queries_for(lambda: client.get(PAGE)) > 2


def test_a_kept_page_carries_the_readers_own_csrf_token(role_user):
    # given a browser that enforces CSRF, signed in, reading a page with a form twice
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("pmo_lead"))
    project = ProjectFactory()
    url = f"/portfolio/projects/{project.pk}/"
    client.get(url)
    html = client.get(url).content.decode()
    # then the token is a real one, never the placeholder it was kept with
    assert page_cache.PLACEHOLDER not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # and a POST with it passes the CSRF check (refused without it)
    refused = client.post(f"/portfolio/projects/{project.pk}/transition/", {"to": "x"})
    assert refused.status_code == 403
    allowed = client.post(
        f"/portfolio/projects/{project.pk}/transition/", {"to": "x", "csrfmiddlewaretoken": token}
    )
    assert allowed.status_code != 403 or b"CSRF" not in allowed.content


def test_messages_show_once_and_are_never_kept(page_clients):
    # given a page that was kept
    project = ProjectFactory(name="Warehouse scanners")
    client = page_clients("pmo_lead")
    url = f"/portfolio/projects/{project.pk}/"
    client.get(url)
    client.get(url)
    # when a message waits for the next page (no write came with it)
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "Saved once")]
    )
    # then the next read shows the message although the page was kept
    assert "Saved once" in client.get(url).content.decode()
    # and the one after does not
    assert "Saved once" not in client.get(url).content.decode()


def test_the_floor_and_refusals_are_never_kept(page_clients, api_clients):
    api = api_clients("engineer")
    api.get("/api/me/")
    assert queries_for(lambda: api.get("/api/me/")) >= 1
    # a page that does not exist is answered again each time, never from the cache
    client = page_clients("engineer")
    client.get("/portfolio/projects/999999/")
    assert queries_for(lambda: client.get("/portfolio/projects/999999/")) > 1


def test_reads_are_not_kept_when_switched_off(page_clients, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = page_clients("pmo_lead")
    client.get(PAGE)
    assert queries_for(lambda: client.get(PAGE)) > 2
