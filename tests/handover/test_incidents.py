"""Incidents: the priority matrix, numbering, the workflow, role rules, the quick form, the
project page and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from changes.models import ChangeRequest
from handover.choices import IncidentState
from handover.incidents import services
from handover.incidents.priority import priority
from handover.incidents.workflow import MOVES
from handover.models import Incident, WorkLog
from handover.problems import services as problem_services
from tests.factories import PersonFactory, ProjectFactory, ServiceFactory, UserFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
URL = "/api/handover/incidents/"


@pytest.fixture
def service():
    return ServiceFactory(name="Payments")


@pytest.fixture
def reporter():
    return UserFactory(username="reporter", roles=["engineer"])


def log(reporter, service, **fields):
    return services.incident_log(
        reporter=reporter, title=fields.pop("title", "Checkout down"), service=service, **fields
    )


def in_state(incident, state) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(state=state)
    incident.refresh_from_db()
    return incident


def change_of(project, requester, number="CHG0000042"):
    return ChangeRequest.objects.create(
        title="Upgrade the database",
        requester=requester,
        project=project,
        number=number,
        state="closed",
    )


# --- priority and numbering ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (1, 1, 1),
        (1, 2, 2),
        (1, 3, 3),
        (2, 1, 2),
        (2, 2, 3),
        (2, 3, 4),
        (3, 1, 3),
        (3, 2, 4),
        (3, 3, 5),
    ],
)
def test_incidents_priority_matrix(impact, urgency, expected):
    assert priority(impact, urgency) == expected


@pytest.mark.parametrize(("impact", "urgency"), [(0, 1), (4, 2), (2, 4), (None, 1)])
def test_incidents_priority_refuses_levels_outside_1_to_3(impact, urgency):
    with pytest.raises(ValueError):
        priority(impact, urgency)


def test_incidents_numbered_from_their_id_and_prioritised(reporter, service, role_user):
    first = log(reporter, service, impact=1, urgency=2)
    second = log(reporter, service)
    assert first.number == f"INC{first.pk:07d}" and len(first.number) == 10
    assert second.number == f"INC{second.pk:07d}"
    assert (first.priority, second.priority) == (2, 3)  # the default is medium/medium
    assert first.opened_at and first.state == IncidentState.NEW
    problem = problem_services.problem_create(
        by=role_user("itsm_manager"), title="Pool exhaustion", incidents=[first]
    )
    assert problem.number == f"PRB{problem.pk:07d}"
    assert list(problem.incidents.all()) == [first]


def test_incidents_change_lends_its_project_and_a_project_needs_a_service(reporter, service):
    project = ProjectFactory()
    change = change_of(project, reporter)
    incident = log(reporter, service, caused_by_change=change)
    assert incident.project == project
    with pytest.raises(ValidationError) as refused:
        services.incident_log(reporter=reporter, title="x", project=project, service=None)
    assert "service" in refused.value.message_dict
    assert Incident.objects.count() == 1


def test_incidents_update_recomputes_priority(reporter, service):
    incident = log(reporter, service)
    incident = services.incident_update(incident=incident, by=reporter, impact=1, urgency=1)
    assert incident.priority == 1
    incident.refresh_from_db()
    assert incident.priority == 1
    with pytest.raises(ValidationError) as refused:
        services.incident_update(incident=incident, by=reporter, impact=4)
    assert "impact" in refused.value.message_dict


# --- the workflow, through the API ---------------------------------------------------------

PAIRS = [(a, b) for a in IncidentState.values for b in IncidentState.values if a != b]


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_incidents_every_transition_allowed_or_refused(api_clients, reporter, service, start, to):
    incident = in_state(log(reporter, service), start)
    response = api_clients("engineer").post(
        f"{URL}{incident.pk}/transition/",
        {
            "to": to,
            "resolution_notes": "Restarted the pool" if to == "resolved" else "",
            "hold_reason": "awaiting_caller" if to == "on_hold" else "",
        },
        format="json",
    )
    incident.refresh_from_db()
    if to in MOVES.targets(start):
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == to and incident.state == to
        stamp = services.STAMPS[to]
        assert getattr(incident, stamp) is not None
        if start == IncidentState.RESOLVED and to == IncidentState.IN_PROGRESS:
            assert incident.resolved_at is None
    else:
        assert response.status_code == 409
        body = response.json()
        assert body["allowed"] == list(MOVES.targets(start))
        assert body["current"] == start and incident.state == start


def test_incidents_only_resolving_takes_resolution_notes(api_clients, reporter, service):
    incident = log(reporter, service)
    url = f"{URL}{incident.pk}/transition/"
    client = api_clients("engineer")
    refused = client.post(url, {"to": "in_progress", "resolution_notes": "Fixed"}, format="json")
    assert refused.status_code == 400 and "resolution_notes" in refused.json()["fields"]
    incident.refresh_from_db()
    assert (incident.state, incident.resolution_notes) == ("new", "")
    assert not incident.transitions.exists()
    started = client.post(url, {"to": "in_progress", "comment": "On it"}, format="json")
    assert started.status_code == 200 and started.json()["resolution_notes"] == ""


def test_incidents_resolve_needs_notes_and_reopen_clears_resolution(api_clients, reporter, service):
    incident = log(reporter, service)
    client = api_clients("engineer")
    url = f"{URL}{incident.pk}/transition/"
    missing = client.post(url, {"to": "resolved"}, format="json")
    assert missing.status_code == 400
    assert "resolution_notes" in missing.json()["fields"]
    assert Incident.objects.get(pk=incident.pk).state == "new"
    assert client.post(url, {"to": "nonsense"}, format="json").json()["fields"].keys() == {"to"}
    done = client.post(
        url, {"to": "resolved", "resolution_notes": "Rolled back"}, format="json"
    ).json()
    assert done["resolved_at"] and done["resolution_notes"] == "Rolled back"
    reopened = client.post(url, {"to": "in_progress"}, format="json").json()
    assert reopened["state"] == "in_progress" and reopened["resolved_at"] is None
    # resolving again keeps the earlier notes when none are given
    assert client.post(url, {"to": "resolved"}, format="json").status_code == 200
    closed = client.post(url, {"to": "closed"}, format="json").json()
    assert closed["closed_at"] and closed["state"] == "closed"


def test_incidents_transition_role_rule(api_clients, reporter, service):
    incident = log(reporter, service)
    assert_matrix(
        api_clients,
        "post",
        f"{URL}{incident.pk}/transition/",
        {"to": "bogus"},
        anonymous=401,
        pmo_lead=403,
        itsm_manager=400,
        engineer=400,
        executive=403,
    )


# --- role rules and bad input --------------------------------------------------------------


def test_incidents_api_every_role_reads(api_clients):
    for endpoint in ("incidents", "problems", "worklogs"):
        assert_matrix(
            api_clients,
            "get",
            f"/api/handover/{endpoint}/",
            anonymous=401,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )


def test_incidents_engineers_and_itsm_managers_log(api_clients, service):
    assert_matrix(
        api_clients,
        "post",
        URL,
        {"title": "VPN down", "service": service.pk},
        anonymous=401,
        pmo_lead=403,
        itsm_manager=201,
        engineer=201,
        executive=403,
    )
    assert Incident.objects.count() == 2
    assert all(i.number.startswith("INC") for i in Incident.objects.all())


def test_incidents_bad_input_is_400_with_the_field_and_saves_nothing(api_clients, service):
    client = api_clients("engineer")
    project = ProjectFactory()
    for body, field in [
        ({"title": "x", "service": service.pk, "impact": 4}, "impact"),
        ({"title": "x", "service": service.pk, "urgency": 0}, "urgency"),
        ({"title": "", "service": service.pk}, "title"),
        ({"title": "x", "service": 999999}, "service"),
        ({"title": "x"}, "service"),
        (
            {
                "title": "x",
                "service": service.pk,
                "opened_at": (timezone.now() + timedelta(days=2)).isoformat(),
            },
            "opened_at",
        ),
    ]:
        response = client.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["fields"], response.json()
    # a project that does not exist is named as the problem
    assert (
        "project"
        in client.post(
            URL, {"title": "x", "service": service.pk, "project": 999999}, format="json"
        ).json()["fields"]
    )
    manager = api_clients("itsm_manager")
    missing = manager.post(URL, {"title": "x", "project": project.pk}, format="json")
    assert missing.status_code == 400
    assert "project's services" in missing.json()["fields"]["service"][0]
    assert not Incident.objects.exists()


def test_incidents_api_update_and_filters(api_clients, reporter, service):
    other = ServiceFactory(name="Mail")
    urgent = log(reporter, service, impact=1, urgency=1, major=True)
    log(reporter, other, title="Slow inbox", impact=3, urgency=3)
    client = api_clients("engineer")
    assert client.patch(f"{URL}{urgent.pk}/", {"urgency": 3}, format="json").json()["priority"] == 3
    assert client.patch(f"{URL}{urgent.pk}/", {"impact": 9}, format="json").status_code == 400

    def numbers(query):
        return [r["title"] for r in client.get(f"{URL}?{query}").json()["results"]]

    assert numbers("major=true") == ["Checkout down"]
    assert numbers(f"service={other.pk}") == ["Slow inbox"]
    assert numbers("priority=5") == ["Slow inbox"]
    assert numbers("q=inbox") == ["Slow inbox"]
    assert numbers("state=new") == ["Slow inbox", "Checkout down"]
    assert client.get(f"{URL}?priority=9").status_code == 400


def test_worklogs_engineers_record_their_time(api_clients, role_user, reporter, service):
    incident = log(reporter, service)
    engineer = role_user("engineer")
    person = PersonFactory(user=engineer)
    client = api_clients("engineer")
    made = client.post(
        "/api/handover/worklogs/", {"incident": incident.pk, "hours": "1.5"}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["person"] == person.pk
    assert made.json()["day"] == timezone.localdate().isoformat()
    too_much = client.post(
        "/api/handover/worklogs/", {"incident": incident.pk, "hours": "30"}, format="json"
    )
    assert too_much.status_code == 400 and "hours" in too_much.json()["fields"]
    assert (
        api_clients("executive")
        .post("/api/handover/worklogs/", {"incident": incident.pk, "hours": "1"}, format="json")
        .status_code
        == 403
    )
    assert WorkLog.objects.get().hours == Decimal("1.5")


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def engineers_project(role_user, service):
    """A project the engineer owns, serving Payments."""
    owner = PersonFactory(user=role_user("engineer"), name="Erin Engineer")
    project = ProjectFactory(name="Checkout revamp", owner=owner)
    project.services.add(service)
    return project


def test_incidents_pages_role_rules(page_clients, reporter, service):
    incident = log(reporter, service)
    for path in ("/incidents/", incident.get_absolute_url()):
        assert_matrix(
            page_clients,
            "get",
            path,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    assert_matrix(
        page_clients,
        "get",
        "/incidents/new/",
        anonymous=302,
        pmo_lead=403,
        itsm_manager=200,
        engineer=200,
        executive=403,
    )


def test_incidents_quick_form_from_the_project_page(page_clients, engineers_project, service):
    client = page_clients("engineer")
    project_page = client.get(engineers_project.get_absolute_url()).content.decode()
    assert f"/incidents/new/?project={engineers_project.pk}" in project_page
    form = client.get(f"/incidents/new/?project={engineers_project.pk}")
    assert form.context["form"].initial["project"] == engineers_project
    assert form.context["form"].initial["service"] == service
    response = client.post(
        "/incidents/new/",
        {
            "title": "Card payments time out",
            "service": service.pk,
            "project": engineers_project.pk,
            "impact": 1,
            "urgency": 2,
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
    assert (incident.priority, incident.reporter.username) == (2, "engineer_user")
    detail = client.get(response.url).content.decode()
    assert f"{incident.number} logged" in detail
    project_page = client.get(engineers_project.get_absolute_url()).content.decode()
    assert incident.number in project_page and "Card payments time out" in project_page


def test_incidents_quick_form_errors_keep_nothing(page_clients, engineers_project):
    client = page_clients("engineer")
    response = client.post(
        "/incidents/new/", {"title": "", "project": engineers_project.pk, "impact": 7, "urgency": 2}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "service", "impact"} <= errors.keys()
    assert "project's services" in errors["service"][0]
    assert not Incident.objects.exists()


def test_incidents_detail_moves_work_and_problem(page_clients, role_user, reporter, service):
    incident = log(reporter, service)
    PersonFactory(user=role_user("engineer"))
    client = page_clients("engineer")
    url = incident.get_absolute_url()
    client.post(f"{url}transition/", {"to": "in_progress"})
    refused = client.post(f"{url}transition/", {"to": "resolved"})  # no notes: refused
    assert refused.status_code == 400
    assert "Say how the incident was resolved." in refused.content.decode()
    incident.refresh_from_db()
    assert incident.state == "in_progress" and incident.in_progress_at
    client.post(
        f"{url}work/",
        {"day": timezone.localdate().isoformat(), "hours": "2.5", "note": "Traced it"},
    )
    client.post(f"{url}work/", {"day": timezone.localdate().isoformat(), "hours": "1"})
    page = client.get(url)
    assert page.context["total_hours"] == Decimal("3.5")
    client.post(f"{url}transition/", {"to": "resolved", "resolution_notes": "Fixed config"})
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolution_notes == "Fixed config"
    problem = problem_services.problem_create(by=role_user("itsm_manager"), title="Config drift")
    manager = page_clients("itsm_manager")
    manager.post(f"{url}problem/", {"problem": problem.pk})
    assert Incident.objects.get(pk=incident.pk).problem == problem
    assert page_clients("executive").post(f"{url}transition/", {"to": "closed"}).status_code == 403


def test_incidents_list_filters_and_mine(page_clients, role_user, service):
    engineer = role_user("engineer")
    other = UserFactory(username="someone", roles=["engineer"])
    services.incident_log(reporter=engineer, title="Mine one", service=service)
    services.incident_log(
        reporter=other, title="Theirs", service=service, major=True, impact=1, urgency=1
    )
    client = page_clients("engineer")
    html = client.get("/incidents/?mine=true").content.decode()
    assert "Mine one" in html and "Theirs" not in html
    html = client.get("/incidents/?major=true").content.decode()
    assert "Theirs" in html and "Mine one" not in html
    html = client.get("/incidents/?priority=1").content.decode()
    assert "Theirs" in html and "text-bg-danger" in html


def test_incidents_log_button_only_for_those_who_log(page_clients):
    assert "log-incident" in page_clients("engineer").get("/incidents/").content.decode()
    assert "log-incident" not in page_clients("executive").get("/incidents/").content.decode()


# --- query counts --------------------------------------------------------------------------


def _grow_incidents(reporter, service, project=None, count=30):
    change = change_of(project, reporter, number=f"CHG{Incident.objects.count():07d}")
    assignee = PersonFactory()
    for n in range(count):
        services.incident_log(
            reporter=reporter,
            title=f"Incident {n}",
            service=service,
            project=project,
            caused_by_change=change,
            assignee=assignee,
            impact=1 + n % 3,
            urgency=1 + (n // 3) % 3,
        )


def test_incidents_list_constant_queries(page_clients, reporter, service):
    client = page_clients("itsm_manager")
    _grow_incidents(reporter, service, count=2)
    assert_constant_queries(
        lambda: client.get("/incidents/"),
        lambda: _grow_incidents(reporter, ServiceFactory(), count=30),
    )
    assert_constant_queries(
        lambda: client.get(URL), lambda: _grow_incidents(reporter, ServiceFactory(), count=10)
    )


def test_incidents_project_page_constant_queries(
    page_clients, reporter, engineers_project, service
):
    client = page_clients("engineer")
    _grow_incidents(reporter, service, engineers_project, count=1)

    def grow():
        _grow_incidents(reporter, service, engineers_project, count=20)

    assert_constant_queries(lambda: client.get(engineers_project.get_absolute_url()), grow)
    html = client.get(engineers_project.get_absolute_url()).content.decode()
    assert "Caused by" in html and "CHG" in html


# --- holes the API had where the page refused (issue 12) ------------------------------------


@pytest.mark.parametrize("role", ["pmo_lead", "executive"])
def test_incidents_api_move_is_refused_to_roles_that_do_not_move_incidents(
    api_clients, reporter, service, role
):
    # given an incident, and a role that may read incidents but not move them
    incident = log(reporter, service)
    # when it asks the API to start work on it
    response = api_clients(role).post(
        f"{URL}{incident.pk}/transition/", {"to": "in_progress"}, format="json"
    )
    # then it is refused as the page refuses it, and nothing moved
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.state == IncidentState.NEW and incident.in_progress_at is None
    assert not incident.transitions.exists()


def test_worklogs_api_refuses_time_logged_for_someone_else(
    api_clients, role_user, reporter, service
):
    # given an incident, an engineer with a person record, and a colleague
    incident = log(reporter, service)
    PersonFactory(user=role_user("engineer"))
    colleague = PersonFactory()
    body = {"incident": incident.pk, "hours": "8", "person": colleague.pk}
    # when the engineer logs a day's work in the colleague's name
    refused = api_clients("engineer").post("/api/handover/worklogs/", body, format="json")
    # then it is refused (the page logs only one's own time) and nothing is saved
    assert refused.status_code == 403
    assert not WorkLog.objects.exists()
    # and an ITSM manager, who keeps the queue's time records, may
    made = api_clients("itsm_manager").post("/api/handover/worklogs/", body, format="json")
    assert made.status_code == 201, made.json()
    assert WorkLog.objects.get().person == colleague


def test_incidents_api_refuses_a_cause_that_never_ran(api_clients, reporter, service):
    # given a change still being assessed, and one that ran
    planned = ChangeRequest.objects.create(
        title="Not yet", requester=reporter, number="CHG0000077", state="assess"
    )
    ran = change_of(None, reporter)
    client = api_clients("engineer")
    # when an incident is logged as caused by the change that has not run
    refused = client.post(
        URL, {"title": "x", "service": service.pk, "caused_by_change": planned.pk}, format="json"
    )
    # then it is refused as the quick form refuses it, with the field, and nothing is saved
    assert refused.status_code == 400
    assert "caused_by_change" in refused.json()["fields"]
    assert not Incident.objects.exists()
    # nor can an incident be edited to blame it
    incident = log(reporter, service, caused_by_change=ran)
    edited = client.patch(f"{URL}{incident.pk}/", {"caused_by_change": planned.pk}, format="json")
    assert edited.status_code == 400
    incident.refresh_from_db()
    assert incident.caused_by_change == ran


def test_incidents_every_move_is_recorded_with_the_resolution_notes(role_user, reporter, service):
    # given an incident worked on and resolved
    incident = log(reporter, service)
    engineer = role_user("engineer")
    services.incident_transition(incident=incident, to="in_progress", by=engineer)
    services.incident_transition(
        incident=incident,
        to="on_hold",
        by=engineer,
        comment="Waiting for the vendor.",
        hold_reason="awaiting_vendor",
    )
    services.incident_transition(
        incident=incident, to="resolved", by=engineer, resolution_notes="Vendor patched it."
    )
    # then each move is on its trail, and the incident still stamps each state's time
    trail = list(incident.transitions.order_by("at", "pk").values_list("to_state", "comment"))
    assert trail == [
        ("in_progress", ""),
        ("on_hold", "Waiting for the vendor."),
        ("resolved", "Vendor patched it."),
    ]
    incident.refresh_from_db()
    assert incident.in_progress_at and incident.on_hold_at and incident.resolved_at
    assert incident.transitions.first().at == incident.resolved_at


def test_incidents_page_work_without_a_person_record_is_refused(page_clients, reporter, service):
    incident = log(reporter, service)
    response = page_clients("engineer").post(
        f"{incident.get_absolute_url()}work/",
        {"day": timezone.localdate().isoformat(), "hours": "1"},
    )
    assert response.status_code == 400
    assert "person record" in response.content.decode()
    assert not WorkLog.objects.exists()


def test_incidents_api_state_log(api_clients, reporter, service):
    incident = log(reporter, service)
    client = api_clients("engineer")
    client.post(f"{URL}{incident.pk}/transition/", {"to": "in_progress"}, format="json")
    client.post(
        f"{URL}{incident.pk}/transition/",
        {"to": "resolved", "resolution_notes": "Restarted"},
        format="json",
    )
    trail = api_clients("executive").get(f"{URL}{incident.pk}/transitions/")
    assert trail.status_code == 200
    assert [(t["from_state"], t["to_state"], t["comment"]) for t in trail.json()] == [
        ("in_progress", "resolved", "Restarted"),
        ("new", "in_progress", ""),
    ]
    assert trail.json()[0]["by"] == "engineer_user"
