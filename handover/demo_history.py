"""The demo's year of incidents for the executive view (issue 16): incidents of the four
quarters before this one, resolved and closed, with the time worked on them, so that the
dashboard's time to resolve by priority, incidents linked to projects, post-go-live stability
and operations tax have earlier quarters to compare with. Nothing lands in the current quarter
(handover/demo.py tells that story).

The story (changes/demo_history.py has the changes): the directory-sync upgrade of the email
tenant stopped mail to shared mailboxes (a P2); the self-service password reset go-live
(PRJ-0106) locked staff out the next morning (a P1, a major incident), and its and the service
desk tooling's (PRJ-0117) early-life support had more incidents; an expired SSO signing
certificate stopped every sign-in for an afternoon.

Fixed tables, no randomness. Logged, moved and timed through the services, then given the
times they would have had; rebuilt on every run (keyed by title), as handover/demo.py does."""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from changes import selectors as change_selectors
from itsm_pmo.demo import quarter_start
from portfolio import selectors as portfolio_selectors
from portfolio.choices import MilestoneKind
from resources import selectors as resources_selectors

from .incidents import services as incident_services
from .models import Incident, IncidentTransition

# The changes that caused the P1 and the P2 (changes/demo_history.py), by title.
P1_CHANGE = "Self-service password reset go-live: enable AD password write-back"
P2_CHANGE = "Upgrade the directory sync agent of the email tenant"

# When an incident was opened: ("q", quarters back, day of the quarter, hour); ("after",
# change title, hours after its window ended); ("golive", project code, days after its
# go-live, hour).
# title, service, project, caused by (change title), impact, urgency, opened, hours to
# resolve, assignee (None: the service's owning team), hours worked, major
INCIDENTS = [
    # --- Four quarters back.
    (
        "VPN tunnels to the branches flapping after an ISP outage",
        "Corporate Network",
        None,
        None,
        2,
        2,
        ("q", 4, 12, 9),
        10,
        None,
        4,
        False,
    ),
    (
        "Nightly data warehouse load overran into business hours",
        "Data Warehouse",
        None,
        None,
        3,
        2,
        ("q", 4, 25, 7),
        20,
        None,
        3,
        False,
    ),
    (
        "Payments API latency spike at the month-end",
        "Payments Gateway",
        None,
        None,
        2,
        1,
        ("q", 4, 30, 17),
        3,
        "Rosa Ivanova",
        4,
        False,
    ),
    (
        "Backup jobs for two VMs failing (proxy certificates)",
        "Backup Service",
        None,
        None,
        3,
        2,
        ("q", 4, 42, 8),
        26,
        None,
        3,
        False,
    ),
    (
        "Customer portal sign-in errors for some customers",
        "Customer Portal",
        None,
        None,
        2,
        2,
        ("q", 4, 47, 11),
        14,
        None,
        5,
        False,
    ),
    # --- Three quarters back.
    (
        "Standing orders batch abended on core banking",
        "Core Banking Database",
        None,
        None,
        1,
        2,
        ("q", 3, 14, 2),
        5,
        None,
        6,
        False,
    ),
    (
        "Service desk phones down for 40 minutes",
        "Service Desk Tooling",
        None,
        None,
        2,
        1,
        ("q", 3, 33, 10),
        0.75,
        None,
        2,
        False,
    ),
    (
        "Emails to external recipients bouncing (SPF record)",
        "Email & Collaboration",
        None,
        None,
        2,
        2,
        ("q", 3, 46, 9),
        8,
        None,
        3,
        False,
    ),
    (
        "Data warehouse disk full",
        "Data Warehouse",
        None,
        None,
        3,
        2,
        ("q", 3, 58, 6),
        12,
        None,
        2,
        False,
    ),
    # --- Two quarters back: the P2 a change caused.
    (
        "Harbor image pulls slow for the CI runners",
        "Kubernetes Platform",
        None,
        None,
        3,
        2,
        ("q", 2, 18, 10),
        30,
        None,
        4,
        False,
    ),
    (
        "Mail to shared mailboxes not delivered after the sync agent upgrade",
        "Email & Collaboration",
        None,
        P2_CHANGE,
        2,
        1,
        ("after", P2_CHANGE, 11),
        9,
        None,
        7,
        False,
    ),
    (
        "MFA enrolment abused with phished passwords",
        "Identity & SSO",
        None,
        None,
        1,
        2,
        ("q", 2, 31, 13),
        6,
        None,
        6,
        False,
    ),
    (
        "HR system unavailable during the payroll run",
        "HR System",
        None,
        None,
        1,
        2,
        ("q", 2, 40, 15),
        4,
        None,
        5,
        False,
    ),
    (
        "Settlement file rejected by the bank (format)",
        "Payments Gateway",
        None,
        None,
        2,
        2,
        ("q", 2, 55, 8),
        7,
        "Rosa Ivanova",
        3,
        False,
    ),
    # --- The quarter before this one: the go-lives.
    (
        "Staff locked out of their accounts after the password reset go-live",
        "Identity & SSO",
        "PRJ-0106",
        P1_CHANGE,
        1,
        1,
        ("after", P1_CHANGE, 10),
        5.5,
        None,
        12,
        True,
    ),
    (
        "Password reset text messages not delivered to some staff",
        "Identity & SSO",
        "PRJ-0106",
        None,
        2,
        2,
        ("golive", "PRJ-0106", 4, 10),
        20,
        None,
        5,
        False,
    ),
    (
        "New service desk tool: emails not turned into tickets",
        "Service Desk Tooling",
        "PRJ-0117",
        None,
        2,
        1,
        ("golive", "PRJ-0117", 2, 9),
        6,
        None,
        6,
        False,
    ),
    (
        "Ticket attachments missing after the migration",
        "Service Desk Tooling",
        "PRJ-0117",
        None,
        3,
        2,
        ("golive", "PRJ-0117", 5, 11),
        28,
        None,
        4,
        False,
    ),
    (
        "Payments test namespace out of disk",
        "Kubernetes Platform",
        "PRJ-0102",
        None,
        3,
        3,
        ("q", 1, 44, 10),
        16,
        None,
        2,
        False,
    ),
    (
        "Nobody can sign in: SSO signing certificate expired",
        "Identity & SSO",
        None,
        None,
        1,
        1,
        ("q", 1, 53, 14),
        3.7,
        None,
        5,
        True,
    ),
]
MOVES = ("in_progress", "resolved", "closed")


