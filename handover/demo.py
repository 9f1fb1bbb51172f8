"""Demo handovers and incidents: operations are in from approval. The payments migration
went live a week ago and is in early-life support, still producing incidents (some caused by
the backed-out API release); the customer portal's pilot goes live in ten days with
mandatory checks open; the HR system's payroll cut-over is planned inside the year-end change
freeze (so every kind of conflict the engine knows shows in the demo); two older projects were
handed over and closed.

Idempotent: the demo's handovers and incidents are rebuilt on each run."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from changes import selectors as change_selectors
from portfolio import selectors as portfolio_selectors
from portfolio import services as portfolio_services
from portfolio.choices import MilestoneKind
from resources import selectors as resources_selectors

from . import services
from .choices import CheckStatus, HandoverState
from .demo_history import backdate
from .incidents import demo_queues
from .incidents import services as incident_services
from .incidents.major import demo as major_demo
from .models import Handover, Incident
from .problems import demo as problem_demo

# project code -> (state to reach, checks done (by criterion name prefix), waived {name: reason})
HANDOVERS = {
    "PRJ-0101": (
        "readiness_review",
        ["Runbook", "Monitoring", "Service levels", "Security", "Knowledge"],
        {},
    ),
    "PRJ-0113": ("planning", ["Runbook", "Monitoring"], {}),
    "PRJ-0104": (
        "readiness_review",
        ["Runbook", "Support team", "Service levels", "Backup", "Security"],
        {},
    ),
    "PRJ-0103": ("planning", [], {}),
    "PRJ-0111": ("planning", [], {}),
    "PRJ-0118": ("planning", ["Security"], {}),
    "PRJ-0102": (
        "early_life_support",
        "all",
        {"Known errors": "No open defects at cut-over; the release notes list none."},
    ),
    "PRJ-0106": ("closed", "all", {}),
    "PRJ-0117": ("closed", "all", {}),
}
CLOSED_AFTER_DAYS = {"PRJ-0106": 19, "PRJ-0117": 16}  # go-live to closed
# Hypercare: the payments cut-over is hot, and the DBAs plan a person's week of support after
# the core banking upgrade, on top of a team already at 85 % (a support overload to see).
ELS_EFFORT = {"PRJ-0102": 40, "PRJ-0104": 45}
PILOT = ("PRJ-0101", "Pilot go-live (500 customers)", 10)  # days from today
# A go-live planned inside the year-end freeze (all services), this many days before it ends:
# payroll goes over for the first pay run of the year, a date the business will not move.
IN_FREEZE = ("PRJ-0111", "Payroll cut-over (go-live)", 3)
# The checks the demo engineer (Elena Novak, Platform) owns, so her inbox has checks to tick:
# the pilot's backup test (mandatory, due two weeks before its go-live: already late) and two
# of the Kubernetes upgrade's.
ENGINEER_CHECKS = {
    "PRJ-0101": ("Backup and recovery tested",),
    "PRJ-0113": ("Access handed over", "Known errors documented"),
}

# title, service, project, change title prefix, impact, urgency, days ago, state,
# assignee, hours worked, major
INCIDENTS = [
    (
        "Card payments declined after the v4.2 release",
        "Payments Gateway",
        "PRJ-0102",
        "Payments API v4.2",
        1,
        1,
        9,
        "closed",
        "Rosa Ivanova",
        6,
        True,
    ),
    (
        "Refund API timing out (connection pool exhausted)",
        "Payments Gateway",
        "PRJ-0102",
        "Payments API v4.2",
        2,
        1,
        9,
        "resolved",
        "Rosa Ivanova",
        4,
        False,
    ),
    (
        "Settlement file late to the bank",
        "Payments Gateway",
        "PRJ-0102",
        None,
        2,
        2,
        5,
        "in_progress",
        "Elena Novak",
        5,
        False,
    ),
    (
        "Payments dashboard shows stale figures",
        "Payments Gateway",
        "PRJ-0102",
        None,
        3,
        2,
        3,
        "on_hold",
        "Elena Novak",
        2,
        False,
    ),
    (
        "Intermittent 502s on the payments API",
        "Payments Gateway",
        "PRJ-0102",
        None,
        2,
        1,
        2,
        "in_progress",
        "Elena Novak",
        7,
        False,
    ),
    (
        "Password reset emails not arriving",
        "Identity & SSO",
        "PRJ-0106",
        None,
        2,
        2,
        20,
        "closed",
        None,
        1,
        False,
    ),
    (
        "VPN drops every 30 minutes for branch staff",
        "Corporate Network",
        None,
        None,
        2,
        2,
        6,
        "resolved",
        None,
        3,
        False,
    ),
    (
        "HR system slow on Monday mornings",
        "HR System",
        None,
        None,
        3,
        3,
        12,
        "closed",
        None,
        1,
        False,
    ),
    (
        "Backup job failed for the core banking standby",
        "Backup Service",
        "PRJ-0104",
        None,
        1,
        2,
        4,
        "in_progress",
        None,
        3,
        False,
    ),
    (
        "Service desk tool search returns nothing",
        "Service Desk Tooling",
        "PRJ-0117",
        None,
        3,
        2,
        26,
        "closed",
        None,
        1,
        False,
    ),
    (
        "Kubernetes node pool at 95 % memory",
        "Kubernetes Platform",
        "PRJ-0113",
        None,
        2,
        2,
        1,
        "new",
        None,
        0,
        False,
    ),
    (
        "Email delays to external recipients",
        "Email & Collaboration",
        None,
        None,
        2,
        3,
        1,
        "new",
        None,
        0,
        False,
    ),
    # Waiting in the service desk's own queue (the ITSM manager's team): nobody has taken it.
    (
        "Service desk tool: ticket attachments fail to upload",
        "Service Desk Tooling",
        None,
        None,
        2,
        1,
        0,
        "new",
        None,
        0,
        False,
    ),
]
# The incidents the payments API's pool-exhaustion problem groups (problems/demo.py).
GROUPED_UNDER_PROBLEM = ["Refund API timing out", "Intermittent 502s"]


def seed(ctx) -> None:
    manager, pmo = ctx.users["itsm_manager"], ctx.users["pmo_lead"]
    engineer = ctx.users["engineer"]
    projects = {p.code: p for p in portfolio_selectors.projects().filter(code__in=HANDOVERS)}
    _pilot(projects, pmo)
    _go_live_in_freeze(projects, pmo, ctx.made.get("freezes", []))
    Handover.objects.filter(project__in=projects.values()).delete()
    Incident.objects.filter(title__in=[i[0] for i in INCIDENTS]).delete()
    demo_queues.support_groups(ctx)  # before the incidents: each lands in its queue
    incidents = _incidents(engineer, manager, projects)
    demo_queues.tell(ctx, incidents)  # categories, a triage and a handover between DBAs
    elena = resources_selectors.person_for_user(engineer)
    handovers = [
        _handover(projects[code], plan, pmo, manager, elena)
        for code, plan in HANDOVERS.items()
        if code in projects
    ]
    ctx.counts.update(handovers=len(handovers), incidents=len(incidents))
    major_demo.seed(ctx)


def _pilot(projects, pmo) -> None:
    """The pilot's go-live, planned (or moved again on a second run) as a PMO lead would."""
    code, name, days = PILOT
    if code not in projects:
        return
    project = projects[code]
    planned = {
        "kind": MilestoneKind.GO_LIVE,
        "due_date": timezone.localdate() + timedelta(days=days),
    }
    milestone = portfolio_selectors.milestones().filter(project=project, name=name).first()
    if milestone is None:
        portfolio_services.milestone_create(
            project=project, by=pmo, fields={"name": name, **planned}
        )
    else:
        portfolio_services.milestone_update(milestone=milestone, by=pmo, fields=planned)


