"""Handovers to operations in every state, for the projects that have reached them: readiness
checks with owners, evidence and waivers, the receiving team's early-life support, and the
trail of their moves."""

from datetime import timedelta

from handover.choices import CheckStatus, HandoverState
from handover.models import Handover, HandoverTransition, ReadinessCheck, ReadinessCriterion
from itsm_pmo.models import OPENED
from portfolio.choices import Stage

from .base import World, at, between, insert, office_moment, pick

H = HandoverState
SETTLED_STATES = (H.ACCEPTED, H.EARLY_LIFE_SUPPORT, H.CLOSED)


def build(world: World) -> dict[str, int]:
    rng, today, now = world.rng, world.today, world.now
    taken = set(Handover.objects.values_list("project_id", flat=True))
    wanted = max(0, world.size.handovers - len(taken))
    criteria = list(ReadinessCriterion.objects.filter(active=True).order_by("order", "name"))
    eligible = [
        p
        for p in world.projects
        if p.pk not in taken
        and p.pk in world.go_live
        and p.stage in (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED)
    ]
    by_stage = {s: [p for p in eligible if p.stage == s] for s in Stage.values}
    # Recent closures and the nearest go-lives first: the handovers people work on.
    by_stage[Stage.CLOSED].sort(key=lambda p: world.go_live[p.pk], reverse=True)
    by_stage[Stage.IN_FLIGHT].sort(key=lambda p: world.go_live[p.pk])
    chosen = by_stage[Stage.HANDOVER][:wanted]
    chosen += by_stage[Stage.CLOSED][: max(0, min(round(wanted * 0.3), wanted - len(chosen)))]
    approved = by_stage[Stage.APPROVED][: round(wanted * 0.1)]
    chosen += by_stage[Stage.IN_FLIGHT][: max(0, wanted - len(chosen) - len(approved))]
    chosen += approved
    chosen += [p for p in eligible if p not in chosen][: max(0, wanted - len(chosen))]

    pmo = world.by_role.get("pmo_lead") or [world.users["pmo_lead"]]
    cab = world.by_role.get("itsm_manager") or [world.users["itsm_manager"]]
    service_of = {s.pk: s for s in world.services}
    handovers, checks, transitions = [], [], []
    # Projects in flight, nearest go-live first: the nearest are accepted, the next ones in
    # readiness review, the rest still planning (so every state is there at any size).
    flying = sorted(
        (p for p in chosen if p.stage == Stage.IN_FLIGHT), key=lambda p: world.go_live[p.pk]
    )
    rank = {p.pk: n / len(flying) for n, p in enumerate(flying)}
    for project in chosen:
        go_live = world.go_live[project.pk]
        if project.stage == Stage.CLOSED:
            state = H.CLOSED
        elif project.stage == Stage.HANDOVER:
            state = H.EARLY_LIFE_SUPPORT if rng.random() < 0.85 else H.CLOSED
        elif project.stage == Stage.APPROVED:
            state = H.PLANNING
        elif rank[project.pk] < 0.15 or (go_live - today).days <= 7:
            state = H.ACCEPTED
        elif rank[project.pk] < 0.5:
            state = H.READINESS_REVIEW
        else:
            state = H.PLANNING
        services = world.project_services.get(project.pk) or []
        service = service_of.get(services[0]) if services else None
        team = project.support_team or (service.owning_team if service else None)
        opened = office_moment(rng, min(project.start_date or today, today) - timedelta(weeks=2))
        opened = min(opened, now - timedelta(days=30))
        # The demo's PMO lead and ITSM manager plan and accept a share of them themselves.
        planner = world.users["pmo_lead"] if rng.random() < 0.1 else rng.choice(pmo)
        acceptor = world.users["itsm_manager"] if rng.random() < 0.2 else rng.choice(cab)
        moves = [(opened, OPENED, H.PLANNING, planner, "Handover opened.")]
        path = [H.READINESS_REVIEW, H.ACCEPTED, H.EARLY_LIFE_SUPPORT, H.CLOSED]
        reached = path[: path.index(state) + 1] if state != H.PLANNING else []
        review_at = office_moment(rng, go_live - timedelta(weeks=rng.randint(3, 7)))
        when = {
            H.READINESS_REVIEW: review_at,
            H.ACCEPTED: office_moment(rng, go_live - timedelta(days=rng.randint(2, 9))),
            H.EARLY_LIFE_SUPPORT: at(go_live, 20),
            H.CLOSED: office_moment(rng, go_live + timedelta(days=rng.randint(14, 35))),
        }
        previous = H.PLANNING
        for target in reached:
            by = planner if target == H.READINESS_REVIEW else acceptor
            if target == H.READINESS_REVIEW and rng.random() < 0.06:
                moves.append((None, H.PLANNING, H.READINESS_REVIEW, by, ""))
                moves.append(
                    (None, H.READINESS_REVIEW, H.PLANNING, acceptor, "Runbook not ready yet.")
                )
            moves.append((when[target], previous, target, by, ""))
            previous = target
        # Times in order and in the past: squeeze the moves that would be later than now.
        stamps = [m[0] for m in moves]
        fixed = [stamps[0]]
        for i, stamp in enumerate(stamps[1:], start=1):
            if stamp is None:
                following = next((s for s in stamps[i:] if s is not None), now)
                stamp = between(rng, fixed[-1], min(following, now), 1)[0]
            fixed.append(max(min(stamp, now - timedelta(minutes=len(stamps) - i)), fixed[-1]))
        moves = [(t, *m[1:]) for t, m in zip(fixed, moves, strict=True)]

        handover = Handover(
            project=project,
            service=service,
            receiving_team=team,
            state=state,
            els_effort_hours=project.support_effort_hours or 10,
            created_at=moves[0][0],
            updated_at=moves[-1][0],
        )
        if state in SETTLED_STATES:
            accepted = next(t for t, _, target, _, _ in moves if target == H.ACCEPTED)
            handover.accepted_by, handover.accepted_at = acceptor, accepted
        if state in (H.EARLY_LIFE_SUPPORT, H.CLOSED):
            handover.els_started_on = go_live
        if state == H.CLOSED:
            closed = moves[-1][0]
            handover.closed_at = closed
            handover.els_ended_on = min(closed.date(), go_live + timedelta(days=14))
            handover.transition_days = max(0, (closed.date() - go_live).days)
        handovers.append(handover)
        transitions += [
            HandoverTransition(
                handover=handover, from_state=a, to_state=b, by=by, at=moment, comment=comment
            )
            for moment, a, b, by, comment in moves
        ]
        owners = world.staff(team.pk) if team else []
        for criterion in criteria:
            status = _status(rng, state, criterion.mandatory)
            owner = rng.choice(owners) if owners and rng.random() < 0.9 else None
            if (
                world.engineer is not None
                and status not in (CheckStatus.DONE, CheckStatus.WAIVED)
                and rng.random() < 0.004
            ):
                owner = world.engineer
            checks.append(
                ReadinessCheck(
                    handover=handover,
                    criterion=criterion,
                    owner=owner,
                    status=status,
                    evidence_url=f"https://wiki.example.org/ops/{project.code.lower()}/"
                    f"{criterion.order}"
                    if status == CheckStatus.DONE
                    else "",
                    waiver_reason="Not applicable to this service; agreed with operations."
                    if status == CheckStatus.WAIVED
                    else "",
                    updated_at=moves[-1][0],
                )
            )
    insert(Handover, handovers)
    insert(HandoverTransition, transitions)
    insert(ReadinessCheck, checks)
    world.handovers += handovers
    return {
        "handovers": len(handovers),
        "readiness_checks": len(checks),
        "handover_transitions": len(transitions),
    }


def _status(rng, state, mandatory: bool) -> str:
    C = CheckStatus
    if state == H.PLANNING:
        table = ((C.DONE, 15), (C.IN_PROGRESS, 25), (C.TODO, 60))
    elif state == H.READINESS_REVIEW:
        table = ((C.DONE, 60), (C.IN_PROGRESS, 20), (C.TODO, 15), (C.WAIVED, 5))
    elif mandatory:
        table = ((C.DONE, 95), (C.WAIVED, 5))
    else:
        table = ((C.DONE, 70), (C.WAIVED, 20), (C.TODO, 10))
    return pick(rng, table)
