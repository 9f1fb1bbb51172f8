"""Search-as-you-type filters (itsm_pmo/autocomplete.py) on the incident and handover lists:
the filter bar lists only the chosen project or person, the options endpoint finds the rest,
and the value still travels in the query string to the same FilterSet as the API."""

import pytest

from itsm_pmo.autocomplete import MAX_OPTIONS
from tests.factories import PersonFactory, ProjectFactory

from .factories import HandoverFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_incident_filter_bar_lists_only_the_chosen_project_and_person(page_clients):
    # given many projects and people, one incident on one of them
    projects = [ProjectFactory(name=f"Alpha {n}") for n in range(30)]
    people = [PersonFactory(name=f"Zed {n}") for n in range(30)]
    chosen = projects[7]
    IncidentFactory(project=chosen, title="Alpha down")
    client = page_clients("engineer")

    # when the list is opened filtered by that project
    page = client.get(f"/incidents/?project={chosen.pk}").content.decode()

    # then the chosen project is the only project offered, no person is listed, and the
    # search boxes point at the options endpoint
    assert f'<option value="{chosen.pk}" selected>{chosen}</option>' in page
    assert str(projects[8]) not in page and people[3].name not in page
    assert 'hx-get="/incidents/filter-options/project/"' in page
    assert 'hx-get="/incidents/filter-options/assignee/"' in page
    assert "Alpha down" in page


def test_incident_options_endpoint_finds_by_code_or_name_and_says_when_there_are_more(
    page_clients,
):
    # given more matching projects than one answer offers
    for n in range(MAX_OPTIONS + 5):
        ProjectFactory(code=f"PAY-{n:03d}", name=f"Payments {n}")
    other = ProjectFactory(code="HR-001", name="Payroll")
    client = page_clients("engineer")

    # when searching by name, by code and by nothing
    many = client.get("/incidents/filter-options/project/?term=payments").content.decode()
    one = client.get("/incidents/filter-options/project/?term=hr-0").content.decode()
    none = client.get("/incidents/filter-options/project/?term=zzz").content.decode()

    # then the answer is bounded, says there are more, and the best match comes selected
    assert many.count("<option value=") == MAX_OPTIONS + 2  # "Any", the matches, "more"
    assert "type more" in many
    assert f'<option value="{other.pk}" selected>HR-001 Payroll</option>' in one
    assert "Nothing matches" in none


def test_options_endpoint_refuses_other_fields_and_anonymous(client, page_clients):
    # given / when / then: only search filters answer, and only to readers of the list
    engineer = page_clients("engineer")
    assert engineer.get("/incidents/filter-options/state/").status_code == 404
    assert engineer.get("/incidents/filter-options/nope/").status_code == 404
    assert client.get("/incidents/filter-options/project/").status_code == 302


def test_incident_filter_by_person_shows_the_same_rows_on_page_and_api(page_clients, api_clients):
    # given two incidents assigned to different people
    ann, bob = PersonFactory(name="Ann Search"), PersonFactory(name="Bob Search")
    IncidentFactory(assignee=ann, title="Ann's incident")
    IncidentFactory(assignee=bob, title="Bob's incident")

    # when both the page and the API filter by Ann from the query string
    page = page_clients("engineer").get(f"/incidents/?assignee={ann.pk}")
    api = api_clients("engineer").get(f"/api/handover/incidents/?assignee={ann.pk}").json()

    # then both show Ann's incident only
    assert [i.title for i in page.context["object_list"]] == ["Ann's incident"]
    assert [r["title"] for r in api["results"]] == ["Ann's incident"]
    found = page_clients("engineer").get("/incidents/filter-options/assignee/?term=ann")
    assert "Ann Search" in found.content.decode() and "Bob Search" not in found.content.decode()


def test_handover_project_filter_is_searched(page_clients):
    # given handovers of two projects
    one, two = HandoverFactory(), HandoverFactory()
    client = page_clients("itsm_manager")

    # when filtering by the first and searching for the second
    page = client.get(f"/handover/?project={one.project_id}").content.decode()
    found = client.get(
        f"/handover/filter-options/project/?term={two.project.code}"
    ).content.decode()

    # then the bar offers only the chosen project, and the search finds the other
    assert f'value="{one.project_id}" selected' in page and str(two.project) not in page
    assert str(two.project) in found


def test_incident_page_offers_the_linked_problem_only_and_searches_the_rest(page_clients):
    # given an incident grouped under one of several problems
    from .factories import ProblemFactory

    problems = [ProblemFactory(title=f"Pool exhaustion {n}") for n in range(5)]
    incident = IncidentFactory(problem=problems[2])
    client = page_clients("itsm_manager")

    # when its page is opened and a problem searched for
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    found = client.get("/incidents/filter-options/problem/?term=exhaustion 4").content.decode()

    # then the form holds the linked problem only; the search finds another, which links
    assert f'<option value="{problems[2].pk}" selected>' in page
    assert f'<option value="{problems[3].pk}"' not in page
    assert f'<option value="{problems[4].pk}" selected>' in found
    client.post(f"/incidents/{incident.pk}/problem/", {"problem": problems[4].pk})
    incident.refresh_from_db()
    assert incident.problem_id == problems[4].pk


def test_incident_priority_filter_offers_any_so_a_search_keeps_every_priority(page_clients):
    # given incidents of two priorities
    IncidentFactory(title="High one", impact=1, urgency=1)
    IncidentFactory(title="Low one", impact=3, urgency=3)
    client = page_clients("engineer")

    # when the bar is submitted as it stands (every select on its first option)
    page = client.get("/incidents/?q=&priority=&project=&assignee=&major=&mine=")

    # then the priority select starts on "Any" and both incidents are listed
    assert '<option value="" selected>Any</option>' in page.content.decode()
    assert {i.title for i in page.context["object_list"]} == {"High one", "Low one"}


def test_handover_page_searches_each_checks_owner_rather_than_listing_everyone(page_clients):
    # given a handover being planned, one check owned, and many people
    people = [PersonFactory(name=f"Owner {n:02d}") for n in range(30)]
    handover = HandoverFactory()
    check = handover.checks.first()
    check.owner = people[4]
    check.save()
    client = page_clients("itsm_manager")

    # when its page is opened and an owner searched for
    page = client.get(f"/handover/{handover.pk}/").content.decode()
    found = client.get("/handover/filter-options/owner/?term=owner 2").content.decode()

    # then each check offers its own owner only, the search finds the rest, and picking one
    # saves it
    assert f'<option value="{people[4].pk}" selected>Owner 04</option>' in page
    assert ">Owner 05</option>" not in page
    assert 'hx-get="/handover/filter-options/owner/"' in page
    assert f'<option value="{people[20].pk}" selected>Owner 20</option>' in found
    client.post(
        f"/handover/{handover.pk}/checks/{check.pk}/",
        {"status": check.status, "owner": people[20].pk},
    )
    check.refresh_from_db()
    assert check.owner_id == people[20].pk