def _go_live_in_freeze(projects, pmo, freezes) -> None:
    """The payroll cut-over, planned inside the latest year-end freeze (one covering every
    service, which starts at least a week ahead): the engine's go_live_in_freeze."""
    code, name, days_before_end = IN_FREEZE
    covering = [f for f in freezes if f.all_services]
    if code not in projects or not covering:
        return
    freeze = max(covering, key=lambda f: f.start)
    planned = {
        "kind": MilestoneKind.GO_LIVE,
        "due_date": timezone.localdate(freeze.end) - timedelta(days=days_before_end),
    }
    project = projects[code]
    milestone = portfolio_selectors.milestones().filter(project=project, name=name).first()
    if milestone is None:
        portfolio_services.milestone_create(
            project=project, by=pmo, fields={"name": name, **planned}
        )
    else:
        portfolio_services.milestone_update(milestone=milestone, by=pmo, fields=planned)


def _matches(name: str, done) -> bool:
    return done == "all" or any(name.startswith(prefix) for prefix in done)


def _handover(project, plan, pmo, manager, engineer_person) -> Handover:
    state, done, waived = plan
    extra = {"els_effort_hours": ELS_EFFORT[project.code]} if project.code in ELS_EFFORT else {}
    handover = services.handover_open(project=project, by=pmo, **extra)
    owners = list(
        resources_selectors.people().filter(team=project.support_team).order_by("pk")[:3]
    ) or [None]
    for i, check in enumerate(handover.checks.select_related("criterion")):
        name = check.criterion.name
        reason = next((r for prefix, r in waived.items() if name.startswith(prefix)), "")
        status = (
            CheckStatus.WAIVED
            if reason
            else CheckStatus.DONE
            if _matches(name, done)
            else CheckStatus.IN_PROGRESS
            if i % 3 == 0
            else CheckStatus.TODO
        )
        engineers = ENGINEER_CHECKS.get(project.code, ())
        services.check_update(
            check=check,
            by=manager,
            status=status,
            owner=engineer_person
            if engineer_person and name in engineers
            else owners[i % len(owners)],
            evidence_url=f"https://wiki.example.org/ops/{project.code.lower()}/{check.pk}"
            if status == CheckStatus.DONE
            else "",
            waiver_reason=reason,
        )
    path = ["readiness_review", "accepted", "early_life_support", "closed"]
    for to in path[: path.index(state) + 1] if state != "planning" else []:
        by = manager if to in ("accepted", "early_life_support", "closed") else pmo
        handover = services.handover_transition(
            handover=handover, to=to, by=by, comment="Demo walk-through."
        )
    if state == HandoverState.CLOSED:
        went_live = handover.els_started_on
        days = CLOSED_AFTER_DAYS.get(project.code, 14)
        closed = timezone.make_aware(datetime.combine(went_live + timedelta(days=days), time(16)))
        Handover.objects.filter(pk=handover.pk).update(
            closed_at=closed,
            transition_days=days,
            els_ended_on=went_live + timedelta(days=14),
            accepted_at=closed - timedelta(days=days + 2),
        )
    return handover


