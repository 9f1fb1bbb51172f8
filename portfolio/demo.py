"""Demo portfolio: objectives, the service catalogue, the scoring model and ~30 projects in
every stage, with scores, milestones, risks, benefits and a stage log (times --scale)."""

from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

from . import demo_history
from .choices import BASELINED_STAGES, Cover, CriterionKind, Health, MilestoneKind, Stage, Tier
from .models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    ProjectObjective,
    ProjectTransition,
    Risk,
    Score,
    Service,
    StrategicObjective,
)

OBJECTIVES = [
    ("Resilient digital services", 9, "No customer-facing outage longer than 30 minutes."),
    ("Customer self-service", 8, "Move 40 % of service-desk contacts to self-service."),
    ("Security and compliance", 8, "Pass ISO 27001 surveillance with no major findings."),
    ("Cost efficiency", 6, "Cut run costs by 10 % through consolidation and cloud."),
    ("Data-driven decisions", 5, "One trusted reporting platform for the executive team."),
]

SERVICES = [
    # name, owning team, tier, cover
    ("Customer Portal", "Application Development", Tier.MISSION_CRITICAL, Cover.ALWAYS),
    ("Payments Gateway", "Platform", Tier.MISSION_CRITICAL, Cover.ALWAYS),
    ("Core Banking Database", "Database", Tier.MISSION_CRITICAL, Cover.ALWAYS),
    ("Identity & SSO", "Security", Tier.MISSION_CRITICAL, Cover.ALWAYS),
    ("Corporate Network", "Network", Tier.BUSINESS_CRITICAL, Cover.ALWAYS),
    ("Kubernetes Platform", "Platform", Tier.BUSINESS_CRITICAL, Cover.EXTENDED),
    ("Service Desk Tooling", "Service Desk", Tier.BUSINESS_CRITICAL, Cover.EXTENDED),
    ("Data Warehouse", "Database", Tier.BUSINESS_OPERATIONAL, Cover.BUSINESS_HOURS),
    ("HR System", "Application Development", Tier.BUSINESS_OPERATIONAL, Cover.BUSINESS_HOURS),
    ("Email & Collaboration", "Platform", Tier.BUSINESS_CRITICAL, Cover.EXTENDED),
    ("Backup Service", "Database", Tier.BUSINESS_CRITICAL, Cover.EXTENDED),
    ("Intranet", "Application Development", Tier.ADMINISTRATIVE, Cover.BUSINESS_HOURS),
]

CRITERIA = [
    # name, weight, higher is better, kind, description
    ("Business value", "3", True, CriterionKind.SCORED, "Revenue, savings or customer benefit."),
    (
        "Strategic alignment",
        "3",
        True,
        CriterionKind.ALIGNMENT,
        "Computed from the objectives the project serves and their weights.",
    ),
    ("Delivery risk", "2", False, CriterionKind.SCORED, "How likely delivery goes wrong."),
    (
        "Operational impact",
        "2",
        True,
        CriterionKind.SCORED,
        "How much it improves the running of services (stability, toil, cover).",
    ),
    (
        "Security & compliance",
        "2",
        True,
        CriterionKind.SCORED,
        "Does it close audit findings or reduce exposure?",
    ),
    ("Effort", "1", False, CriterionKind.SCORED, "Cost and people needed to deliver."),
    ("Urgency", "1", True, CriterionKind.SCORED, "Deadlines: end of support, regulation."),
]

