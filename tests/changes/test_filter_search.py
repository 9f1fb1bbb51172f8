"""The change list's search-as-you-type filters: implementer and project."""

import pytest

from tests.factories import PersonFactory, ProjectFactory

from .factories import ChangeFactory

pytestmark = pytest.mark.django_db


def test_change_filter_bar_lists_no_implementer_or_project_until_searched(page_clients):
    # given changes implemented by two people on two projects
    ann, bob = PersonFactory(name="Ann Impl"), PersonFactory(name="Bob Impl")
    first = ChangeFactory(implementer=ann, project=ProjectFactory(name="First"), title="A")
    ChangeFactory(implementer=bob, project=ProjectFactory(name="Second"), title="B")
    client = page_clients("itsm_manager")

    # when the list is opened, filtered by Ann, and Bob is searched for
    page = client.get("/changes/").content.decode()
    filtered = client.get(f"/changes/?implementer={ann.pk}")
    found = client.get("/changes/filter-options/implementer/?term=bob").content.decode()

    # then no person is offered in the bar, the filter keeps working, the search finds Bob
    assert ">Ann Impl</option>" not in page and ">Bob Impl</option>" not in page
    assert [c.pk for c in filtered.context["object_list"]] == [first.pk]
    assert f'value="{ann.pk}" selected' in filtered.content.decode()
    assert "Bob Impl" in found and "Ann Impl" not in found


def test_change_filter_by_team_and_service_is_searched_and_matches_the_api(
    page_clients, api_clients
):
    # given changes of two teams
    from tests.factories import TeamFactory

    ops, web = TeamFactory(name="Ops Search"), TeamFactory(name="Web Search")
    mine = ChangeFactory(team=ops, title="Ops change")
    ChangeFactory(team=web, title="Web change")
    service = mine.items.first().service
    client = page_clients("itsm_manager")

    # when the list and the API filter by the team, and teams and services are searched
    page = client.get(f"/changes/?team={ops.pk}")
    api = api_clients("itsm_manager").get(f"/api/changes/changes/?team={ops.pk}").json()
    teams = client.get("/changes/filter-options/team/?term=web").content.decode()
    services = client.get(f"/changes/filter-options/service/?term={service.name}")

    # then both show the team's change, and the searches find the other team and the service
    assert [c.title for c in page.context["object_list"]] == ["Ops change"]
    assert [r["title"] for r in api["results"]] == ["Ops change"]
    assert ">Web Search</option>" in teams and "Ops Search" not in teams
    assert f'value="{service.pk}" selected' in services.content.decode()