# How long the demo's resolved incidents took, by priority (within the resolution targets).
TO_RESOLVE = {
    1: timedelta(hours=3, minutes=40),
    2: timedelta(hours=7),
    3: timedelta(hours=20),
    4: timedelta(days=2),
    5: timedelta(days=4),
}


def _incidents(reporter, manager, projects) -> list[Incident]:
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    assignees = {i[8] for i in INCIDENTS if i[8]}
    people = {p.name: p for p in resources_selectors.people().filter(name__in=assignees)}
    made = []
    now = timezone.now()
    for (
        title,
        service,
        code,
        change_prefix,
        impact,
        urgency,
        days,
        state,
        assignee,
        hours,
        major,
    ) in INCIDENTS:
        if service not in services_by_name:
            continue
        change = (
            change_selectors.changes().filter(title__startswith=change_prefix).first()
            if change_prefix
            else None
        )
        person = people.get(assignee) if assignee else None
        incident = incident_services.incident_log(
            reporter=reporter,
            title=title,
            service=services_by_name[service],
            project=projects.get(code),
            caused_by_change=change,
            impact=impact,
            urgency=urgency,
            major=major,
            assignee=person,
            opened_at=now - timedelta(days=days, hours=3),
        )
        moves = {
            "new": [],
            "in_progress": ["in_progress"],
            "on_hold": ["in_progress", "on_hold"],
            "resolved": ["in_progress", "resolved"],
            "closed": ["in_progress", "resolved", "closed"],
        }[state]
        for to in moves:
            incident = incident_services.incident_transition(
                incident=incident,
                to=to,
                by=reporter,
                resolution_notes=(
                    "Restored service; root cause recorded on the problem."
                    if to == "resolved"
                    else ""
                ),
                # The vendor's fix is awaited (the queues' demo tells the rest of it).
                hold_reason="awaiting_vendor" if to == "on_hold" else "",
            )
        if state in ("resolved", "closed"):
            # Resolved in the hours its priority allows, not at the moment the demo is built.
            opened = incident.opened_at
            to_resolve = min(TO_RESOLVE[incident.priority], now - opened - timedelta(hours=1))
            backdate(incident, opened, to_resolve)
        worker = (
            person
            or resources_selectors.people()
            .filter(team=services_by_name[service].owning_team)
            .order_by("pk")
            .first()
        )
        if hours and worker:
            incident_services.work_log(
                incident=incident,
                by=manager,  # the queue's time records are the ITSM manager's to keep
                person=worker,
                day=timezone.localdate() - timedelta(days=min(days, 4)),
                hours=hours,
                note="Investigation and fix",
            )
        made.append(incident)
    grouped = [i for i in made if any(i.title.startswith(p) for p in GROUPED_UNDER_PROBLEM)]
    problem_demo.seed(manager, grouped)
    return made
