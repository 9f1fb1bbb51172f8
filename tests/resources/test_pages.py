"""Team and people pages: bounded queries, filters, empty states, no inline script."""

import re

import pytest

from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, PersonSkillFactory, TeamFactory
from tests.support.queries import assert_constant_queries

from .factories import AllocationFactory

pytestmark = pytest.mark.django_db


def test_team_list_queries_do_not_grow_with_teams(page_clients):
    client = page_clients("pmo_lead")
    TeamFactory.create_batch(3)

    def grow():
        for team in TeamFactory.create_batch(20):
            PersonFactory.create_batch(2, team=team)

    assert_constant_queries(lambda: client.get("/resources/teams/"), grow)


def test_team_detail_queries_do_not_grow_with_people(page_clients):
    client = page_clients("executive")
    team = TeamFactory()
    PersonSkillFactory(person__team=team)

    def grow():
        for _ in range(15):
            PersonSkillFactory(person__team=team)

    assert_constant_queries(lambda: client.get(team.get_absolute_url()), grow)


def test_team_list_filter_and_empty_states(page_clients):
    client = page_clients("engineer")
    assert b"No teams yet." in client.get("/resources/teams/").content
    TeamFactory(name="Database", kind="operations")
    filtered = client.get("/resources/teams/?kind=project")
    assert b"No team matches these filters." in filtered.content
    assert b"Database" in client.get("/resources/teams/?q=data").content


def test_person_page_shows_skills_with_levels(page_clients):
    ps = PersonSkillFactory(skill__name="Kubernetes", level=4)
    response = page_clients("executive").get(ps.person.get_absolute_url())
    assert response.status_code == 200
    assert b"Kubernetes" in response.content
    assert b'aria-label="Level 4 of 5"' in response.content


def test_team_list_paginates(page_clients):
    TeamFactory.create_batch(30)
    response = page_clients("executive").get("/resources/teams/?page=2")
    assert len(response.context["object_list"]) == 5
    assert b"26\xe2\x80\x9330 of 30" in response.content


def _scripts_and_head(html: str) -> tuple[list[str], str]:
    scripts = re.findall(r"<script\b[^>]*>", html)
    head = html.split("</head>", 1)[0]
    return scripts, head


def test_resources_pages_have_no_inline_script_and_a_clean_head(page_clients):
    # given a person with work, a conflict in the current picture and a team
    person = PersonFactory(contracted_hours=40)
    allocation = AllocationFactory(person=person, hours_per_week=50)
    compute_and_publish()
    client = page_clients("pmo_lead")
    pages = [
        "/resources/",
        "/resources/teams/",
        person.team.get_absolute_url(),
        person.get_absolute_url(),
        "/resources/conflicts/",
        "/resources/skills/",
        "/resources/allocations/new/",
        f"/resources/allocations/{allocation.pk}/edit/",
        f"/resources/allocations/{allocation.pk}/delete/",
    ]
    for url in pages:
        # when each page is opened
        html = client.get(url).content.decode()
        scripts, head = _scripts_and_head(html)
        # then every script is a file (data comes by json_script, which is not run), and no
        # table cell leaked into <head>
        assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts), url
        assert "<th" not in head, url


def test_conflict_list_ticks_belong_to_the_acknowledge_form(page_clients):
    # given an open conflict
    AllocationFactory(person=PersonFactory(contracted_hours=40), hours_per_week=50)
    compute_and_publish()
    # when a manager opens the list, then each tick submits with the acknowledge form
    html = page_clients("itsm_manager").get("/resources/conflicts/").content.decode()
    assert 'id="conflict-acknowledge"' in html
    assert 'form="conflict-acknowledge"' in html and 'data-check-all=".conflict-check"' in html
    # and an onlooker sees neither ticks nor the form
    html = page_clients("engineer").get("/resources/conflicts/").content.decode()
    assert "conflict-acknowledge" not in html and "conflict-check" not in html


def test_allocation_pages_refuse_who_does_not_plan_and_take_no_delete(page_clients):
    # given an allocation (planned by PMO leads)
    allocation = AllocationFactory()
    edit = f"/resources/allocations/{allocation.pk}/edit/"
    delete = f"/resources/allocations/{allocation.pk}/delete/"
    engineer, lead = page_clients("engineer"), page_clients("pmo_lead")
    # when an engineer posts to its pages (even an empty form), and anyone sends DELETE
    # then the engineer is refused before the form is read, DELETE is not a method of the page
    assert engineer.post(edit, {}).status_code == 403
    assert engineer.post(delete).status_code == 403
    assert lead.post(edit, {}).status_code == 200  # the form again, with its errors
    assert lead.delete(delete).status_code == 405
    # and the allocation is still there; the PMO lead's POST removes it
    assert lead.post(delete).status_code == 302
    assert not type(allocation).objects.filter(pk=allocation.pk).exists()