# code, name, stage, health, services, objectives {name: pct}, support team, effort, cover,
# scores [value, risk, ops, security, effort, urgency] (None = not scored yet), summary
PROJECTS = [
    (
        "PRJ-0101",
        "Customer portal redesign",
        Stage.IN_FLIGHT,
        Health.AMBER,
        ["Customer Portal", "Identity & SSO"],
        {"Customer self-service": 90, "Resilient digital services": 30},
        "Application Development",
        "12",
        Cover.ALWAYS,
        [5, 3, 3, 3, 4, 3],
        "A new self-service portal: order tracking, account changes and chat in one place.",
    ),
    (
        "PRJ-0102",
        "Payments gateway migration to cloud",
        Stage.HANDOVER,
        Health.GREEN,
        ["Payments Gateway", "Kubernetes Platform"],
        {"Resilient digital services": 80, "Cost efficiency": 60},
        "Platform",
        "16",
        Cover.ALWAYS,
        [5, 4, 4, 4, 4, 5],
        "Move the payments gateway from the ageing data centre to the Kubernetes platform.",
    ),
    (
        "PRJ-0103",
        "Single sign-on for all staff apps",
        Stage.APPROVED,
        Health.GREEN,
        ["Identity & SSO", "HR System", "Intranet"],
        {"Security and compliance": 90},
        "Security",
        "6",
        Cover.ALWAYS,
        [4, 2, 3, 5, 3, 4],
        "Put every staff application behind SSO with MFA; retire local passwords.",
    ),
    (
        "PRJ-0104",
        "Core banking database upgrade",
        Stage.IN_FLIGHT,
        Health.RED,
        ["Core Banking Database", "Backup Service"],
        {"Resilient digital services": 70, "Security and compliance": 50},
        "Database",
        "10",
        Cover.ALWAYS,
        [4, 5, 4, 4, 5, 5],
        "Upgrade from an unsupported release before extended support ends in March.",
    ),
    (
        "PRJ-0105",
        "Network refresh – branch offices",
        Stage.ASSESSED,
        Health.GREEN,
        ["Corporate Network"],
        {"Resilient digital services": 60, "Cost efficiency": 40},
        "Network",
        "4",
        Cover.EXTENDED,
        [3, 3, 4, 3, 4, 3],
        "Replace end-of-life branch routers and switches in 42 offices.",
    ),
    (
        "PRJ-0106",
        "Self-service password reset",
        Stage.CLOSED,
        Health.GREEN,
        ["Identity & SSO", "Service Desk Tooling"],
        {"Customer self-service": 60, "Cost efficiency": 40},
        "Service Desk",
        "2",
        Cover.BUSINESS_HOURS,
        [4, 1, 4, 3, 1, 2],
        "Let staff reset their own passwords; 18 % of desk calls were resets.",
    ),
    (
        "PRJ-0107",
        "Data warehouse consolidation",
        Stage.PROPOSED,
        Health.GREEN,
        ["Data Warehouse"],
        {"Data-driven decisions": 90, "Cost efficiency": 50},
        "Database",
        "8",
        Cover.BUSINESS_HOURS,
        [4, 3, None, None, 4, None],
        "Merge three reporting databases into one governed warehouse.",
    ),
    (
        "PRJ-0108",
        "Chatbot for the service desk",
        Stage.PROPOSED,
        Health.GREEN,
        ["Service Desk Tooling", "Customer Portal"],
        {"Customer self-service": 70},
        None,
        None,
        "",
        [None, None, None, None, None, None],
        "A virtual agent that answers the top 50 questions and raises tickets.",
    ),
    (
        "PRJ-0109",
        "Backup platform replacement",
        Stage.ASSESSED,
        Health.AMBER,
        ["Backup Service"],
        {"Resilient digital services": 70, "Security and compliance": 40},
        "Database",
        "6",
        Cover.EXTENDED,
        [3, 2, 5, 4, 3, 4],
        "Replace tape-based backups with immutable object storage; ransomware resilience.",
    ),
    (
        "PRJ-0110",
        "Email migration to cloud suite",
        Stage.ON_HOLD,
        Health.AMBER,
        ["Email & Collaboration"],
        {"Cost efficiency": 70},
        "Platform",
        "5",
        Cover.EXTENDED,
        [3, 3, 2, 3, 3, 2],
        "Move mailboxes to the cloud collaboration suite; paused for licensing talks.",
    ),
    (
        "PRJ-0111",
        "HR system replacement",
        Stage.APPROVED,
        Health.GREEN,
        ["HR System"],
        {"Cost efficiency": 40, "Data-driven decisions": 30},
        "Application Development",
        "6",
        Cover.BUSINESS_HOURS,
        [3, 3, 2, 3, 4, 4],
        "Replace the on-premises HR system whose vendor ends support next year.",
    ),
    (
        "PRJ-0112",
        "Intranet relaunch",
        Stage.REJECTED,
        Health.GREEN,
        ["Intranet"],
        {"Customer self-service": 10},
        "Application Development",
        "2",
        Cover.BUSINESS_HOURS,
        [2, 2, 1, 1, 3, 1],
        "A new intranet; rejected in favour of the collaboration suite's sites.",
    ),
    (
        "PRJ-0113",
        "Kubernetes platform upgrade",
        Stage.IN_FLIGHT,
        Health.GREEN,
        ["Kubernetes Platform"],
        {"Resilient digital services": 60, "Security and compliance": 40},
        "Platform",
        "3",
        Cover.EXTENDED,
        [3, 3, 4, 4, 2, 4],
        "Upgrade clusters two minor versions; enable pod security standards.",
    ),
    (
        "PRJ-0114",
        "Vulnerability scanning everywhere",
        Stage.PROPOSED,
        Health.GREEN,
        ["Kubernetes Platform", "Corporate Network"],
        {"Security and compliance": 100},
        "Security",
        "4",
        Cover.BUSINESS_HOURS,
        [3, 2, 3, 5, 2, None],
        "Continuous scanning of every server, container image and network device.",
    ),
    (
        "PRJ-0115",
        "Mobile banking app v3",
        Stage.PROPOSED,
        Health.GREEN,
        ["Customer Portal", "Payments Gateway"],
        {"Customer self-service": 80},
        None,
        None,
        "",
        [5, 4, None, None, 5, 3],
        "Rebuild the mobile app on the new portal APIs; push notifications.",
    ),
    (
        "PRJ-0116",
        "Monitoring consolidation",
        Stage.ASSESSED,
        Health.GREEN,
        ["Kubernetes Platform", "Corporate Network", "Core Banking Database"],
        {"Resilient digital services": 80, "Cost efficiency": 30},
        "Platform",
        "4",
        Cover.ALWAYS,
        [3, 2, 5, 2, 3, 3],
        "Four monitoring tools become one, with alert routing to the on-call rota.",
    ),
    (
        "PRJ-0117",
        "Service desk tooling upgrade",
        Stage.CLOSED,
        Health.GREEN,
        ["Service Desk Tooling"],
        {"Customer self-service": 40},
        "Service Desk",
        "3",
        Cover.EXTENDED,
        [3, 2, 3, 2, 2, 3],
        "Upgraded the ticketing tool and its integrations.",
    ),
    (
        "PRJ-0118",
        "Privileged access management",
        Stage.APPROVED,
        Health.AMBER,
        ["Identity & SSO", "Core Banking Database"],
        {"Security and compliance": 100},
        "Security",
        "5",
        Cover.ALWAYS,
        [3, 3, 3, 5, 3, 5],
        "Vault every administrator credential; session recording for production.",
    ),
    (
        "PRJ-0119",
        "Open banking APIs",
        Stage.PROPOSED,
        Health.GREEN,
        ["Payments Gateway"],
        {"Customer self-service": 50, "Security and compliance": 30},
        "Platform",
        "6",
        Cover.ALWAYS,
        [4, 4, 2, 3, 4, 5],
        "Regulatory APIs for third-party providers, due by the regulator's deadline.",
    ),
    (
        "PRJ-0120",
        "Branch Wi-Fi for customers",
        Stage.ON_HOLD,
        Health.GREEN,
        ["Corporate Network"],
        {"Customer self-service": 20},
        "Network",
        "2",
        Cover.BUSINESS_HOURS,
        [2, 2, 1, 2, 2, 1],
        "Guest Wi-Fi in branches; waiting for the network refresh.",
    ),
    (
        "PRJ-0121",
        "Disaster recovery site test automation",
        Stage.ASSESSED,
        Health.GREEN,
        ["Core Banking Database", "Backup Service", "Payments Gateway"],
        {"Resilient digital services": 100},
        "Platform",
        "3",
        Cover.EXTENDED,
        [4, 2, 5, 4, 2, 3],
        "Quarterly automated fail-over tests instead of one manual test a year.",
    ),
    (
        "PRJ-0122",
        "Executive reporting dashboards",
        Stage.PROPOSED,
        Health.GREEN,
        ["Data Warehouse"],
        {"Data-driven decisions": 100},
        "Application Development",
        "2",
        Cover.BUSINESS_HOURS,
        [3, 2, 1, 1, 2, None],
        "Board-level dashboards from the consolidated warehouse.",
    ),
]

