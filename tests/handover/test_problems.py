"""Problem management (issue 17): the ITIL move table allowed and refused, known errors
published as articles and suggested on the incident form, recurring incidents, the change
that fixes a problem and resolves it, and the pages' query counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from handover.models import Incident, Problem
from handover.problems import selectors, services
from itsm_pmo.workflow import TransitionRefused
from knowledge.models import Article
from tests.changes.factories import ChangeFactory, ConfigurationItemFactory
from tests.factories import ServiceFactory, UserFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import count_queries

from .factories import IncidentFactory, ProblemFactory

pytestmark = pytest.mark.django_db
API = "/api/handover/problems/"
PAGES = "/incidents/problems/"


@pytest.fixture
def service():
    return ServiceFactory(name="Payments")


@pytest.fixture
def manager(role_user):
    return role_user("itsm_manager")


def opened(manager, **fields):
    return services.problem_create(by=manager, title=fields.pop("title", "Pool"), **fields)


def walk(problem, manager, *states, **extra):
    for to in states:
        problem = services.problem_transition(problem=problem, to=to, by=manager, **extra)
    return problem


# --- the move table ------------------------------------------------------------------------


def test_problems_walk_the_itil_life_cycle_and_stamp_resolved_and_closed(manager, service):
    # given a new problem with its root cause found
    problem = opened(manager, service=service, root_cause="Pool capped at 20")
    assert problem.state == "new" and problem.number == f"PRB{problem.pk:07d}"
    # when it is assessed, analysed, fixed, resolved with its fix and closed
    problem = walk(problem, manager, "assess", "root_cause_analysis", "fix_in_progress")
    problem = services.problem_transition(
        problem=problem, to="resolved", by=manager, fix="Pool raised to 50"
    )
    assert problem.resolved_at and problem.fix == "Pool raised to 50"
    problem = services.problem_transition(
        problem=problem, to="closed", by=manager, comment="Quiet for a month"
    )
    # then every move is recorded, and closing stamps its time
    assert problem.state == "closed" and problem.closed_at
    assert [(t.from_state, t.to_state) for t in problem.transitions.order_by("pk")] == [
        ("new", "assess"),
        ("assess", "root_cause_analysis"),
        ("root_cause_analysis", "fix_in_progress"),
        ("fix_in_progress", "resolved"),
        ("resolved", "closed"),
    ]


def test_problems_refused_moves_say_what_is_allowed(manager, service):
    problem = opened(manager, service=service)
    # a new problem is not resolved or closed straight away (409 with the allowed moves)
    with pytest.raises(TransitionRefused) as refused:
        walk(problem, manager, "closed")
    assert refused.value.allowed == ["assess"]
    # the fix waits for a written root cause
    problem = walk(problem, manager, "assess", "root_cause_analysis")
    with pytest.raises(TransitionRefused) as refused:
        walk(problem, manager, "fix_in_progress")
    assert "root cause" in refused.value.detail
    # resolving needs the fix or a comment (400 on the fix)
    with pytest.raises(ValidationError) as bad:
        walk(problem, manager, "resolved")
    assert "fix" in bad.value.message_dict
    problem = walk(problem, manager, "resolved", comment="Fixed by the vendor's patch")
    # closing and reopening say why
    for to in ("closed", "root_cause_analysis"):
        with pytest.raises(ValidationError) as bad:
            walk(problem, manager, to)
        assert "comment" in bad.value.message_dict
    problem = walk(problem, manager, "root_cause_analysis", comment="It came back")
    assert problem.state == "root_cause_analysis" and problem.resolved_at is None
    assert Problem.objects.get().transitions.count() == 4


def test_problems_move_only_for_itsm_managers_and_the_api_answers_409(api_clients, manager):
    problem = ProblemFactory()
    move = f"{API}{problem.pk}/transition/"
    # given an engineer who reads problems: refused, nothing recorded
    assert api_clients("engineer").get(f"{API}{problem.pk}/").status_code == 200
    assert api_clients("engineer").post(move, {"to": "assess"}).status_code == 403
    assert not problem.transitions.exists()
    # a move the table has not: 409 with the moves allowed now
    refused = api_clients("itsm_manager").post(move, {"to": "resolved"}, format="json")
    assert refused.status_code == 409 and refused.json()["allowed"] == ["assess"]
    # an unknown state: 400 on `to`
    assert api_clients("itsm_manager").post(move, {"to": "open"}).status_code == 400
    moved = api_clients("itsm_manager").post(move, {"to": "assess"}, format="json")
    assert moved.status_code == 200 and moved.json()["state"] == "assess"


def test_problems_api_writes_for_itsm_managers_and_refuses_the_state(api_clients, service):
    assert_matrix(
        api_clients,
        "post",
        API,
        {"title": "Leaky pool", "service": service.pk},
        anonymous=401,
        pmo_lead=403,
        itsm_manager=201,
        engineer=403,
        executive=403,
    )
    manager = api_clients("itsm_manager")
    made = manager.post(API, {"title": "x", "state": "resolved"}, format="json")
    assert made.status_code == 201 and made.json()["state"] == "new"
    # an item of another service is refused with the field named, nothing saved
    item = ConfigurationItemFactory()
    count = Problem.objects.count()
    bad = manager.post(
        API, {"title": "y", "service": service.pk, "configuration_item": item.pk}, format="json"
    )
    assert bad.status_code == 400 and "configuration_item" in bad.json()["fields"]
    assert Problem.objects.count() == count
    # the list filters: known errors only
    manager.post(API, {"title": "Known", "workaround": "Restart it"}, format="json")
    known = manager.get(f"{API}?known_error=true").json()["results"]
    assert [p["title"] for p in known] == ["Known"] and known[0]["known_error"] is True


# --- known errors --------------------------------------------------------------------------


def test_a_workaround_makes_a_known_error_published_as_an_article(manager, service):
    # given a problem without a workaround: no article
    problem = opened(manager, service=service, root_cause="Pool capped")
    assert not problem.known_error and problem.known_error_article is None
    # when its workaround is written down by an ITSM manager (who publishes articles)
    problem = services.problem_update(
        problem=problem, by=manager, fields={"workaround": "Scale to 6 pods at peak"}
    )
    # then it is a known error, and its known-error article is published on its service
    article = Article.objects.get()
    assert problem.known_error and problem.known_error_article == article
    assert (article.kind, article.state, article.service) == ("known_error", "published", service)
    assert "Scale to 6 pods at peak" in article.body and problem.number in article.body
    # a new workaround updates the same article; it cannot be erased
    services.problem_update(problem=problem, by=manager, fields={"workaround": "Scale to 8"})
    assert Article.objects.get().body.count("Scale to 8") == 1
    with pytest.raises(ValidationError):
        services.problem_update(problem=problem, by=manager, fields={"workaround": " "})


def test_a_known_error_written_by_someone_who_does_not_publish_stays_a_draft(service):
    # given a role that edits problems but does not publish articles (a custom grant)
    from django.contrib.auth.models import Permission

    editor = UserFactory(roles=["engineer"])
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_problem", "change_problem"])
    )
    editor = type(editor).objects.get(pk=editor.pk)
    # when it writes a workaround
    problem = services.problem_create(by=editor, title="Slow", workaround="Retry", service=service)
    # then the article waits as a draft for a publisher
    assert problem.known_error_article.state == "draft"


def test_the_incident_form_suggests_known_errors_of_its_service_or_item(page_clients, manager):
    # given known errors on a service and on an item, one elsewhere, and one without workaround
    payments, other = ServiceFactory(name="Payments"), ServiceFactory(name="Mail")
    item = ConfigurationItemFactory(service=payments)
    on_service = opened(manager, title="Pool", service=payments, workaround="Scale out")
    on_item = opened(manager, title="Leak", configuration_item=item, workaround="Restart MQ")
    elsewhere = opened(manager, title="Spam", service=other, workaround="Purge")
    unknown = opened(manager, title="Unknown yet", service=payments)
    client = page_clients("engineer")
    # when the form asks for the service's known errors
    panel = client.get(f"{PAGES}known-errors/?service={payments.pk}").content.decode()
    # then it lists those of the service and its item with their workaround, not the others
    assert on_service.number in panel and "Scale out" in panel
    assert on_item.number in panel and "Restart MQ" in panel
    assert elsewhere.number not in panel and unknown.number not in panel
    # the item alone: its own known error only
    panel = client.get(f"{PAGES}known-errors/?configuration_item={item.pk}").content.decode()
    assert on_item.number in panel and on_service.number not in panel
    # nothing chosen: nothing suggested; the form loads the panel
    assert "known-error" not in client.get(f"{PAGES}known-errors/").content.decode()
    form = client.get("/incidents/new/").content.decode()
    assert 'id="known-errors-slot"' in form and "/incidents/problems/known-errors/" in form
    # the API says the same
    found = client.get(f"/api/handover/known-errors/?service={other.pk}").json()
    assert [p["number"] for p in found["results"]] == [elsewhere.number]
    assert client.get("/api/handover/known-errors/?service=x").status_code == 400


def test_the_incident_page_links_an_incident_to_a_suggested_known_error(
    page_clients, manager, service
):
    problem = opened(manager, service=service, workaround="Scale out")
    incident = IncidentFactory(service=service)
    url = f"{PAGES}known-errors/?service={service.pk}&incident={incident.pk}"
    # an engineer (who edits incidents) gets the button; an executive does not
    assert "Link to this problem" in page_clients("engineer").get(url).content.decode()
    assert "Link to this problem" not in page_clients("executive").get(url).content.decode()
    page_clients("engineer").post(f"/incidents/{incident.pk}/problem/", {"problem": problem.pk})
    incident.refresh_from_db()
    assert incident.problem == problem


# --- recurring incidents -------------------------------------------------------------------


def _incidents_on(item, *days_ago, service=None):
    now = timezone.now()
    made = [
        IncidentFactory(
            service=service or item.service,
            configuration_item=item,
            opened_at=now - timedelta(days=d),
        )
        for d in days_ago
    ]
    return made


def test_three_incidents_on_an_item_within_30_days_look_recurring(page_clients):
    item = ConfigurationItemFactory(name="mq-01")
    first, *_rest = _incidents_on(item, 1, 10, 29)
    recurrence = selectors.recurrence_of(first)
    assert recurrence and recurrence.count == 3 and recurrence.where == "mq-01"
    page = page_clients("itsm_manager").get(f"/incidents/{first.pk}/").content.decode()
    assert "This looks recurring" in page and "3 incidents on <bdi>mq-01</bdi> in 30 days" in page
    # the problems page lists it too
    listed = page_clients("itsm_manager").get(PAGES).content.decode()
    assert "3 incidents</strong> on <bdi>mq-01</bdi>" in listed


def test_two_incidents_or_three_over_31_days_do_not(settings):
    two = _incidents_on(ConfigurationItemFactory(), 1, 10)
    spread = _incidents_on(ConfigurationItemFactory(), 1, 15, 31)
    assert selectors.recurrence_of(two[0]) is None
    assert selectors.recurrence_of(spread[0]) is None
    assert selectors.recurring_groups() == []
    # the settings decide: two in 30 days are enough when the count is 2
    settings.RECURRING_INCIDENT_COUNT = 2
    assert selectors.recurrence_of(two[0]).count == 2
    settings.RECURRING_INCIDENT_DAYS = 40
    assert selectors.recurrence_of(spread[0]).count == 3


def test_incidents_without_an_item_recur_on_their_service_and_grouped_ones_do_not(manager):
    service = ServiceFactory(name="Mail")
    now = timezone.now()
    made = [IncidentFactory(service=service, opened_at=now - timedelta(days=d)) for d in (1, 2, 3)]
    assert selectors.recurrence_of(made[0]).where == "Mail"
    # opening a problem from the recurrence groups them all, and it no longer recurs
    response = None
    from django.test import Client

    client = Client()
    client.force_login(manager)
    form = client.get(f"{PAGES}new/?incident={made[0].pk}&recurring=1")
    initial = form.context["form"].initial
    assert initial["title"].startswith("Recurring:") and initial["service"] == service.pk
    response = client.post(
        f"{PAGES}new/",
        {"title": initial["title"], "service": service.pk, "incidents": initial["incidents"]},
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and problem.incidents.count() == 3
    assert selectors.recurrence_of(Incident.objects.get(pk=made[0].pk)) is None


# --- the fixing change ---------------------------------------------------------------------


def test_a_change_raised_from_a_problem_is_its_fix_and_its_review_offers_to_resolve(
    page_clients, manager, service
):
    problem = opened(manager, service=service, root_cause="Pool capped", workaround="Scale")
    problem = walk(problem, manager, "assess", "root_cause_analysis", "fix_in_progress")
    client = page_clients("itsm_manager")
    # the change form starts prefilled and carries the problem
    form = client.get(f"/changes/new/?problem={problem.pk}")
    assert form.context["form"].initial["title"].startswith(f"Fix {problem.number}")
    assert f'name="problem" value="{problem.pk}"' in form.content.decode()
    # saved (through the service, as the form does), the problem records it
    change = ChangeFactory(state="closed", requester=manager)
    services.problem_fixed_by(problem=problem, change=change, by=manager)
    # no review yet: no offer
    assert selectors.to_resolve_after(change, manager) == []
    from changes.models import PostImplementationReview

    PostImplementationReview.objects.create(change=change, outcome="successful")
    change = type(change).objects.get(pk=change.pk)
    # an engineer may not resolve; the ITSM manager is offered it
    assert selectors.to_resolve_after(change, UserFactory(roles=["engineer"])) == []
    page = client.get(change.get_absolute_url()).content.decode()
    assert f"Resolve {problem.number}" in page
    assert (
        page_clients("engineer").post(f"{PAGES}{problem.pk}/resolve-by-change/").status_code == 403
    )
    client.post(f"{PAGES}{problem.pk}/resolve-by-change/")
    problem.refresh_from_db()
    assert (
        problem.state == "resolved"
        and change.number in problem.transitions.order_by("pk").last().comment
    )
    assert f"Resolve {problem.number}" not in client.get(change.get_absolute_url()).content.decode()


def test_a_failed_fix_change_does_not_resolve(manager, service):
    from changes.models import PostImplementationReview

    problem = opened(manager, service=service, root_cause="x")
    problem = walk(problem, manager, "assess", "root_cause_analysis")
    change = ChangeFactory(state="closed")
    services.problem_fixed_by(problem=problem, change=change, by=manager)
    PostImplementationReview.objects.create(change=change, outcome="backed_out")
    problem.refresh_from_db()
    with pytest.raises(ValidationError):
        services.problem_resolve_by_change(problem=problem, by=manager)
    with pytest.raises(PermissionDenied):
        services.problem_fixed_by(
            problem=problem, change=change, by=UserFactory(roles=["engineer"])
        )


# --- pages ---------------------------------------------------------------------------------


def test_problem_pages_for_managers_to_write_and_engineers_to_read(page_clients, manager, service):
    problem = opened(manager, service=service)
    incident = IncidentFactory(service=service)
    detail = f"{PAGES}{problem.pk}/"
    # engineers read the list and the page, without edit or move buttons, and may not post
    engineer = page_clients("engineer")
    assert problem.number in engineer.get(PAGES).content.decode()
    page = engineer.get(detail).content.decode()
    assert 'data-testid="edit-problem"' not in page and 'data-testid="move-assess"' not in page
    assert engineer.get(f"{PAGES}new/").status_code == 403
    assert engineer.post(f"{detail}transition/", {"to": "assess"}).status_code == 403
    assert engineer.post(f"{detail}incidents/", {"incident": incident.number}).status_code == 403
    problem.refresh_from_db()
    assert problem.state == "new" and not problem.incidents.exists()
    # the ITSM manager moves it, links and unlinks an incident
    client = page_clients("itsm_manager")
    assert 'data-testid="move-assess"' in client.get(detail).content.decode()
    assert client.post(f"{detail}transition/", {"to": "assess"}).status_code == 302
    refused = client.post(f"{detail}transition/", {"to": "closed"})
    assert refused.status_code == 409
    client.post(f"{detail}incidents/", {"incident": incident.number})
    assert list(problem.incidents.all()) == [incident]
    assert client.post(f"{detail}incidents/", {"incident": "INC9999999"}).status_code == 400
    client.post(f"{detail}incidents/{incident.pk}/unlink/")
    assert not problem.incidents.exists()
    # and edits it: a workaround says the article was published
    edited = client.post(
        f"{detail}edit/",
        {"title": "Pool", "service": service.pk, "workaround": "Scale"},
        follow=True,
    )
    assert "published as the article" in edited.content.decode()


def test_open_a_problem_from_an_incident_prefills_and_links_it(page_clients, service):
    item = ConfigurationItemFactory(service=service)
    incident = IncidentFactory(service=service, configuration_item=item, title="MQ down")
    client = page_clients("itsm_manager")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Open a problem from this incident" in page
    assert (
        "Open a problem"
        not in page_clients("engineer").get(f"/incidents/{incident.pk}/").content.decode()
    )
    form = client.get(f"{PAGES}new/?incident={incident.pk}")
    initial = form.context["form"].initial
    assert (initial["title"], initial["service"], initial["configuration_item"]) == (
        "MQ down",
        service.pk,
        item.pk,
    )
    client.post(
        f"{PAGES}new/",
        {
            "title": "MQ down",
            "service": service.pk,
            "configuration_item": item.pk,
            "incidents": initial["incidents"],
        },
    )
    incident.refresh_from_db()
    assert incident.problem.configuration_item == item


def test_problem_list_filters(page_clients, manager, service):
    opened(manager, title="Known one", service=service, workaround="Retry")
    opened(manager, title="Open one", service=ServiceFactory())
    client = page_clients("engineer")

    def titles(query):
        return [p.title for p in client.get(f"{PAGES}?{query}").context["object_list"]]

    assert titles("known_error=true") == ["Known one"]
    assert titles("known_error=false") == ["Open one"]
    assert titles(f"service={service.pk}") == ["Known one"]
    assert titles("state=new") == ["Open one", "Known one"]
    assert titles("q=open") == ["Open one"]


def test_problem_pages_run_a_constant_number_of_queries(page_clients, manager, service):
    client = page_clients("itsm_manager")
    problem = opened(manager, service=service, workaround="Scale")
    incident = IncidentFactory(service=service, problem=problem)

    def grow():
        for n in range(5):
            item = ConfigurationItemFactory(service=service)
            p = opened(manager, title=f"P{n}", service=service, configuration_item=item)
            p = walk(p, manager, "assess")
            IncidentFactory(service=service, problem=p, configuration_item=item)
            IncidentFactory(service=service, problem=problem)
            opened(manager, title=f"K{n}", service=service, workaround=f"W{n}")

    pages = [
        PAGES,
        f"{PAGES}{problem.pk}/",
        f"{PAGES}known-errors/?service={service.pk}&incident={incident.pk}",
        f"/incidents/{incident.pk}/",
    ]

    def counts() -> list[int]:
        found = []
        for url in pages:
            client.get(url)  # the first request of a session reads more (the session's row)
            cache.clear()  # not the page cache's kept answer (itsm_pmo/page_cache.py)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    grow()
    assert counts() == before
    # pinned for the problem pages (the list's recurring section is two of its queries); the
    # incident page is other work's too, held constant only
    assert before[:3] == [18, 16, 8]


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_has_problems_in_every_state_a_known_error_and_a_fix_change(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    call_command("seed_demo")
    first = sorted(Problem.objects.values_list("title", "state"))
    call_command("seed_demo")  # idempotent: the same records, one article each
    assert sorted(Problem.objects.values_list("title", "state")) == first
    assert {state for _title, state in first} == {
        "new",
        "assess",
        "root_cause_analysis",
        "fix_in_progress",
        "resolved",
        "closed",
    }
    pool = Problem.objects.get(title__startswith="Connection pool exhaustion")
    assert pool.known_error and pool.known_error_article.state == "published"
    assert pool.incidents.exists() and pool.fix_change is not None and pool.owner is not None
    assert pool.service.incidents.exclude(problem=pool).exists()  # the form suggests it there
    assert Article.objects.filter(title__contains=pool.title).count() == 1
    leak = Problem.objects.get(title__startswith="Queue manager memory leak")
    manager = type(leak.fix_change.requester).objects.get(username="itsm_manager")
    assert selectors.to_resolve_after(leak.fix_change, manager) == [leak]
