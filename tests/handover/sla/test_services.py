"""Timers kept by the incident writes, the "breaching in the next hour" filter, the sweep's
warning and escalations, and the rebuild giving what the writes kept."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from handover.incidents import services
from handover.incidents.sla.models import SlaEvent, SlaTimer
from handover.incidents.sla.services import sla_rebuild, sla_sweep
from handover.models import Incident, IncidentPriorityChange, IncidentTransition
from itsm_pmo.models import Notification
from resources.models import Absence
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
MIN = timedelta(minutes=1)


def timer(incident, kind="resolution") -> SlaTimer:
    return SlaTimer.objects.get(incident=incident, kind=kind)


def told(event: str) -> set[str]:
    return set(
        Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


def test_logging_an_incident_starts_both_timers(desk):
    # given a P1 on a round-the-clock service, opened ten minutes ago
    incident = desk.log(ago=10 * MIN)
    # then its response is due 15 minutes and its resolution 4 hours after it opened
    assert timer(incident, "response").due_at == incident.opened_at + 15 * MIN
    assert timer(incident).due_at == incident.opened_at + 240 * MIN
    incident.refresh_from_db()
    assert incident.resolution_due_at == incident.opened_at + 240 * MIN


def test_starting_work_is_the_first_response(desk):
    incident = desk.log(ago=10 * MIN)
    desk.start(incident)
    response = timer(incident, "response")
    assert response.stopped_at is not None and response.due_at is None
    assert response.breached_at is None
    assert response.status == "met"


def test_raising_impact_records_the_priority_change_and_tightens_the_target(desk):
    # given a P3 opened an hour ago
    incident = desk.log(ago=60 * MIN, impact=2, urgency=2)
    assert timer(incident).priority == 3
    # when its impact is raised (P2)
    services.incident_update(incident=incident, by=desk.itsm, impact=1)
    # then the change is recorded, with who made it
    change = IncidentPriorityChange.objects.get(incident=incident)
    assert (change.from_priority, change.to_priority, change.by) == (3, 2, desk.itsm)
    # and the resolution is due 8 hours after opening (the hour spent carries over)
    assert timer(incident).priority == 2
    assert timer(incident).due_at == incident.opened_at + 480 * MIN
    incident.refresh_from_db()
    assert incident.resolution_due_at == incident.opened_at + 480 * MIN


def test_an_edit_that_keeps_the_priority_records_no_change(desk):
    incident = desk.log(ago=60 * MIN, impact=2, urgency=2)
    services.incident_update(incident=incident, by=desk.itsm, title="Card payments slow")
    services.incident_update(incident=incident, by=desk.itsm, impact=3, urgency=1)  # still P3
    assert not IncidentPriorityChange.objects.filter(incident=incident).exists()


def test_resolving_stops_the_clock_and_clears_the_due_moment(desk):
    incident = desk.start(desk.log(ago=30 * MIN))
    incident = services.incident_transition(
        incident=incident, to="resolved", by=desk.itsm, resolution_notes="Restarted the gateway."
    )
    assert timer(incident).status == "met"
    assert Incident.objects.get(pk=incident.pk).resolution_due_at is None


def test_a_rebuild_reads_pauses_from_the_hold_reasons(desk):
    # given a P1 opened 3 hours ago, waiting for the vendor (pausing) for the last 2 hours,
    # and another waiting on a problem (not pausing) as long
    paused, running = desk.log(ago=180 * MIN), desk.log(ago=180 * MIN)
    for incident, reason in ((paused, "awaiting_vendor"), (running, "awaiting_problem")):
        opened = incident.opened_at
        IncidentTransition.objects.create(
            incident=incident, from_state="new", to_state="in_progress", at=opened + 10 * MIN
        )
        IncidentTransition.objects.create(
            incident=incident,
            from_state="in_progress",
            to_state="on_hold",
            hold_reason=reason,
            at=opened + 60 * MIN,
        )
    # when the timers are rebuilt from that history
    sla_rebuild(now=paused.opened_at + 180 * MIN)
    # then the vendor's two hours are paused and the incident has no due moment
    vendor = timer(paused)
    assert vendor.is_paused and vendor.status == "paused" and vendor.due_at is None
    assert vendor.elapsed_seconds == 60 * 60 and vendor.paused_seconds == 120 * 60
    assert Incident.objects.get(pk=paused.pk).resolution_due_at is None
    # and the problem's two hours count
    problem = timer(running)
    assert not problem.is_paused and problem.elapsed_seconds >= 179 * 60
    assert problem.due_at == running.opened_at + 240 * MIN


def test_breaching_next_hour_lists_only_timers_due_within_the_hour(desk, page_clients, api_clients):
    # given a P1 due in 30 minutes, a P3 due in hours and a P1 already breached
    soon = desk.start(desk.log(ago=210 * MIN, title="Soon"))
    later = desk.start(desk.log(ago=10 * MIN, impact=2, urgency=2, title="Later"))
    late = desk.start(desk.log(ago=300 * MIN, title="Late"))
    # when the list is filtered, on the page and in the API
    page = page_clients("engineer").get("/incidents/", {"breaching": "next_hour"})
    api = api_clients("engineer").get("/api/handover/incidents/", {"breaching": "next_hour"})
    # then only the one due within the hour is listed
    assert [i.pk for i in page.context["object_list"]] == [soon.pk]
    assert [row["id"] for row in api.json()["results"]] == [soon.pk]
    assert later.number not in page.content.decode() and late.number not in page.content.decode()


def test_the_sweep_warns_once_at_75_percent(
    desk, in_process_tasks, django_capture_on_commit_callbacks
):
    # given a P1 started, 3 h 10 min into its 4 hours, and another at half way
    warned = desk.start(desk.log(ago=190 * MIN))
    calm = desk.start(desk.log(ago=120 * MIN))
    # when the sweep runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        first = sla_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        second = sla_sweep()
    # then the assignee and the group were warned once, of the first only
    assert first == {"warned": 1, "breached": 0} and second == {"warned": 0, "breached": 0}
    assert told("sla_warning") == {"desk_assignee", "desk_member"}
    assert Notification.objects.filter(event="sla_warning").count() == 2
    event = SlaEvent.objects.get(kind="warning")
    member = desk.member.user
    assert event.incident_id == warned.pk and member.get_full_name() in event.told_names
    assert timer(warned).warned_at is not None and timer(calm).warned_at is None
    assert not told("sla_breach") and not told("escalation")


def test_a_p1_breach_escalates_to_the_group_manager_and_the_itsm_managers(
    desk, in_process_tasks, django_capture_on_commit_callbacks
):
    incident = desk.start(desk.log(ago=250 * MIN))
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep()["breached"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep()["breached"] == 0
    assert told("sla_breach") == {"desk_assignee", "desk_member"}
    assert "desk_manager" in told("escalation") and "desk_itsm" in told("escalation")
    kinds = set(SlaEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    assert kinds == {"breach", "escalated_manager", "escalated_itsm"}
    assert timer(incident).escalated_at is not None
    assert timer(incident).status == "breached"


def test_a_p2_breach_escalates_to_the_group_manager_only(
    desk, in_process_tasks, django_capture_on_commit_callbacks
):
    incident = desk.start(desk.log(ago=490 * MIN, impact=1, urgency=2))
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep()
    assert told("escalation") == {"desk_manager"}
    kinds = set(SlaEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    assert kinds == {"breach", "escalated_manager"}


def test_a_paused_timer_is_neither_warned_nor_escalated(desk, in_process_tasks):
    incident = desk.start(desk.log(ago=250 * MIN))
    IncidentTransition.objects.create(
        incident=incident,
        from_state="in_progress",
        to_state="on_hold",
        hold_reason="awaiting_caller",
        at=incident.opened_at + 100 * MIN,
    )
    sla_rebuild()
    assert sla_sweep() == {"warned": 0, "breached": 0}
    assert not SlaEvent.objects.exists()


def test_a_rebuild_gives_what_the_writes_kept(desk):
    # given incidents kept up to date by their writes: new, started, resolved, raised
    desk.log(ago=5 * MIN)
    desk.start(desk.log(ago=100 * MIN, impact=2, urgency=2))
    resolved = desk.start(desk.log(ago=300 * MIN))
    services.incident_transition(
        incident=resolved, to="resolved", by=desk.itsm, resolution_notes="Fixed."
    )
    raised = desk.log(ago=30 * MIN, impact=3, urgency=3)
    services.incident_update(incident=raised, by=desk.itsm, impact=1, urgency=1)
    fields = ["incident", "kind", "priority", "target_seconds", "started_at", "due_at"]
    fields += ["warn_at", "stopped_at", "breached_at", "is_paused", "paused_seconds"]

    def kept():
        return list(SlaTimer.objects.order_by("incident", "kind").values(*fields))

    before = kept()
    stopped = SlaTimer.objects.filter(stopped_at__isnull=False)
    ended = {(t.incident_id, t.kind): t.elapsed_seconds for t in stopped}
    # when every timer is thrown away and rebuilt by the command
    SlaTimer.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_sla_timers", "--batch", "2", stdout=out)
    assert "of 4 incidents" in out.getvalue()
    # then they are the same
    assert kept() == before
    assert len(before) == 8
    # and a stopped clock's elapsed time is what it was
    assert {(t.incident_id, t.kind): t.elapsed_seconds for t in stopped} == ended


def test_public_holidays_from_the_absences_stop_business_hours_only(desk, settings):
    # given the early May bank holiday (Monday 4 May 2026) for everyone, in London
    settings.TIME_ZONE = "Europe/London"
    Absence.objects.create(
        person=None, kind="public_holiday", start_date=date(2026, 5, 4), end_date=date(2026, 5, 4)
    )
    london = ZoneInfo("Europe/London")
    friday = datetime(2026, 5, 1, 17, tzinfo=london)
    office = ServiceFactory(name="HR", support_hours="business_hours", support_group=desk.team)
    staffed = ServiceFactory(name="Email", support_hours="extended", support_group=desk.team)
    # when a P1 is logged on each on Friday at 17:00 and the timers are computed then
    on_office = services.incident_log(
        reporter=desk.reporter,
        title="Payroll",
        service=office,
        impact=1,
        urgency=1,
        opened_at=friday,
    )
    on_staffed = services.incident_log(
        reporter=desk.reporter,
        title="Mail",
        service=staffed,
        impact=1,
        urgency=1,
        opened_at=friday,
    )
    sla_rebuild(now=friday)
    # then on business hours the four hours run Friday 17–18 and Tuesday 08–11
    assert timer(on_office).due_at == datetime(2026, 5, 5, 11, tzinfo=london)
    # and on extended cover Friday 17–21
    assert timer(on_staffed).due_at == datetime(2026, 5, 1, 21, tzinfo=london)