STAGE_PATH = [
    Stage.PROPOSED,
    Stage.ASSESSED,
    Stage.APPROVED,
    Stage.IN_FLIGHT,
    Stage.HANDOVER,
    Stage.CLOSED,
]
COMMENTS = {
    Stage.ASSESSED: "Scored at portfolio board.",
    Stage.APPROVED: "Approved by the investment committee.",
    Stage.IN_FLIGHT: "Kick-off held; team allocated.",
    Stage.HANDOVER: "Go-live done; early-life support with operations.",
    Stage.CLOSED: "Benefits review scheduled; project closed.",
    Stage.ON_HOLD: "Paused: waiting on a dependency outside the project.",
    Stage.REJECTED: "Does not fit this year's priorities; revisit next planning round.",
}


# When each proposal was raised (days ago): a proposal is due for triage two weeks after it
# was raised, so the PMO lead's inbox has some overdue, some this week and some later. The
# assessed ones were raised before their assessment, four weeks ago (the stage log below):
# their decision is overdue.
RAISED_DAYS_AGO = {
    "PRJ-0105": 33,
    "PRJ-0107": 19,
    "PRJ-0108": 3,
    "PRJ-0109": 31,
    "PRJ-0114": 12,
    "PRJ-0115": 9,
    "PRJ-0116": 36,
    "PRJ-0119": 6,
    "PRJ-0121": 30,
    "PRJ-0122": 1,
}
# Benefits of delivered work whose review is near (days from today; negative: overdue), so
# the PMO lead has benefits to review: code -> (description, measure, target, days).
BENEFITS_DUE = {
    "PRJ-0106": (
        "Password-reset calls to the service desk down",
        "password-reset calls per month",
        "−40 %",
        -4,
    ),
    "PRJ-0117": (
        "Tickets resolved at first contact",
        "first-contact resolution rate",
        "70 %",
        3,
    ),
    "PRJ-0102": (
        "Card payments available around the clock",
        "payment gateway availability",
        "99.95 %",
        12,
    ),
}


