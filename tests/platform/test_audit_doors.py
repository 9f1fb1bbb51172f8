"""Every door that moves a workflow's object writes exactly one audit row: who, when, from,
to and why. Each workflow is moved once through its page and once through the API (and the
board's drag and drop, and the CAB's decision on both doors), and its trail is read back.

Bulk paths: the board moves one card per request through the same view; the CSV import
raises proposals (no move); the demo loaders are left out by the issue."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.changes.factories import ChangeFactory
from tests.changes.test_cab import waiting_change
from tests.factories import PersonFactory, ProjectFactory
from tests.handover.factories import HandoverFactory, IncidentFactory, ProblemFactory
from tests.handover.handover_helpers import days
from tests.knowledge.factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Door:
    role: str
    make: Any  # (role_user) -> the object, in the state the move starts from
    page: str | None  # URL templates with {pk}; None where there is no page
    api: str
    body: dict
    to: str
    comment: str = ""
    api_body: dict | None = None  # when the API takes other words than the form


def _engineer_with_person(role_user):
    user = role_user("engineer")
    if not hasattr(user, "person"):
        PersonFactory(user=user)
        user.refresh_from_db()
    return user


DOORS = {
    "project": Door(
        "pmo_lead",
        lambda role_user: ProjectFactory(),
        "/portfolio/projects/{pk}/transition/",
        "/api/portfolio/projects/{pk}/transition/",
        {"to": "on_hold", "comment": "Waiting for the budget"},
        to="on_hold",
        comment="Waiting for the budget",
    ),
    "change": Door(
        "engineer",
        lambda role_user: ChangeFactory(requester=role_user("engineer")),
        "/changes/{pk}/transition/",
        "/api/changes/changes/{pk}/transition/",
        {"to": "assess", "comment": "Ready for review"},
        to="assess",
        comment="Ready for review",
    ),
    "change (CAB decision)": Door(
        "itsm_manager",
        lambda role_user: waiting_change(),
        "/changes/{pk}/decide/",
        "/api/changes/changes/{pk}/approvals/",
        {"decision": "approve", "comment": "Fine by me"},
        to="scheduled",
        comment="Quorum of approvals reached.",
    ),
    "handover": Door(
        "pmo_lead",
        lambda role_user: HandoverFactory(go_live=days(30)),
        "/handover/{pk}/transition/",
        "/api/handover/handovers/{pk}/transition/",
        {"to": "readiness_review", "comment": "Plan complete"},
        to="readiness_review",
        comment="Plan complete",
    ),
    "incident": Door(
        "engineer",
        lambda role_user: _engineer_with_person(role_user) and IncidentFactory(),
        "/incidents/{pk}/transition/",
        "/api/handover/incidents/{pk}/transition/",
        {"to": "in_progress"},
        to="in_progress",
    ),
    "problem": Door(
        "itsm_manager",
        lambda role_user: ProblemFactory(workaround="Recycle the pool", state="resolved"),
        "/incidents/problems/{pk}/transition/",
        "/api/handover/problems/{pk}/transition/",
        {"to": "closed", "comment": "No recurrence for a month"},
        to="closed",
        comment="No recurrence for a month",
    ),
    "lesson": Door(
        "pmo_lead",
        lambda role_user: LessonFactory(),
        "/knowledge/lessons/{pk}/transition/",
        "/api/knowledge/lessons/{pk}/transition/",
        {"to": "published", "comment": "Checked"},
        to="published",
        comment="Checked",
    ),
    "article": Door(
        "itsm_manager",
        lambda role_user: ArticleFactory(),
        "/knowledge/articles/{pk}/transition/",
        "/api/knowledge/articles/{pk}/transition/",
        {"to": "published", "comment": "Checked"},
        to="published",
        comment="Checked",
    ),
}


def _state(obj) -> str:
    obj.refresh_from_db()
    return getattr(obj, "stage", None) or obj.state


def _trail(obj) -> list:
    return list(obj.transitions.order_by("pk"))


def _assert_one_row(obj, before: list, *, user, source: str, door: Door, started):
    rows = _trail(obj)
    assert len(rows) == len(before) + 1, f"{len(rows) - len(before)} rows for one move"
    row = rows[-1]
    assert (row.from_state, row.to_state) == (source, door.to)
    assert row.by == user
    assert started <= row.at <= timezone.now() + timedelta(seconds=1)
    assert row.comment == door.comment
    assert _state(obj) == door.to


@pytest.mark.parametrize("name", [name for name, door in DOORS.items() if door.page])
def test_a_move_through_the_page_writes_one_audit_row(name, page_clients, role_user):
    door = DOORS[name]
    # given an object in the state the move starts from
    obj = door.make(role_user)
    source, before, started = _state(obj), _trail(obj), timezone.now()
    # when the role moves it through its page
    answer = page_clients(door.role).post(str(door.page).format(pk=obj.pk), door.body)
    # then the page went through, and the trail has exactly one new row, saying it all
    assert answer.status_code in (200, 302), answer.content[:300]
    _assert_one_row(
        obj, before, user=role_user(door.role), source=source, door=door, started=started
    )


@pytest.mark.parametrize("name", DOORS)
def test_a_move_through_the_api_writes_one_audit_row(name, api_clients, role_user):
    door = DOORS[name]
    obj = door.make(role_user)
    source, before, started = _state(obj), _trail(obj), timezone.now()
    answer = api_clients(door.role).post(
        door.api.format(pk=obj.pk), door.api_body or door.body, format="json"
    )
    assert answer.status_code in (200, 201), answer.json()
    _assert_one_row(
        obj, before, user=role_user(door.role), source=source, door=door, started=started
    )


def test_a_move_by_the_boards_drag_and_drop_writes_one_audit_row(page_clients, role_user):
    # given a card on the board
    door = DOORS["project"]
    project = ProjectFactory()
    before, started = _trail(project), timezone.now()
    # when the PMO lead drops it in another column (the board asks for JSON)
    answer = page_clients("pmo_lead").post(
        str(door.page).format(pk=project.pk), door.body, HTTP_ACCEPT="application/json"
    )
    # then one row, as from the form
    assert answer.status_code == 200, answer.content
    _assert_one_row(
        project, before, user=role_user("pmo_lead"), source="proposed", door=door, started=started
    )


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_refused_move_writes_no_audit_row(door, page_clients, api_clients, role_user):
    # given a proposal, and a move the table does not allow from it
    project = ProjectFactory()
    url = DOORS["project"].page if door == "page" else DOORS["project"].api
    client = page_clients("pmo_lead") if door == "page" else api_clients("pmo_lead")
    # when it is asked for
    answer = client.post(
        url.format(pk=project.pk), {"to": "closed"}, **({"format": "json"} if door == "api" else {})
    )
    # then it is refused and the trail stays empty
    assert answer.status_code == 409
    assert _trail(project) == [] and _state(project) == "proposed"
