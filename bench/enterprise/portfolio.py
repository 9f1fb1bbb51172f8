"""The portfolio: more objectives and services, and projects in every stage with their
objectives, services, scores, milestones (go-lives included), risks, benefits and stage log."""

from datetime import date, timedelta
from decimal import Decimal

from portfolio.choices import (
    BASELINED_STAGES,
    CriterionKind,
    Health,
    MilestoneKind,
    RiskStatus,
    Stage,
)
from portfolio.models import (
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
from resources.models import TeamKind

from . import words
from .base import Weighted, World, at, insert, link, office_moment

STAGES = (
    (Stage.PROPOSED, 10),
    (Stage.ASSESSED, 7),
    (Stage.APPROVED, 13),
    (Stage.IN_FLIGHT, 45),
    (Stage.HANDOVER, 5),
    (Stage.CLOSED, 12),
    (Stage.ON_HOLD, 4),
    (Stage.REJECTED, 4),
)
PATHS = {
    Stage.PROPOSED: [Stage.PROPOSED],
    Stage.ASSESSED: [Stage.PROPOSED, Stage.ASSESSED],
    Stage.APPROVED: [Stage.PROPOSED, Stage.ASSESSED, Stage.APPROVED],
    Stage.IN_FLIGHT: [Stage.PROPOSED, Stage.ASSESSED, Stage.APPROVED, Stage.IN_FLIGHT],
    Stage.HANDOVER: [
        Stage.PROPOSED,
        Stage.ASSESSED,
        Stage.APPROVED,
        Stage.IN_FLIGHT,
        Stage.HANDOVER,
    ],
    Stage.CLOSED: [
        Stage.PROPOSED,
        Stage.ASSESSED,
        Stage.APPROVED,
        Stage.IN_FLIGHT,
        Stage.HANDOVER,
        Stage.CLOSED,
    ],
    Stage.ON_HOLD: [Stage.PROPOSED, Stage.ASSESSED, Stage.APPROVED, Stage.ON_HOLD],
    Stage.REJECTED: [Stage.PROPOSED, Stage.ASSESSED, Stage.REJECTED],
}
COMMENTS = {
    Stage.ASSESSED: "Scored at portfolio board.",
    Stage.APPROVED: "Approved by the investment committee.",
    Stage.IN_FLIGHT: "Kick-off held; team allocated.",
    Stage.HANDOVER: "Go-live done; early-life support with operations.",
    Stage.CLOSED: "Benefits review scheduled; project closed.",
    Stage.ON_HOLD: "Paused: waiting on a dependency outside the project.",
    Stage.REJECTED: "Does not fit this year's priorities; revisit next planning round.",
}
HEALTH = {
    Stage.IN_FLIGHT: ((Health.GREEN, 60), (Health.AMBER, 28), (Health.RED, 12)),
    Stage.CLOSED: ((Health.GREEN, 90), (Health.AMBER, 10)),
    Stage.REJECTED: ((Health.GREEN, 100),),
}
OTHER_HEALTH = ((Health.GREEN, 75), (Health.AMBER, 20), (Health.RED, 5))


def load(world: World) -> None:
    """What the demo made: objectives, services, criteria, projects and their go-lives."""
    world.objectives = list(StrategicObjective.objects.order_by("pk"))
    world.services = list(Service.objects.order_by("pk"))
    world.criteria = list(Criterion.objects.filter(kind=CriterionKind.SCORED).order_by("order"))
    world.projects = list(Project.objects.order_by("pk"))
    for project_id, service_id in Project.services.through.objects.order_by("pk").values_list(
        "project_id", "service_id"
    ):
        world.project_services.setdefault(project_id, []).append(service_id)
    for project_id, due in Milestone.objects.filter(kind=MilestoneKind.GO_LIVE).values_list(
        "project_id", "due_date"
    ):
        world.go_live[project_id] = max(due, world.go_live.get(project_id, due))


def build(world: World) -> dict[str, int]:
    rng, size = world.rng, world.size
    counts = {}
    have = {o.name for o in world.objectives}
    objectives = [
        StrategicObjective(name=n, weight=w, description=d)
        for n, w, d in words.OBJECTIVES
        if n not in have
    ]
    insert(StrategicObjective, objectives)
    world.objectives += objectives
    counts["objectives"] = len(objectives)

    # --- services, each run by an operations or mixed team.
    runners = [t for t in world.teams if t.kind != TeamKind.PROJECT] or world.teams
    have = {s.name.lower() for s in world.services}
    wanted = max(0, size.services - len(world.services))
    names = [row for row in words.SERVICES if row[0].lower() not in have]
    names += [
        (f"Line-of-business application {n}", 3, "A departmental application.")
        for n in range(1, wanted - len(names) + 1)
    ]
    services = []
    for name, tier, description in names[:wanted]:
        services.append(
            Service(
                name=name,
                description=description,
                owning_team=rng.choice(runners),
                tier=tier,
                support_hours=rng.choice(words.COVER_BY_TIER[tier]),
            )
        )
    insert(Service, services)
    world.services += services
    counts["services"] = len(services)

    counts.update(_projects(world))
    return counts


def _projects(world: World) -> dict[str, int]:
    rng, size = world.rng, world.size
    wanted = max(0, size.projects - len(world.projects))
    today, monday = world.today, world.monday
    services = world.services
    service_pick = Weighted(services, [5 - s.tier for s in services])
    managers = [
        p
        for team in world.members.values()
        for p in team
        if "Project Manager" in p.title or "Programme Manager" in p.title
    ] or world.people
    pmo = world.by_role["pmo_lead"] or [world.users["pmo_lead"]]
    priya = world.person_of.get(world.users["pmo_lead"].pk)
    runners = [t for t in world.teams if t.kind != TeamKind.PROJECT] or world.teams
    team_weight = {TeamKind.PROJECT: 5, TeamKind.MIXED: 3, TeamKind.OPERATIONS: 1}
    staff_pick = Weighted(world.teams, [team_weight[t.kind] for t in world.teams])
    names = Weighted(words.PROJECT_NAMES, [w for _, w in words.PROJECT_NAMES])
    stages = rng.choices([s for s, _ in STAGES], [w for _, w in STAGES], k=wanted)

    projects, plans = [], []
    for n, stage in enumerate(stages):
        first_service = service_pick(rng)
        chosen = {first_service.pk: first_service}
        for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
            other = service_pick(rng)
            chosen.setdefault(other.pk, other)
        others = [s for s in services if s.pk != first_service.pk] or services
        pattern = names(rng)[0]
        name = pattern.format(
            service=first_service.name, other=rng.choice(others).name, year=today.year + 1
        )
        start, go_live = _dates(rng, stage, monday)
        end = go_live + timedelta(weeks=6) if go_live else None
        if start and end is None:
            end = start + timedelta(weeks=rng.randint(16, 52))
        owned = stage != Stage.PROPOSED or rng.random() < 0.5
        owner = None
        if owned:
            owner = priya if priya is not None and rng.random() < 0.03 else rng.choice(managers)
        support = first_service.owning_team if rng.random() < 0.85 else rng.choice(runners)
        committed = stage not in (Stage.PROPOSED, Stage.REJECTED) or rng.random() < 0.4
        project = Project(
            code=f"PRJ-{1001 + n}",
            name=name[:160],
            summary=f"{name}. Sponsored by the {rng.choice(words.SPONSORS)}; "
            f"touches {', '.join(s.name for s in chosen.values())}.",
            sponsor=rng.choice(words.SPONSORS) if owner else "",
            owner=owner,
            stage=stage,
            start_date=start,
            end_date=end,
            health=rng.choices(
                *zip(*HEALTH.get(stage, OTHER_HEALTH), strict=True),  # type: ignore[arg-type]
            )[0],
            budget=Decimal(int(rng.lognormvariate(12.3, 0.8)) // 1000 * 1000 + 20_000),
            support_team=support if committed else None,
            support_effort_hours=Decimal(rng.choice((2, 4, 6, 8, 10, 12, 16, 20)))
            if committed
            else None,
            support_cover=rng.choice(words.COVER_BY_TIER[first_service.tier]) if committed else "",
            support_notes="Runbook and on-call rota to be agreed with the receiving team."
            if committed
            else "",
        )
        moments = _moments(rng, stage, start, go_live, end, world)
        project.created_at = moments[0]
        project.updated_at = moments[-1]
        project._history_user = rng.choice(pmo)
        projects.append(project)
        plans.append((stage, list(chosen), start, go_live, end, moments))
    insert(Project, projects, with_history=True)

    services_rows, objective_rows, scores, milestones = [], [], [], []
    risks, benefits, transitions = [], [], []
    for project, (stage, service_ids, start, go_live, end, moments) in zip(
        projects, plans, strict=True
    ):
        world.project_services[project.pk] = service_ids
        services_rows += [(project.pk, s) for s in service_ids]
        for objective in rng.sample(
            world.objectives, k=min(len(world.objectives), rng.randint(1, 3))
        ):
            objective_rows.append(
                ProjectObjective(
                    project=project,
                    objective=objective,
                    contribution=rng.choice((20, 30, 40, 50, 60, 70, 80, 90, 100)),
                )
            )
        scores += _scores(rng, world, project, stage, moments, pmo)
        if go_live:
            world.go_live[project.pk] = go_live
            milestones += _milestones(rng, project, stage, start, go_live, end, today)
        teams = [project.support_team, *(staff_pick(rng) for _ in range(3))]
        world.staffing[project.pk] = list({t.pk: t for t in teams if t}.values())[
            : rng.randint(1, 4)
        ]
        risks += _risks(rng, world, project, stage)
        if stage != Stage.REJECTED:
            benefits += _benefits(rng, project, stage, end, today)
        path = PATHS[stage]
        transitions += [
            ProjectTransition(
                project=project,
                from_state=a,
                to_state=b,
                by=rng.choice(pmo),
                comment=COMMENTS.get(b, ""),
                at=moment,
            )
            for (a, b), moment in zip(zip(path, path[1:], strict=False), moments[1:], strict=True)
        ]

    counts = {"projects": len(projects)}
    counts["project_services"] = link(
        Project.services.through, services_rows, "project_id", "service_id"
    )
    counts["project_objectives"] = len(insert(ProjectObjective, objective_rows))
    counts["scores"] = len(insert(Score, scores, with_history=True))
    counts["milestones"] = len(insert(Milestone, milestones))
    counts["risks"] = len(insert(Risk, risks))
    counts["benefits"] = len(insert(Benefit, benefits))
    counts["project_transitions"] = len(insert(ProjectTransition, transitions))
    world.projects += projects
    for project in world.projects:
        world.staffing.setdefault(
            project.pk, [t for t in [project.support_team] if t] or [staff_pick(rng)]
        )
    return counts


def _dates(rng, stage, monday: date) -> tuple[date | None, date | None]:
    """(start, main go-live) by stage, in weeks around this Monday."""

    def week(low: int, high: int) -> date:
        return monday + timedelta(weeks=rng.randint(low, high), days=rng.choice((0, 0, 1, 2)))

    if stage == Stage.PROPOSED:
        if rng.random() < 0.6:
            return None, None
        start = week(8, 52)
        return start, None
    if stage == Stage.REJECTED:
        return None, None
    if stage == Stage.ASSESSED:
        start = week(4, 30)
    elif stage == Stage.APPROVED:
        start = week(-2, 16)
    elif stage == Stage.IN_FLIGHT:
        start = week(-70, -2)
        go_live = max(start + timedelta(weeks=8), week(-1, 40))
        return start, _weekday(go_live)
    elif stage == Stage.HANDOVER:
        go_live = week(-7, -1)
        return go_live - timedelta(weeks=rng.randint(20, 60)), _weekday(go_live)
    elif stage == Stage.CLOSED:
        go_live = week(-100, -8)
        return go_live - timedelta(weeks=rng.randint(20, 60)), _weekday(go_live)
    else:  # on hold: started, the go-live pushed out
        start = week(-40, -4)
        return start, _weekday(week(10, 40))
    return start, _weekday(start + timedelta(weeks=rng.randint(12, 48)))


def _weekday(day: date) -> date:
    """Go-lives are planned on Tuesdays to Thursdays."""
    return day + timedelta(days=(1 - day.weekday()) % 7 if day.weekday() not in (1, 2, 3) else 0)


def _moments(rng, stage, start, go_live, end, world: World) -> list:
    """When the project was proposed and made each move of its path (never after now)."""
    now = world.now
    path = PATHS[stage]
    anchor = start or (world.today - timedelta(weeks=rng.randint(1, 30)))
    proposed = office_moment(rng, anchor - timedelta(weeks=rng.randint(10, 24)))
    if stage == Stage.PROPOSED and start is not None:
        proposed = office_moment(rng, world.today - timedelta(weeks=rng.randint(1, 20)))
    moments = [proposed]
    for target in path[1:]:
        if target == Stage.IN_FLIGHT and start:
            moment = office_moment(rng, start)
        elif target == Stage.HANDOVER and go_live:
            moment = at(go_live, 18)
        elif target == Stage.CLOSED and end:
            moment = office_moment(rng, end)
        else:
            moment = office_moment(rng, moments[-1].date() + timedelta(weeks=rng.randint(2, 6)))
        moments.append(max(moment, moments[-1] + timedelta(hours=1)))
    if moments[-1] > now:  # squeeze the moves into the time that has passed
        first = min(moments[0], now - timedelta(days=len(moments) + 1))
        step = (now - first) / (len(moments) + 1)
        moments = [first + step * i for i in range(len(moments))]
    return moments


def _scores(rng, world, project, stage, moments, pmo) -> list:
    criteria = world.criteria
    if stage == Stage.PROPOSED:
        criteria = rng.choice(([], criteria[: rng.randint(1, len(criteria))], criteria))
    when = moments[1] if len(moments) > 1 else moments[0]
    rows = []
    for criterion in criteria:
        value = rng.choices((1, 2, 3, 4, 5), (8, 20, 35, 25, 12))[0]
        score = Score(
            project=project,
            criterion=criterion,
            value=value,
            rationale=f"{criterion.name} judged "
            f"{('very low', 'low', 'moderate', 'high', 'very high')[value - 1]} at the board.",
            scored_by=rng.choice(pmo),
            scored_at=when,
        )
        score._history_user = score.scored_by
        rows.append(score)
    return rows


def _milestones(rng, project, stage, start, go_live, end, today) -> list:
    span = max(8, (go_live - start).days // 7)
    plan = [
        ("Kick-off", MilestoneKind.START, start),
        ("Design signed off", MilestoneKind.DESIGN, start + timedelta(weeks=max(2, span // 5))),
        ("Build complete", MilestoneKind.BUILD, go_live - timedelta(weeks=5)),
    ]
    if rng.random() < 0.6:
        plan.append(("Testing complete", MilestoneKind.TEST, go_live - timedelta(weeks=2)))
    if rng.random() < 0.2:
        plan.append(("Pilot go-live", MilestoneKind.GO_LIVE, go_live - timedelta(weeks=4)))
    plan += [
        ("Go-live", MilestoneKind.GO_LIVE, go_live),
        ("Project closure", MilestoneKind.CLOSE, end),
    ]
    started = stage in (Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED, Stage.ON_HOLD)
    # Approved projects' milestones have their baseline (kept to it here: no re-plans).
    baselined = stage in BASELINED_STAGES
    rows = []
    for name, kind, due in plan:
        done = None
        if started and due <= today:
            late = stage == Stage.IN_FLIGHT and rng.random() < 0.15
            if not late:
                done = min(today, due + timedelta(days=rng.choice((0, 0, 0, 1, 2, 5, 10))))
        rows.append(
            Milestone(
                project=project,
                name=name,
                kind=kind,
                due_date=due,
                completed_on=done,
                baseline_date=due if baselined else None,
            )
        )
    return rows


def _risks(rng, world, project, stage) -> list:
    low, high = {
        Stage.PROPOSED: (0, 2),
        Stage.IN_FLIGHT: (1, 6),
        Stage.CLOSED: (1, 4),
    }.get(stage, (0, 4))
    team_people = [p for t in world.staffing.get(project.pk, []) for p in world.members[t.pk]]
    owners = team_people or world.people
    rows = []
    for title, mitigation in rng.sample(words.RISKS, k=rng.randint(low, high)):
        rows.append(
            Risk(
                project=project,
                title=title,
                mitigation=mitigation,
                likelihood=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                threatens_operations=rng.random() < 0.3,
                owner=rng.choice(owners),
                status=RiskStatus.CLOSED
                if stage == Stage.CLOSED or rng.random() < 0.1
                else RiskStatus.OPEN,
            )
        )
    return rows


def _benefits(rng, project, stage, end, today) -> list:
    rows = []
    for what, measure, target in rng.sample(words.BENEFITS, k=rng.randint(1, 2)):
        closed = stage == Stage.CLOSED
        rows.append(
            Benefit(
                project=project,
                description=f"{project.name[:120]}: {what}",
                measure=measure,
                target=target,
                owner=project.owner,
                review_date=(end or today) + timedelta(weeks=12),
                realised=rng.choice(("−12 %", "−25 %", "−8 %", "as planned", "0"))
                if closed
                else "",
                realised_on=min(today, (end or today) + timedelta(weeks=12)) if closed else None,
            )
        )
    return rows