def seed(ctx) -> None:
    teams, people = ctx.made["teams"], ctx.made["people"]
    objectives = {}
    for name, weight, description in OBJECTIVES:
        objectives[name], _ = StrategicObjective.objects.update_or_create(
            name=name, defaults={"weight": weight, "description": description, "active": True}
        )
    services = {}
    for name, team, tier, cover in SERVICES:
        services[name], _ = Service.objects.update_or_create(
            name=name, defaults={"owning_team": teams[team], "tier": tier, "support_hours": cover}
        )
    criteria = []
    for order, (name, weight, higher, kind, description) in enumerate(CRITERIA):
        criterion, _ = Criterion.objects.update_or_create(
            name=name,
            defaults={
                "weight": Decimal(weight),
                "higher_is_better": higher,
                "kind": kind,
                "description": description,
                "order": order,
            },
        )
        criteria.append(criterion)
    scored = [c for c in criteria if c.kind == CriterionKind.SCORED]

    pmo_user = ctx.users["pmo_lead"]
    managers = [p for p in people if "Project Manager" in p.title or p.title == "Head of PMO"]
    today = timezone.localdate()
    projects = []
    for copy in range(ctx.scale):
        for index, row in enumerate(PROJECTS):
            project = _seed_project(
                ctx,
                row,
                copy,
                index,
                objectives,
                services,
                scored,
                teams,
                managers,
                people,
                pmo_user,
                today,
            )
            projects.append(project)
    ctx.made.update(projects=projects, services=services, objectives=objectives)
    ctx.counts.update(objectives=len(objectives), services=len(services), projects=len(projects))


