"""What the role matrix sends, and to whom: every URL pattern and API operation, the users,
the rows they are sent against, and the request bodies.

The endpoints come from the URL configuration (pages: every named pattern outside `/api/`
and `/admin/`) and from drf-spectacular's schema (the API: every path and method it
documents, plus the API patterns it leaves out, such as the router roots and the token
endpoint). Nothing here is a list someone keeps up to date by hand except the ids a pattern
needs (`PAGE_IDS`, `API_OBJECTS`): a pattern that needs one not named there fails the suite
with a message saying what to add.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The columns of the expected-status table, in its order.
USERS = (
    "anonymous",
    "engineer",
    "pmo_lead",
    "itsm_manager",
    "executive",
    "cab_member",
    "inactive",
)

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNSAFE = METHODS[1:]
CAB_GROUP = "cab"


@dataclass(frozen=True)
class Endpoint:
    method: str
    key: str  # a page's URL name, or an API path as the schema writes it
    route: str  # the pattern's route with its parameters, for the messages


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern.callback


# A router's `.json` suffix variant is the same view at another address: checked once.
FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>|<drf_format_suffix:format>")


def api_path(route: str) -> str:
    """`api/changes/^changes/(?P<pk>[^/.]+)/approvals/$` -> `/api/changes/changes/{id}/approvals/`
    (the schema's spelling of the same path)."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    path = re.sub(r"<(?:\w+:)?pk>", "{id}", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path


def _page_methods(callback) -> list[str]:
    """GET and POST for every page (a page that takes no POST must answer 405, and the table
    says so); PUT, PATCH and DELETE where a class-based view defines them."""
    methods = ["GET", "POST"]
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        methods += [
            m.upper()
            for m in ("put", "patch", "delete")
            if m in view_class.http_method_names and hasattr(view_class, m)
        ]
    return methods


def schema_operations() -> dict[str, list[str]]:
    """{API path: [methods]} as drf-spectacular documents them."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [m.upper() for m in ops if m in ("get", "post", "put", "patch", "delete")]
        for path, ops in schema["paths"].items()
    }


def endpoints() -> list[Endpoint]:
    """Every page and API operation the matrix checks, from the URL configuration and the
    schema (the admin is checked in bulk, see `admin_urls`)."""
    found: dict[tuple[str, str], Endpoint] = {}
    operations = schema_operations()
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or FORMAT_SUFFIX.search(route):
            continue
        if route.startswith("api/"):
            path = api_path(route)
            for method in operations.get(path, ["GET", "POST"]):
                found[(method, path)] = Endpoint(method, path, route)
        else:
            assert name, f"the page pattern {route!r} has no name: the role matrix keys pages by it"
            for method in _page_methods(callback):
                found[(method, name)] = Endpoint(method, name, route)
    for path, methods in operations.items():
        for method in methods:
            found.setdefault((method, path), Endpoint(method, path, path))
    return sorted(found.values(), key=lambda e: (e.key, METHODS.index(e.method)))


def admin_urls() -> list[str]:
    """The admin's index and every registered model's list and add page: one row covers them."""
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


# --- the data every pattern with an id resolves against ---------------------------------------

# Page URL name -> its keyword arguments, from the seeded objects (`seed()`'s names).
PAGE_IDS = {
    "portfolio:project_detail": {"pk": "project"},
    "portfolio:project_update": {"pk": "project"},
    "portfolio:project_scores": {"pk": "project"},
    "portfolio:project_transition": {"pk": "project"},
    "portfolio:milestone_create": {"pk": "project"},
    "portfolio:risk_create": {"pk": "project"},
    "portfolio:benefit_create": {"pk": "project"},
    "portfolio:benefit_update": {"pk": "benefit"},
    "portfolio:benefit_realisation": {"pk": "benefit"},
    "portfolio:cost_create": {"pk": "project"},
    "portfolio:cost_update": {"pk": "cost"},
    "portfolio:cost_delete": {"pk": "cost"},
    "portfolio:suggest": {"kind": "=owner"},
    # A kind of work some roles hold and others not: the CAB's (a 404 for the rest).
    "my_work_list": {"kind": "=changes-to-decide"},
    "resources:team_detail": {"pk": "team"},
    "resources:person_detail": {"pk": "person"},
    "resources:allocation_update": {"pk": "allocation"},
    "resources:allocation_delete": {"pk": "allocation"},
    "changes:filter_options": {"field": "=project"},
    "changes:change_detail": {"pk": "change"},
    "changes:change_update": {"pk": "change"},
    "changes:change_transition": {"pk": "change"},
    "changes:change_decide": {"pk": "change"},
    "changes:change_risk": {"pk": "change"},
    "changes:change_freeze_exception": {"pk": "change"},
    "changes:change_review": {"pk": "reviewed_change"},
    "changes:change_review_correct": {"pk": "reviewed_change"},
    "handover:filter_options": {"field": "=project"},
    "handover:handover_detail": {"pk": "handover"},
    "handover:handover_update": {"pk": "handover"},
    "handover:handover_transition": {"pk": "handover"},
    "handover:check_update": {"pk": "handover", "check_pk": "check"},
    "incidents:filter_options": {"field": "=problem"},
    "incidents:incident_detail": {"pk": "incident"},
    "incidents:incident_transition": {"pk": "incident"},
    "incidents:incident_work": {"pk": "incident"},
    "incidents:incident_problem": {"pk": "incident"},
    # Queues and assignment (issue 17).
    "incidents:queue_detail": {"pk": "team"},
    "incidents:incident_assign": {"pk": "incident"},
    "incidents:incident_take": {"pk": "incident"},
    "knowledge:lesson_detail": {"pk": "lesson"},
    "knowledge:lesson_edit": {"pk": "lesson"},
    "knowledge:lesson_transition": {"pk": "lesson"},
    "knowledge:lesson_apply": {"pk": "lesson"},
    "knowledge:article_detail": {"pk": "article"},
    "knowledge:article_edit": {"pk": "article"},
    "knowledge:article_transition": {"pk": "article"},
    # Major incidents (handover/incidents/major).
    "major:filter_options": {"field": "=person"},
    "major:major_declare": {"incident": "p1_incident"},
    "major:major_detail": {"pk": "major_incident"},
    "major:major_post": {"pk": "major_incident"},
    "major:engagement_add": {"pk": "major_incident"},
    "major:review_write": {"pk": "major_incident"},
    "major:action_add": {"pk": "major_incident"},
    "major:major_transition": {"pk": "major_incident"},
    "major:engagement_release": {"pk": "engagement"},
    "major:action_done": {"pk": "review_action"},
    # notifications: someone else's (every column 404: a user reaches their own only)
    "notifications:open": {"pk": "notification"},
    "notifications:read": {"pk": "notification"},
    # Problem management (issue 17)
    "incidents:problem_options": {"field": "=owner"},
    "incidents:problem_detail": {"pk": "problem"},
    "incidents:problem_update": {"pk": "problem"},
    "incidents:problem_transition": {"pk": "problem"},
    "incidents:problem_link": {"pk": "problem"},
    "incidents:problem_unlink": {"pk": "problem", "incident_pk": "incident"},
    "incidents:problem_resolve_by_change": {"pk": "problem"},
}

# API collection (`/api/<app>/<collection>/`) -> the seeded object its `{id}` names.
API_OBJECTS = {
    "portfolio/objectives": "objective",
    "portfolio/services": "service",
    "portfolio/criteria": "criterion",
    "portfolio/projects": "project",
    "portfolio/scores": "score",
    "portfolio/milestones": "milestone",
    "portfolio/risks": "risk",
    "portfolio/benefits": "benefit",
    "portfolio/costs": "cost",
    "resources/teams": "team",
    "resources/people": "person",
    "resources/skills": "skill",
    "resources/absences": "absence",
    "resources/allocations": "allocation",
    "resources/demands": "demand",
    "resources/conflicts": "conflict",
    "changes/items": "item",
    "changes/changes": "change",
    "changes/templates": "template",
    "changes/policies": "policy",
    "changes/freezes": "freeze",
    "changes/reviews": "review",
    "handover/incidents": "incident",
    "handover/problems": "problem",
    "handover/worklogs": "worklog",
    "handover/categories": "incident_category",
    "handover/handovers": "handover",
    "handover/criteria": "readiness_criterion",
    "handover/checks": "check",
    "handover/major-incidents": "major_incident",
    "handover/review-actions": "review_action",
    "knowledge/lessons": "lesson",
    "knowledge/articles": "article",
    # notifications: someone else's (every column 404: a user reaches their own only)
    "me/notifications": "notification",
}


class MissingIds(LookupError):
    pass


def url_for(endpoint: Endpoint, objects: dict) -> str:
    """The address to send: the pattern with its ids filled from the seeded objects."""
    if endpoint.key.startswith("/"):
        path = endpoint.key
        if "{" not in path:
            return path
        collection = "/".join(path.split("/")[2:4])
        if collection not in API_OBJECTS:
            raise MissingIds(
                f"{path}: name the seeded object its id stands for in API_OBJECTS "
                f"({collection!r}) in tests/platform/role_matrix_support.py"
            )
        return path.replace("{id}", str(objects[API_OBJECTS[collection]].pk))
    if "<" not in endpoint.route:
        return reverse(endpoint.key)
    if endpoint.key not in PAGE_IDS:
        raise MissingIds(
            f"{endpoint.key} ({endpoint.route}): say which seeded objects fill its parameters "
            "in PAGE_IDS in tests/platform/role_matrix_support.py (and seed one if none fits)"
        )
    kwargs = {
        name: value[1:] if value.startswith("=") else objects[value].pk
        for name, value in PAGE_IDS[endpoint.key].items()
    }
    return reverse(endpoint.key, kwargs=kwargs)


# --- bodies ----------------------------------------------------------------------------------
# An unsafe request must reach the permission decision. CRUD endpoints decide at the door
# (the role's model permission, before the body is read), so a copy of the seeded row's own
# representation is enough: allowed is 2xx (or 400 where a unique field or a rule refuses the
# copy), refused 403. Domain actions decide in the service after reading the body, so theirs
# below are valid requests for the seeded object's state.

ACTION_BODIES = {
    ("POST", "/api/portfolio/projects/{id}/transition/"): {"to": "assessed", "comment": "m"},
    ("POST", "/api/resources/conflicts/{id}/acknowledge/"): {"comment": "Covered"},
    ("POST", "/api/resources/recompute/"): {},
    ("POST", "/api/changes/changes/{id}/transition/"): {"to": "cancelled", "comment": "m"},
    ("POST", "/api/changes/changes/{id}/approvals/"): {"decision": "approve", "comment": ""},
    ("POST", "/api/changes/changes/{id}/freeze-exception/"): {"reason": "Agreed"},
    ("POST", "/api/changes/changes/{id}/risk-override/"): {"level": "high", "reason": "Core"},
    ("POST", "/api/changes/reviews/{id}/correct/"): {
        "outcome": "successful",
        "incidents_caused": 0,
        "notes": "m",
    },
    ("POST", "/api/handover/handovers/{id}/transition/"): {"to": "readiness_review"},
    ("POST", "/api/handover/incidents/{id}/transition/"): {"to": "in_progress"},
    ("POST", "/api/handover/problems/{id}/transition/"): {"to": "assess"},
    # Into the seeded team's queue, nobody assigned: the first caller allowed moves it there,
    # the next ones change nothing (200 all the same).
    ("POST", "/api/handover/incidents/{id}/assign/"): {"group": "team", "reason": "m"},
    ("POST", "/api/knowledge/lessons/{id}/apply/"): {"project": "project"},
    ("POST", "/api/knowledge/lessons/{id}/transition/"): {"to": "archived"},
    ("POST", "/api/knowledge/articles/{id}/transition/"): {"to": "archived"},
    ("POST", "/api/knowledge/lessons/similar/"): {"text": "vendor slipped"},
    ("POST", "/api/auth/token/"): {"username": "nobody", "password": "wrong"},
    # Major incidents: the seeded one is active, so closing it is 409 ("review" would be
    # read as the seeded change review's id).
    ("POST", "/api/handover/major-incidents/{id}/updates/"): {"kind": "update", "text": "m"},
    ("POST", "/api/handover/major-incidents/{id}/engagements/"): {
        "person": "responder",
        "role": "resolver",
    },
    ("POST", "/api/handover/major-incidents/{id}/release/"): {"engagement": "api_engagement"},
    ("POST", "/api/handover/major-incidents/{id}/review/"): {"impact": "m"},
    ("POST", "/api/handover/major-incidents/{id}/actions/"): {
        "description": "m",
        "owner": "person",
        "due_on": "today",
    },
    ("POST", "/api/handover/major-incidents/{id}/transition/"): {"to": "closed"},
    ("POST", "/api/handover/review-actions/{id}/complete/"): {"done": True},
}

PAGE_BODIES = {
    "portfolio:project_transition": {"to": "assessed", "comment": "m"},
    "changes:change_transition": {"to": "cancelled", "comment": "m"},
    "changes:change_decide": {"decision": "approve", "comment": ""},
    "changes:change_risk": {"level": "high", "reason": "Core"},
    "changes:change_freeze_exception": {"reason": "Agreed"},
    "changes:change_review": {"outcome": "successful", "incidents_caused": "0"},
    "changes:change_review_correct": {"outcome": "successful", "incidents_caused": "0"},
    "handover:check_update": {"status": "done"},
    "handover:handover_transition": {"to": "readiness_review"},
    "incidents:incident_transition": {"to": "in_progress"},
    "incidents:incident_work": {"day": "today", "hours": "1", "note": "m"},
    "incidents:incident_assign": {"group": "team", "reason": "m"},
    "knowledge:lesson_transition": {"to": "archived"},
    "knowledge:article_transition": {"to": "archived"},
    "knowledge:lesson_apply": {"context": "place:project"},
    "resources:conflict_acknowledge": {"conflict": "conflict", "comment": "Covered"},
    "portfolio:ranking_save_weights": {"w": "criterion"},
    "portfolio:benefit_realisation": {"realised": "−20 %"},
    "major:major_declare": {"summary": "m"},
    "major:major_post": {"kind": "update", "text": "m"},
    "major:engagement_add": {"person": "person", "role": "resolver"},
    "major:review_write": {"impact": "m"},
    "major:action_add": {"description": "m", "owner": "person", "due_on": "today"},
    "major:major_transition": {"to": "closed"},
    "major:action_done": {"done": "on"},
    # Problem management (issue 17)
    "incidents:problem_transition": {"to": "assess"},
    "incidents:problem_link": {"incident": "incident"},
}


# Values in the bodies above that stand for something seeded: a seeded object's name (its id
# is sent), `place:<name>` (`project:<id>`), `today`, and `w` (a weight for the named
# criterion, as the ranking form sends).
def _fill(body: dict, objects: dict) -> dict:
    from django.utils import timezone

    filled = {}
    for field, value in body.items():
        if field == "w":
            filled[f"w{objects[value].pk}"] = "2"
        elif value == "today":
            filled[field] = timezone.localdate().isoformat()
        elif isinstance(value, str) and value.startswith("place:"):
            filled[field] = f"{value[6:]}:{objects[value[6:]].pk}"
        elif isinstance(value, str) and value.startswith("="):
            filled[field] = value[1:]  # a literal that would name an object ("=review")
        elif isinstance(value, str) and value in objects:
            filled[field] = objects[value].pk
        else:
            filled[field] = value
    return filled


def body_for(endpoint: Endpoint, objects: dict, representations: dict) -> dict | None:
    """The body of an unsafe request (None for a safe one)."""
    if endpoint.method not in UNSAFE:
        return None
    if endpoint.key.startswith("/"):
        if (endpoint.method, endpoint.key) in ACTION_BODIES:
            return _fill(ACTION_BODIES[(endpoint.method, endpoint.key)], objects)
        if endpoint.method in ("POST", "PUT") and endpoint.key in representations:
            return _copy(representations[endpoint.key], fresh=endpoint.method == "POST")
        return {}
    return _fill(PAGE_BODIES.get(endpoint.key, {}), objects)


UNIQUE_TEXT = ("name", "code", "title", "username", "email", "number")


def _copy(representation: dict, *, fresh: bool) -> dict:
    """A seeded row's representation as a request body; for a new row, its unique text
    fields changed so the copy does not collide with the original."""
    body = {k: v for k, v in representation.items() if k not in ("id", "url") and v is not None}
    if fresh:
        for field in UNIQUE_TEXT:
            if isinstance(body.get(field), str):
                body[field] = (
                    body[field].replace("@", "-2@") if field == "email" else body[field] + "-2"
                )
    return body


# --- the seeded data -------------------------------------------------------------------------


def seed() -> tuple[dict, dict]:
    """(users by column, objects by name): one of every row a pattern's id can name, made by
    the factories and the services, owned by people outside the matrix's users (so the
    engineer column is an engineer's view of someone else's work).

    The CAB: an approval policy names the group that approves; here normal changes need two
    of the group `cab`, and the CAB member is an engineer in it. So the ITSM manager, who
    approves only what the policies give the ITSM managers, is refused on this change."""
    from changes.choices import ChangeState
    from changes.models import ApprovalPolicy
    from changes.services import review_record
    from handover.models import ReadinessCriterion, WorkLog
    from resources.snapshot import compute_and_publish
    from tests import factories as f
    from tests.changes.factories import (
        ChangeFactory,
        ChangeTemplateFactory,
        ConfigurationItemFactory,
        FreezeWindowFactory,
        advance,
        soon,
    )
    from tests.handover.factories import HandoverFactory, IncidentFactory, ProblemFactory
    from tests.knowledge.factories import ArticleFactory, LessonFactory
    from tests.portfolio.factories import BenefitFactory, CostFactory
    from tests.resources.factories import (
        AbsenceFactory,
        AllocationFactory,
        DemandFactory,
    )

    users = {
        role: f.UserFactory(username=f"matrix_{role}", roles=[role])
        for role in ("engineer", "pmo_lead", "itsm_manager", "executive")
    }
    users["cab_member"] = f.UserFactory(username="matrix_cab", roles=["engineer"])
    cab, _ = Group.objects.get_or_create(name=CAB_GROUP)
    users["cab_member"].groups.add(cab)
    users["inactive"] = f.UserFactory(
        username="matrix_inactive", roles=["pmo_lead"], is_active=False
    )

    o: dict = {}
    o["objective"] = f.ObjectiveFactory()
    o["criterion"] = f.CriterionFactory()
    o["team"] = f.TeamFactory()
    o["person"] = f.PersonFactory(team=o["team"], contracted_hours=Decimal(40))
    o["skill"] = f.SkillFactory()
    f.PersonSkillFactory(person=o["person"], skill=o["skill"])
    o["service"] = f.ServiceFactory(owning_team=o["team"])
    o["readiness_criterion"] = ReadinessCriterion.objects.create(name="Matrix rehearsal")
    o["project"] = f.ProjectFactory(owner=f.PersonFactory(), support_team=f.TeamFactory())
    o["handover"] = HandoverFactory(project=o["project"])
    o["check"] = o["handover"].checks.first()
    o["score"] = f.ScoreFactory(project=o["project"], criterion=o["criterion"])
    o["milestone"] = f.MilestoneFactory(project=o["project"])
    o["risk"] = f.RiskFactory(project=o["project"])
    o["benefit"] = BenefitFactory(project=o["project"])
    o["cost"] = CostFactory(project=o["project"])
    o["absence"] = AbsenceFactory(person=o["person"])
    o["demand"] = DemandFactory(project=o["project"], skill=o["skill"])
    # 50 h a week on a 40 h person: an over-allocation the engine reports.
    o["allocation"] = AllocationFactory(
        person=o["person"], project=o["project"], hours_per_week=Decimal(50)
    )
    compute_and_publish()
    from resources.models import Conflict

    o["conflict"] = Conflict.objects.order_by("pk").first()

    o["item"] = ConfigurationItemFactory(service=o["service"])
    o["template"] = ChangeTemplateFactory()
    o["template"].items.set([o["item"]])
    o["freeze"] = FreezeWindowFactory(start=soon(90))
    # A change implemented and reviewed, under the default policy (one ITSM manager)...
    o["reviewed_change"] = advance(ChangeFactory(implemented=True), ChangeState.REVIEW)
    o["review"] = review_record(
        change=o["reviewed_change"], by=o["reviewed_change"].requester, outcome="successful"
    )
    # ... then the CAB's policy, and a change waiting for it.
    o["policy"] = ApprovalPolicy.objects.create(
        change_type="normal", risk="", approver_group=cab, quorum=2
    )
    o["change"] = advance(ChangeFactory(implemented=True), ChangeState.AUTHORIZE)

    o["problem"] = ProblemFactory()
    o["incident"] = IncidentFactory(service=o["service"])
    o["worklog"] = WorkLog.objects.create(
        incident=o["incident"], person=o["person"], day=soon(-1).date(), hours=Decimal(1)
    )
    o["lesson"] = LessonFactory(published=True, project=o["project"])
    # A major incident run by an ITSM manager outside the matrix, with two people engaged
    # (one released by the page, one by the API) and a review action; a P1 to declare.
    from handover.incidents.major import services as major

    runner = f.UserFactory(username="matrix_major_runner", roles=["itsm_manager"])
    o["p1_incident"] = IncidentFactory(service=o["service"], impact=1, urgency=1, priority=1)
    # Its incident is resolved, so the major incident may move to its review.
    o["major_incident"] = major.major_declare(
        incident=IncidentFactory(
            service=o["service"], impact=1, urgency=1, priority=1, state="resolved"
        ),
        by=runner,
    )
    o["responder"] = f.PersonFactory(team=o["team"])
    o["engagement"], o["api_engagement"] = (
        major.engagement_add(
            major=o["major_incident"], by=runner, person=f.PersonFactory(), role="resolver"
        )
        for _ in range(2)
    )
    o["review_action"] = major.action_add(
        major=o["major_incident"],
        by=runner,
        description="Alert on pool saturation",
        owner=f.PersonFactory(),
        due_on=soon(14).date(),
    )
    o["article"] = ArticleFactory(published=True)
    from itsm_pmo.models import Notification

    o["notification"] = Notification.objects.create(
        recipient=f.UserFactory(roles=["engineer"]), event="assigned_to_me", title="Yours"
    )
    # Queues and assignment (issue 17): a category of the catalogue.
    from handover.models import IncidentCategory

    o["incident_category"], _ = IncidentCategory.objects.get_or_create(
        name="Matrix category", parent=None
    )
    return users, o


def representations(client, objects: dict) -> dict:
    """{API detail path and its list path: the seeded row's representation}, read once by a
    superuser, for the bodies of POST and PUT."""
    found = {}
    for collection, name in API_OBJECTS.items():
        detail = f"/api/{collection}/{{id}}/"
        response = client.get(detail.replace("{id}", str(objects[name].pk)))
        if response.status_code == 200:
            found[detail] = found[f"/api/{collection}/"] = response.json()
    return found
