"""Team and people pages: bounded queries, filters, empty states."""

import pytest

from tests.factories import PersonFactory, PersonSkillFactory, TeamFactory
from tests.support.queries import assert_constant_queries

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