def _seed_project(
    ctx, row, copy, index, objectives, services, scored, teams, managers, people, pmo_user, today
):
    (
        code,
        name,
        stage,
        health,
        service_names,
        serves,
        support_team,
        effort,
        cover,
        values,
        summary,
    ) = row
    rng = ctx.rng
    if copy:
        code, name = f"{code}-{copy + 1}", f"{name} ({copy + 1})"
    # Go-live relative to today by stage: ahead for approved and in-flight work, just behind
    # for handovers, well behind for closed projects; proposals have no dates yet.
    go_live_offset = {
        Stage.APPROVED: 20,
        Stage.IN_FLIGHT: 6,
        Stage.HANDOVER: -2,
        Stage.CLOSED: -14,
        Stage.ON_HOLD: 16,
    }.get(stage)
    go_live = (
        today + timedelta(weeks=go_live_offset + index % 4) if go_live_offset is not None else None
    )
    start = go_live - timedelta(weeks=22) if go_live else None
    end = go_live + timedelta(weeks=6) if go_live else None
    owner = managers[index % len(managers)] if stage != Stage.PROPOSED or index % 2 else None
    project, _ = Project.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "summary": summary,
            "stage": stage,
            "health": health,
            "sponsor": ["Chief Operating Officer", "Chief Digital Officer", "CISO", "CFO"][
                index % 4
            ]
            if owner
            else "",
            "owner": owner,
            "start_date": start,
            "end_date": end,
            "budget": Decimal(50_000 + 25_000 * (index % 9)),
            "support_team": teams[support_team] if support_team else None,
            "support_effort_hours": Decimal(effort) if effort else None,
            "support_cover": cover,
            "support_notes": "Runbook and on-call rota to be agreed with the receiving team."
            if support_team
            else "",
        },
    )
    project.services.set([services[s] for s in service_names])
    ProjectObjective.objects.filter(project=project).delete()
    ProjectObjective.objects.bulk_create(
        ProjectObjective(project=project, objective=objectives[o], contribution=pct)
        for o, pct in serves.items()
    )

    Score.objects.filter(project=project).delete()
    Score.objects.bulk_create(
        Score(
            project=project,
            criterion=c,
            value=v,
            scored_by=pmo_user,
            rationale=_rationale(c.name, v),
        )
        for c, v in zip(scored, values, strict=True)
        if v is not None
    )

    Milestone.objects.filter(project=project).delete()
    # Their history too (the delete just wrote a row each): a re-seed writes it again.
    Milestone.history.model.objects.filter(project_id=project.pk).delete()
    base_code = row[0]
    if go_live:
        plan = [
            ("Kick-off", MilestoneKind.START, start),
            ("Design signed off", MilestoneKind.DESIGN, start + timedelta(weeks=6)),
            ("Build complete", MilestoneKind.BUILD, go_live - timedelta(weeks=5)),
            ("Go-live", MilestoneKind.GO_LIVE, go_live),
            ("Project closure", MilestoneKind.CLOSE, go_live + timedelta(weeks=6)),
        ]
        Milestone.objects.bulk_create(
            Milestone(
                project=project, name=n, kind=k, due_date=d, completed_on=d if d <= today else None
            )
            for n, k, d in plan
        )
    # Approved once (an on-hold project was, on its way): baselines, some re-planned since.
    if go_live and (stage in BASELINED_STAGES or stage == Stage.ON_HOLD):
        demo_history.baseline_milestones(project, demo_history.slips_of(base_code, index, stage))
    demo_history.seed_costs(project, base_code, index, stage, today)

    Risk.objects.filter(project=project).delete()
    for r in range(index % 4):
        likelihood, impact = rng.randint(1, 5), rng.randint(2, 5)
        Risk.objects.create(
            project=project,
            title=RISKS[(index + r) % len(RISKS)][0],
            mitigation=RISKS[(index + r) % len(RISKS)][1],
            likelihood=likelihood,
            impact=impact,
            threatens_operations=(index + r) % 3 == 0,
            owner=people[(index * 3 + r) % len(people)],
        )

    Benefit.objects.filter(project=project).delete()
    if stage not in (Stage.REJECTED,):
        closed = stage == Stage.CLOSED
        Benefit.objects.create(
            project=project,
            description=f"{name}: fewer incidents on the services it touches",
            measure="P1–P2 incidents per quarter",
            target="−30 %",
            owner=owner,
            review_date=(end or today) + timedelta(weeks=12),
            realised=_realised_words(base_code) if closed else "",
            realised_on=today if closed else None,
            **demo_history.headline_numbers(base_code, closed),
        )
    if base_code in BENEFITS_DUE:
        description, measure, target, days = BENEFITS_DUE[base_code]
        Benefit.objects.create(
            project=project,
            description=description,
            measure=measure,
            target=target,
            owner=owner,
            review_date=today + timedelta(days=days),
            **dict(
                zip(
                    ("unit", "baseline_value", "target_value"),
                    demo_history.BENEFIT_NUMBERS[base_code],
                    strict=True,
                )
            ),
        )
    if base_code in RAISED_DAYS_AGO:
        raised = timezone.now() - timedelta(days=RAISED_DAYS_AGO[base_code])
        Project.objects.filter(pk=project.pk).update(created_at=raised)

    _erase_stage_log(project)
    path = _path_to(stage)
    moments = [timezone.now() - timedelta(days=14 * (len(path) - i)) for i in range(len(path))]
    # History is recorded as it happened: each move carries its own (back-dated) time.
    ProjectTransition.objects.bulk_create(
        ProjectTransition(
            project=project,
            from_state=a,
            to_state=b,
            by=pmo_user,
            comment=COMMENTS.get(b, ""),
            at=moment,
        )
        for (a, b), moment in zip(zip(path, path[1:], strict=False), moments, strict=False)
    )
    return project