def seed(ctx) -> None:
    Incident.objects.filter(title__in=[row[0] for row in INCIDENTS]).delete()
    reporter, manager = ctx.users["engineer"], ctx.users["itsm_manager"]
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    codes = {row[2] for row in INCIDENTS if row[2]} | {
        row[6][1] for row in INCIDENTS if row[6][0] == "golive"
    }
    projects = {p.code: p for p in portfolio_selectors.projects().filter(code__in=codes)}
    go_lives = dict(
        portfolio_selectors.milestones()
        .filter(project__in=projects.values(), kind=MilestoneKind.GO_LIVE)
        .order_by("due_date")
        .values_list("project__code", "due_date")
    )
    causes = {
        c.title: c
        for c in change_selectors.changes().filter(title__in=[P1_CHANGE, P2_CHANGE]).order_by("-pk")
    }
    made = [
        _incident(row, reporter, manager, services_by_name, projects, go_lives, causes)
        for row in INCIDENTS
        if row[1] in services_by_name
    ]
    ctx.counts["incidents"] = ctx.counts.get("incidents", 0) + len(made)


def _opened(when: tuple, go_lives: dict, causes: dict) -> datetime:
    slot, key, offset, *hour = when
    if slot == "after":
        return causes[key].planned_end + timedelta(hours=offset)
    if slot == "q":
        day = quarter_start(key) + timedelta(days=offset)
    else:
        day = go_lives.get(key, quarter_start(0)) + timedelta(days=offset)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=hour[0]
    )


def _incident(row, reporter, manager, services_by_name, projects, go_lives, causes) -> Incident:
    title, service, code, cause, impact, urgency, when, hours, assignee, worked, major = row
    to_resolve = timedelta(hours=hours)
    # Resolved before the current quarter begins, closed two days after (or before it).
    latest = _start_of(quarter_start(0)) - to_resolve - timedelta(days=1)
    opened = min(_opened(when, go_lives, causes), latest)
    service = services_by_name[service]
    team = resources_selectors.people().filter(team=service.owning_team).order_by("pk")
    person = (
        resources_selectors.people().filter(name=assignee).first() if assignee else team.first()
    )
    incident = incident_services.incident_log(
        reporter=reporter,
        title=title,
        service=service,
        project=projects.get(code),
        caused_by_change=causes.get(cause),
        impact=impact,
        urgency=urgency,
        major=major,
        assignee=person,
        opened_at=opened,
    )
    for to in MOVES:
        incident = incident_services.incident_transition(
            incident=incident,
            to=to,
            by=reporter,
            resolution_notes="Service restored; the cause is in the notes."
            if to == "resolved"
            else "",
        )
    if person:
        incident_services.work_log(
            incident=incident,
            by=manager,  # the queue's time records are the ITSM manager's to keep
            person=person,
            day=timezone.localdate(opened),
            hours=worked,
            note="Investigation and fix",
        )
    backdate(incident, opened, to_resolve)
    return incident


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def backdate(incident: Incident, opened: datetime, to_resolve: timedelta) -> None:
    """Taken within a quarter of an hour, resolved `to_resolve` after it was opened, closed
    two days later (not after now), as far as its trail goes. The trail is the demo's own to
    rewrite (IncidentTransition.objects refuses: the application never alters a recorded
    move)."""
    moments = {
        "in_progress": opened + min(timedelta(minutes=15), to_resolve / 4),
        "resolved": opened + to_resolve,
        "closed": min(opened + to_resolve + timedelta(days=2), timezone.now()),
    }
    trail = list(models.QuerySet(model=IncidentTransition).filter(incident=incident))
    for row in trail:
        row.at = moments[row.to_state]
    models.QuerySet(model=IncidentTransition).bulk_update(trail, ["at"])
    reached = {row.to_state for row in trail}
    Incident.objects.filter(pk=incident.pk).update(
        **{f"{state}_at": moment for state, moment in moments.items() if state in reached}
    )
