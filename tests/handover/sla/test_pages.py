"""The timers on the incident pages and in the API: colours, the escalation records, and
read-only fields."""

import re
from datetime import timedelta

import pytest
from django.utils.html import escape

from handover.incidents.sla.services import sla_sweep

pytestmark = pytest.mark.django_db
MIN = timedelta(minutes=1)


def test_the_list_shows_time_left_with_its_colour(desk, page_clients):
    # given a P1 well within its targets and one at 80 % of its resolution target
    fresh = desk.log(ago=5 * MIN, title="Fresh")
    warm = desk.start(desk.log(ago=195 * MIN, title="Warm"))
    # when the list is shown
    html = page_clients("engineer").get("/incidents/").content.decode()
    # then each row says its time left in its colour
    fresh_cell = html.split(f'data-testid="sla-{fresh.number}"')[1].split("</td>")[0]
    assert 'data-status="ok"' in fresh_cell and re.search(r"Respond in (9|10) min", fresh_cell)
    warm_cell = html.split(f'data-testid="sla-{warm.number}"')[1].split("</td>")[0]
    assert 'data-status="warning"' in warm_cell and re.search(r"Resolve in 4[45] min", warm_cell)
    assert "text-bg-warning" in warm_cell


def test_the_detail_shows_both_timers_and_the_escalations(
    desk, page_clients, in_process_tasks, django_capture_on_commit_callbacks
):
    # given a P1 past its resolution target, escalated by the sweep
    incident = desk.start(desk.log(ago=250 * MIN))
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep()
    # when an engineer opens it
    html = page_clients("engineer").get(incident.get_absolute_url()).content.decode()
    # then both timers and the escalation records with who was told are shown
    assert 'data-testid="sla-response"' in html and 'data-testid="sla-resolution"' in html
    assert "Response late" in html and re.search(r"Resolution overdue by (9|10) min", html)
    assert "Escalated to the group&#x27;s manager" in html
    assert "Escalated to the ITSM managers (P1)" in html
    assert escape(desk.manager.user.get_full_name()) in html


def test_a_paused_timer_says_so(desk, page_clients):
    from handover.incidents.sla.services import sla_refresh
    from handover.models import IncidentTransition

    incident = desk.log(ago=30 * MIN)
    IncidentTransition.objects.create(
        incident=incident, from_state="new", to_state="in_progress", at=incident.opened_at + MIN
    )
    IncidentTransition.objects.create(
        incident=incident,
        from_state="in_progress",
        to_state="on_hold",
        hold_reason="awaiting_caller",
        at=incident.opened_at + 20 * MIN,
    )
    sla_refresh(incident=incident)
    html = page_clients("engineer").get("/incidents/").content.decode()
    assert "Resolution paused" in html and 'data-status="paused"' in html


def test_the_api_shows_the_timers_read_only(desk, api_clients):
    incident = desk.log(ago=5 * MIN)
    client = api_clients("itsm_manager")
    url = f"/api/handover/incidents/{incident.pk}/"
    body = client.get(url).json()
    kinds = {t["kind"]: t for t in body["sla_timers"]}
    assert set(kinds) == {"response", "resolution"}
    assert kinds["resolution"]["target_seconds"] == 4 * 3600
    assert kinds["resolution"]["status"] == "ok"
    assert body["resolution_due_at"] is not None
    # when a client tries to write them, they are ignored
    answer = client.patch(
        url, {"sla_timers": [], "resolution_due_at": "2030-01-01T00:00:00Z"}, format="json"
    )
    assert answer.status_code == 200
    after = client.get(url).json()
    assert len(after["sla_timers"]) == 2
    assert after["resolution_due_at"] == body["resolution_due_at"]