def _realised_words(base_code: str) -> str:
    return "no change" if base_code == demo_history.NOT_REALISED else "−32 %"


def _erase_stage_log(project) -> None:
    """Forget the demo project's stage log before it is written again.

    The stage log is append-only: the application never deletes a move (the queryset's
    delete() raises). Re-seeding the demo is the one exception, and only here: the demo
    rewrites its own projects' history, so it deletes their rows with Django's plain
    QuerySet.delete, bypassing the append-only queryset on purpose."""
    models.QuerySet.delete(ProjectTransition.objects.filter(project=project))


def _path_to(stage) -> list[str]:
    if stage in STAGE_PATH:
        return STAGE_PATH[: STAGE_PATH.index(stage) + 1]
    if stage == Stage.ON_HOLD:
        return [Stage.PROPOSED, Stage.ASSESSED, Stage.APPROVED, Stage.ON_HOLD]
    return [Stage.PROPOSED, Stage.ASSESSED, Stage.REJECTED]


RISKS = [
    ("Key engineer also on call for the core database", "Agree cover with the Database team."),
    ("Go-live lands in the year-end change freeze", "Plan go-live for early December."),
    ("Vendor delivery slips", "Weekly supplier check-ins; penalty clauses."),
    ("Support team not trained before go-live", "Training in the readiness plan, week -4."),
    ("Data migration takes longer than the window", "Two rehearsals with production volumes."),
    ("Budget overrun on licences", "Fix the licence count at design sign-off."),
]


def _rationale(criterion: str, value: int) -> str:
    words = {1: "very low", 2: "low", 3: "moderate", 4: "high", 5: "very high"}[value]
    return f"{criterion} judged {words} at the portfolio board."
