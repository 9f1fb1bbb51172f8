"""Two years of incidents: logged against services (a few services produce most of them), some
against the projects that just went live and the changes whose review counted them; priorities
from impact and urgency, states that follow from how long each took (a backlog of open ones
today, a long tail waiting on vendors), work logs, the trail of their moves, and problems that
group the recurring ones."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from handover.choices import IncidentState, ProblemState
from handover.incidents.priority import priority
from handover.models import Incident, IncidentTransition, Problem, WorkLog

from . import words
from .base import Weighted, World, insert, number_rows, pick

I = IncidentState  # noqa: E741
SPAN_DAYS = 730
# Hours to start work and to resolve, by priority: (low, high).
RESPONSE = {1: (0.08, 0.3), 2: (0.15, 1), 3: (0.5, 8), 4: (2, 48), 5: (4, 96)}
RESOLVE = {1: (0.5, 6), 2: (1, 24), 3: (2, 96), 4: (4, 168), 5: (24, 336)}


class _Logger:
    def __init__(self, world: World):
        self.world, self.rng = world, world.rng
        rng = self.rng
        order = list(world.services)
        rng.shuffle(order)  # which services are noisy is chance
        self.services = order
        self.service_pick = Weighted(
            order,
            [(1 / (rank + 1) ** 0.8) * (1.4 if s.tier <= 2 else 1) for rank, s in enumerate(order)],
        )
        desk = [
            world.user_of[p.pk]
            for t in world.teams
            if t.name.startswith("Service Desk")
            for p in world.members.get(t.pk, [])
            if p.pk in world.user_of
        ]
        self.desk = desk or [world.users["itsm_manager"]]
        self.managers = world.crowd("itsm_manager") or [world.users["itsm_manager"]]
        self.engineer_user = world.users["engineer"] if world.engineer is not None else None
        self.unassigned = not world.stand_ins  # seed_demo's copies keep every row assigned
        self.marcus = world.users["itsm_manager"]
        self.items_of = world.items_of_service
        self.go_lives: dict[int, list] = defaultdict(list)
        for project in world.projects:
            day = world.go_live.get(project.pk)
            if day and day <= world.today:
                for service_id in world.project_services.get(project.pk, []):
                    self.go_lives[service_id].append((day, project))

    def reporter(self, service) -> object:
        rng, world = self.rng, self.world
        roll = rng.random()
        if roll < 0.55:
            return rng.choice(self.desk)
        if roll < 0.85:
            mates = [
                world.user_of[p.pk]
                for p in world.staff(service.owning_team_id)
                if p.pk in world.user_of
            ]
            return rng.choice(mates) if mates else rng.choice(self.desk)
        if roll < 0.86:
            return self.marcus  # the ITSM manager logs the major ones himself
        if roll < 0.865 and self.engineer_user is not None:
            return self.engineer_user
        return rng.choice(self.managers)

    def assignee(self, service) -> object:
        world = self.world
        if world.engineer is not None and self.rng.random() < 0.004:
            return world.engineer
        people = world.staff(service.owning_team_id) or world.people
        return self.rng.choice(people)

    def title(self, service) -> tuple[str, tuple]:
        rng = self.rng
        items = self.items_of.get(service.pk, [])
        pattern, impact_weights, kind = rng.choice(words.INCIDENT_TITLES)
        fitting = [i for i in items if kind is None or i.kind == kind]
        if kind is not None and not fitting:
            pattern, impact_weights = "{service} returning errors (HTTP 500)", (3, 5, 2)
        item = rng.choice(fitting) if fitting else None
        text = pattern.format(
            service=service.name,
            ci=item.name if item else service.name,
            group=rng.choice(words.GROUPS),
            job=rng.choice(words.JOBS),
        )
        return text[:200], impact_weights

    def incident(self, service, opened, *, change=None, project=None):
        rng, now = self.rng, self.world.now
        title, impact_weights = self.title(service)
        impact = rng.choices((1, 2, 3), impact_weights)[0]
        urgency = rng.choices((1, 2, 3), (8, 47, 45))[0]
        if change is not None:
            impact = min(impact, 2)
        level = priority(impact, urgency)
        if project is None and change is None:
            recent = [
                p
                for day, p in self.go_lives.get(service.pk, [])
                if 0 <= (opened.date() - day).days <= 42
            ]
            if recent and rng.random() < 0.4:
                project = rng.choice(recent)
            elif rng.random() < 0.02:
                project = rng.choice(self.world.projects)
        reporter = self.reporter(service)
        assignee = self.assignee(service)
        incident = Incident(
            title=title,
            description=f"Reported by {reporter.get_full_name() or reporter.username}. "
            f"{service.name} ({service.get_tier_display()}).",
            service=service,
            project=project if project is not None else (change.project if change else None),
            caused_by_change=change,
            impact=impact,
            urgency=urgency,
            priority=level,
            major=level == 1 and rng.random() < 0.15,
            reporter=reporter,
            assignee=assignee,
            # In its assignee's queue, as the desk would have routed it.
            assignment_group_id=assignee.team_id,
            opened_at=opened,
        )
        # How it went: response, resolution (a long tail waits on others), closing.
        low, high = RESPONSE[level]
        started = opened + timedelta(hours=rng.uniform(low, high))
        low, high = RESOLVE[level]
        tail = rng.random() < 0.06
        work = timedelta(hours=rng.uniform(low, high))
        if tail:
            work += timedelta(days=rng.uniform(7, 60))
        resolved = started + work
        reopened = rng.random() < 0.02
        closed = resolved + timedelta(days=rng.choice((1, 3, 3, 3)))
        doer = self.world.user_for(assignee) or reporter
        notes = rng.choice(words.RESOLUTIONS)
        moves = []  # (moment, from, to, by, comment)
        if started <= now:
            moves.append((started, I.NEW, I.IN_PROGRESS, doer, ""))
            if tail:
                held = started + (resolved - started) * rng.uniform(0.1, 0.4)
                back = resolved - timedelta(hours=rng.uniform(2, 24))
                if held <= now:
                    moves.append((held, I.IN_PROGRESS, I.ON_HOLD, doer, "Waiting for the vendor."))
                    if back <= now and back > held:
                        moves.append((back, I.ON_HOLD, I.IN_PROGRESS, doer, ""))
            last = moves[-1][2]
            if resolved <= now and last == I.IN_PROGRESS:
                moves.append((resolved, I.IN_PROGRESS, I.RESOLVED, doer, notes))
                if reopened:
                    again = resolved + timedelta(hours=rng.uniform(2, 30))
                    fixed = again + timedelta(hours=rng.uniform(1, 48))
                    closed = fixed + timedelta(days=3)
                    if again <= now:
                        moves.append(
                            (again, I.RESOLVED, I.IN_PROGRESS, reporter, "Happened again.")
                        )
                        if fixed <= now:
                            moves.append((fixed, I.IN_PROGRESS, I.RESOLVED, doer, notes))
                if moves[-1][2] == I.RESOLVED and closed <= now:
                    moves.append((closed, I.RESOLVED, I.CLOSED, doer, ""))
        incident.state = moves[-1][2] if moves else I.NEW
        if incident.state == I.NEW and self.unassigned and rng.random() < 0.5:
            incident.assignee = None
        stamps = {
            I.IN_PROGRESS: "in_progress_at",
            I.ON_HOLD: "on_hold_at",
            I.RESOLVED: "resolved_at",
            I.CLOSED: "closed_at",
        }
        for moment, _, target, _, _ in moves:
            setattr(incident, stamps[target], moment)
        if incident.state == I.IN_PROGRESS or incident.state == I.ON_HOLD:
            incident.resolved_at = None  # a reopened one keeps no resolution time
        if incident.state in (I.RESOLVED, I.CLOSED):
            incident.resolution_notes = notes
        return incident, moves


def build(world: World) -> dict[str, int]:
    rng, now = world.rng, world.now
    wanted = max(0, world.size.incidents - Incident.objects.count())
    if not world.services or wanted <= 0:
        return {"incidents": 0}
    logger = _Logger(world)
    service_of = {s.pk: s for s in world.services}
    made = []
    # The changes whose review counted incidents get exactly those.
    for caused in world.caused:
        for _ in range(caused.count):
            if len(made) < wanted:
                opened = caused.after + timedelta(hours=rng.uniform(0.5, 30))
                if opened < now:
                    made.append(
                        logger.incident(service_of[caused.service_id], opened, change=caused.change)
                    )
    # The rest over two years, a little more each month, mostly in office hours.
    while len(made) < wanted:
        age = SPAN_DAYS * (1 - rng.random() ** 0.85)  # recent days a little busier
        opened = now - timedelta(days=age)
        if (
            opened.weekday() >= 5
            and rng.random() < 0.6
            or not 7 <= opened.hour < 19
            and rng.random() < 0.7
        ):
            continue
        made.append(logger.incident(logger.service_pick(rng), opened))

    # Problems group recurring incidents of one service.
    incidents = [i for i, _ in made]
    by_service = defaultdict(list)
    for incident in incidents:
        if incident.caused_by_change_id is None:
            by_service[incident.service_id].append(incident)
    busy = [s for s, rows in by_service.items() if len(rows) >= 6]
    problems = []
    wanted_problems = max(0, world.size.problems - Problem.objects.count())
    for _ in range(wanted_problems if busy else 0):
        service_id = rng.choice(busy)
        free = [i for i in by_service[service_id] if i.problem is None]
        if len(free) < 3:
            continue
        group = rng.sample(free, k=min(len(free), rng.randint(3, 15)))
        first = min(i.opened_at for i in group)
        state = pick(
            rng,
            (
                (ProblemState.NEW, 10),
                (ProblemState.ASSESS, 15),
                (ProblemState.ROOT_CAUSE_ANALYSIS, 20),
                (ProblemState.FIX_IN_PROGRESS, 15),
                (ProblemState.RESOLVED, 25),
                (ProblemState.CLOSED, 15),
            ),
        )
        analysed = state not in (ProblemState.NEW, ProblemState.ASSESS)
        created = min(first + timedelta(days=rng.uniform(1, 5)), now)
        settled = state in (ProblemState.RESOLVED, ProblemState.CLOSED)
        resolved_at = min(created + timedelta(days=rng.uniform(5, 40)), now) if settled else None
        problem = Problem(
            title=f"Recurring: {group[0].title}"[:200],
            service_id=service_id,
            root_cause=rng.choice(words.PROBLEM_CAUSES) if analysed else "",
            workaround=rng.choice(words.WORKAROUNDS) if analysed else "",
            fix="Permanent fix deployed by change." if settled else "",
            state=state,
            created_at=created,
            resolved_at=resolved_at,
            closed_at=resolved_at if state == ProblemState.CLOSED else None,
        )
        problems.append(problem)
        for incident in group:
            incident.problem = problem
    insert(Problem, problems)
    number_rows(Problem, "PRB", problems)
    insert(Incident, incidents)
    number_rows(Incident, "INC", incidents)

    transitions, logs = [], []
    for incident, moves in made:
        transitions += [
            IncidentTransition(
                incident=incident, from_state=a, to_state=b, by=by, at=moment, comment=comment
            )
            for moment, a, b, by, comment in moves
        ]
        if incident.in_progress_at is None:
            continue
        stop = incident.resolved_at or now
        crew = [incident.assignee] if incident.assignee else []
        if incident.priority <= 2:
            crew += rng.sample(world.staff(incident.service.owning_team_id) or world.people, k=1)
        for _ in range(rng.randint(2, 6) if incident.priority <= 2 else rng.randint(1, 3)):
            if not crew:
                break
            start = incident.in_progress_at
            moment = start + (stop - start) * rng.random()
            low, high = (1, 8) if incident.priority == 1 else (0.25, 4)
            logs.append(
                WorkLog(
                    incident=incident,
                    person=rng.choice(crew),
                    day=moment.date(),
                    hours=Decimal(str(round(rng.uniform(low, high) * 4) / 4 or 0.25)),
                    note=rng.choice(words.WORK_NOTES),
                )
            )
    insert(IncidentTransition, transitions)
    insert(WorkLog, logs)
    world.incidents += incidents
    world.problems += problems
    states = defaultdict(int)
    for incident in incidents:
        states[incident.state] += 1
    return {
        "incidents": len(incidents),
        "incidents_open": sum(states[s] for s in (I.NEW, I.IN_PROGRESS, I.ON_HOLD)),
        "problems": len(problems),
        "work_logs": len(logs),
        "incident_transitions": len(transitions),
    }
