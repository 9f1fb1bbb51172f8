"""Change control: a CMDB of a few hundred items with their dependencies, standard-change
templates, two years of freezes (year-end, finance month-end, peak trading), and two years of
changes in every state and type, with their items, CAB approvals (and rejections), reviews with
outcomes, freeze exceptions and the whole trail of their moves, as the services would have
written them at the time."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from changes.choices import ChangeState, ChangeType, CIKind, Decision, Outcome, Risk
from changes.models import (
    Approval,
    ChangeRequest,
    ChangeTemplate,
    ChangeTransition,
    ConfigurationItem,
    FreezeWindow,
    PostImplementationReview,
)
from portfolio.choices import Stage
from resources.models import TeamKind

from . import words
from .base import Weighted, World, at, between, insert, link, number_rows, pick

S, T = ChangeState, ChangeType
SPAN_BACK, SPAN_AHEAD = 640, 90  # days of windows before and after today: two years
CATEGORY = {
    CIKind.SERVER: "Infrastructure",
    CIKind.DATABASE: "Database",
    CIKind.APPLICATION: "Release",
    CIKind.NETWORK: "Network",
    CIKind.LOAD_BALANCER: "Network",
    CIKind.CLUSTER: "Platform",
    CIKind.STORAGE: "Storage",
    CIKind.SAAS: "Configuration",
}
QUORUM = {Risk.LOW: 1, Risk.MODERATE: 2, Risk.HIGH: 3}
OUTCOMES = (
    (Outcome.SUCCESSFUL, 86),
    (Outcome.WITH_ISSUES, 7),
    (Outcome.FAILED, 3),
    (Outcome.BACKED_OUT, 4),
)
FINANCE_SERVICES = (
    "Payments Gateway",
    "Core Banking Database",
    "General Ledger",
    "Regulatory Reporting",
    "Treasury Platform",
    "Direct Debits",
)
PEAK_SERVICES = (
    "Customer Portal",
    "Online Banking",
    "Mobile Banking App",
    "Card Authorisation Switch",
    "3-D Secure",
)


@dataclass
class Caused:
    """A change whose review counts incidents: the incident builder logs them against it."""

    change: ChangeRequest
    service_id: int
    count: int
    after: datetime


@dataclass
class _Freeze:
    start: datetime
    end: datetime
    services: frozenset[int] | None  # None: every service

    def covers(self, start: datetime, end: datetime, service_ids: set[int]) -> bool:
        if not (self.start < end and self.end > start):
            return False
        return self.services is None or bool(self.services & service_ids)


@dataclass
class _Change:
    change: ChangeRequest
    items: list
    events: list = field(default_factory=list)  # ("move", from, to, by, comment) or others


def load(world: World) -> None:
    world.items = list(ConfigurationItem.objects.order_by("pk"))
    for item in world.items:
        if item.service_id:
            world.items_of_service.setdefault(item.service_id, []).append(item)
    world.templates = list(ChangeTemplate.objects.prefetch_related("items").order_by("pk"))
    world.freezes = list(FreezeWindow.objects.prefetch_related("services").order_by("pk"))


def build(world: World) -> dict[str, int]:
    counts = {}
    counts.update(_cmdb(world))
    counts.update(_templates(world))
    counts.update(_freezes(world))
    counts.update(_changes(world, max(0, world.size.changes - ChangeRequest.objects.count())))
    return counts


# --- the CMDB ------------------------------------------------------------------------------


def _cmdb(world: World) -> dict[str, int]:
    rng = world.rng
    wanted = max(0, world.size.config_items - len(world.items))
    taken = {i.name.lower() for i in world.items}
    made: list[ConfigurationItem] = []

    def add(name: str, kind: str, service, criticality: int, description: str) -> None:
        if name.lower() in taken or len(made) >= wanted:
            return
        taken.add(name.lower())
        made.append(
            ConfigurationItem(
                name=name[:120],
                kind=kind,
                service=service,
                criticality=criticality,
                description=description,
            )
        )

    infrastructure = max(1, round(wanted * 0.12)) if wanted else 0
    n = 1
    while len(made) < infrastructure and n < 100:
        for pattern, kind, criticality in words.INFRASTRUCTURE:
            if len(made) < infrastructure:
                add(pattern.format(n=n), kind, None, criticality, "Shared infrastructure.")
        n += 1
    # Every service gets its own items, the newest services first (the demo's have theirs).
    services = sorted(world.services, key=lambda s: -s.pk)
    while len(made) < wanted:
        before = len(made)
        for service in services:
            suffix, kind, _ = rng.choice(words.SERVICE_ITEMS)
            add(
                f"{service.name}{suffix}",
                kind,
                service,
                min(4, service.tier),
                f"Part of {service.name}.",
            )
        if len(made) == before:  # every combination taken
            break
    insert(ConfigurationItem, made)
    world.items += made
    for item in made:
        if item.service_id:
            world.items_of_service.setdefault(item.service_id, []).append(item)

    # Dependencies: a service's items on the shared infrastructure and on each other.
    shared: dict[str, list] = {}
    for item in world.items:
        if item.service_id is None:
            shared.setdefault(item.kind, []).append(item)
    depends_on = {kind: needs for _, kind, needs in words.SERVICE_ITEMS}
    pairs = set()
    for item in made:
        if item.service_id is None:
            below = [
                i
                for i in shared.get(CIKind.NETWORK, []) + shared.get(CIKind.STORAGE, [])
                if i.pk != item.pk
            ]
            if below and item.kind != CIKind.NETWORK:
                pairs.add((item.pk, rng.choice(below).pk))
            continue
        for kind in depends_on.get(item.kind, ()):
            if shared.get(kind):
                pairs.add((item.pk, rng.choice(shared[kind]).pk))
        if item.kind == CIKind.APPLICATION:
            for other in world.items_of_service.get(item.service_id, []):
                if other.pk != item.pk and other.kind in (CIKind.DATABASE, CIKind.SERVER):
                    pairs.add((item.pk, other.pk))
    through = ConfigurationItem.depends_on.through
    linked = link(through, sorted(pairs), "from_configurationitem_id", "to_configurationitem_id")
    return {"config_items": len(made), "config_item_dependencies": linked}


def _templates(world: World) -> dict[str, int]:
    rng = world.rng
    have = {t.name for t in world.templates}
    made, kinds_of = [], {}
    for name, category, effort, kinds in words.TEMPLATES:
        if name in have:
            continue
        template = ChangeTemplate(
            name=name,
            category=category,
            effort_hours=Decimal(effort),
            description=f"Pre-approved: {name.lower()}, following the runbook.",
            backout_plan=rng.choice(words.BACKOUT),
            test_plan=rng.choice(words.TESTS),
        )
        made.append(template)
        kinds_of[name] = kinds
    insert(ChangeTemplate, made)
    pairs = []
    for template in made:
        fitting = [i for i in world.items if i.kind in kinds_of[template.name]]
        pairs += [(template.pk, i.pk) for i in rng.sample(fitting, k=min(3, len(fitting)))]
    link(ChangeTemplate.items.through, pairs, "changetemplate_id", "configurationitem_id")
    world.templates = list(ChangeTemplate.objects.prefetch_related("items").order_by("pk"))
    return {"change_templates": len(made)}


def _freezes(world: World) -> dict[str, int]:
    """Two years of freezes: year-end for everyone, month-end close for the finance
    services, a week of peak trading for the digital channels (the demo made this year's)."""
    today = world.today
    have = {f.name for f in world.freezes}
    by_name = {s.name: s.pk for s in world.services}
    finance = [by_name[n] for n in FINANCE_SERVICES if n in by_name]
    peak = [by_name[n] for n in PEAK_SERVICES if n in by_name]
    first = today - timedelta(days=SPAN_BACK + 30)
    last = today + timedelta(days=SPAN_AHEAD + 30)
    rows: list[tuple[FreezeWindow, list[int]]] = []
    for year in range(first.year - 1, last.year + 1):
        start, end = at(date(year, 12, 18), 0), at(date(year + 1, 1, 5), 0)
        if end.date() >= first and start.date() <= last:
            name = f"Year-end change freeze {year}/{str(year + 1)[-2:]}"
            rows.append(
                (
                    FreezeWindow(
                        name=name,
                        start=start,
                        end=end,
                        all_services=True,
                        reason="Peak trading and thin cover over the holidays.",
                    ),
                    [],
                )
            )
        black_friday = date(year, 11, 22) + timedelta(days=(4 - date(year, 11, 22).weekday()) % 7)
        if first <= black_friday <= last and peak:
            rows.append(
                (
                    FreezeWindow(
                        name=f"Peak trading freeze – digital channels ({year})",
                        start=at(black_friday - timedelta(days=3), 0),
                        end=at(black_friday + timedelta(days=4), 0),
                        all_services=False,
                        reason="Black Friday to Cyber Monday: no changes to the channels.",
                    ),
                    peak,
                )
            )
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        month_end = following - timedelta(days=1)
        name = f"Month-end close – finance services ({month_end:%B %Y})"
        if finance:
            rows.append(
                (
                    FreezeWindow(
                        name=name,
                        start=at(month_end - timedelta(days=1), 18),
                        end=at(month_end + timedelta(days=2), 8),
                        all_services=False,
                        reason="Ledger close and settlement runs.",
                    ),
                    finance,
                )
            )
        month = following
    rows = [(f, s) for f, s in rows if f.name not in have]
    insert(FreezeWindow, [f for f, _ in rows])
    link(
        FreezeWindow.services.through,
        [(f.pk, s) for f, services in rows for s in services],
        "freezewindow_id",
        "service_id",
    )
    world.freezes = list(FreezeWindow.objects.prefetch_related("services").order_by("pk"))
    return {"freezes": len(rows)}


# --- changes -------------------------------------------------------------------------------


class _Maker:
    def __init__(self, world: World):
        self.world, self.rng = world, world.rng
        self.now, self.today = world.now, world.today
        self.freezes = [
            _Freeze(
                f.start,
                f.end,
                None if f.all_services else frozenset(s.pk for s in f.services.all()),
            )
            for f in world.freezes
        ]
        self.services = [s for s in world.services if world.items_of_service.get(s.pk)]
        self.service_pick = Weighted(self.services, [5 - s.tier for s in self.services])
        self.shared = [i for i in world.items if i.service_id is None]
        self.service_of = {s.pk: s for s in world.services}
        self.runners = [t for t in world.teams if t.kind != TeamKind.PROJECT] or world.teams
        self.templates_for: dict[str, list] = {}
        for template in world.templates:
            for kind in sorted({i.kind for i in template.items.all()}):
                self.templates_for.setdefault(kind, []).append(template)
        managers = world.by_role.get("itsm_manager", [])
        demo_cab = {
            world.users[n].pk: w
            for n, w in (("itsm_manager", 6), ("cab_ops", 3), ("cab_sec", 3))
            if n in world.users
        }
        self.cab = managers
        self.crowd_cab = world.crowd("itsm_manager") or managers
        self.cab_weights = [demo_cab.get(u.pk, 1) for u in managers]
        self.marcus = world.users["itsm_manager"]
        self.engineers = world.crowd("engineer") or managers
        self.projects_on: dict[int, list] = {}
        live = (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED)
        for project in world.projects:
            if project.stage in live and project.start_date and project.end_date:
                for service_id in world.project_services.get(project.pk, []):
                    self.projects_on.setdefault(service_id, []).append(project)
        self.caused: list[Caused] = []

    # who
    def implementer_for(self, service) -> object:
        team = service.owning_team_id if service else self.rng.choice(self.runners).pk
        people = self.world.staff(team) or self.world.people
        if self.world.engineer is not None and self.rng.random() < 0.012:
            return self.world.engineer
        return self.rng.choice(people)

    def requester_for(self, implementer) -> object:
        rng, world = self.rng, self.world
        roll = rng.random()
        if roll < 0.1 and self.crowd_cab:
            return rng.choice(self.crowd_cab)
        if roll < 0.75 and world.user_for(implementer) is not None:
            return world.user_for(implementer)
        mates = [p for p in world.members.get(implementer.team_id, []) if p.pk in world.user_of]
        if mates:
            return world.user_of[rng.choice(mates).pk]
        return rng.choice(self.engineers)

    def approvers(self, change, count: int, *, spare_marcus: bool) -> list:
        barred = {change.requester_id, self.world.user_of.get(change.implementer_id, None)}
        barred = {getattr(u, "pk", u) for u in barred}
        chosen: list = []
        pool = [
            (u, w) for u, w in zip(self.cab, self.cab_weights, strict=True) if u.pk not in barred
        ]
        if spare_marcus:
            pool = [(u, w) for u, w in pool if u.pk != self.marcus.pk]
        while pool and len(chosen) < count:
            user = pick(self.rng, pool)
            chosen.append(user)
            pool = [(u, w) for u, w in pool if u.pk != user.pk]
        return chosen

    # when
    def window(self, kind: str, day: date) -> tuple[datetime, datetime]:
        rng = self.rng
        if kind == T.STANDARD:
            start = at(day, rng.choice((10, 11, 14, 19, 20)))
            return start, start + timedelta(hours=rng.choice((1, 1, 2, 3)))
        if kind == T.EMERGENCY:
            start = at(day, rng.randint(0, 23), rng.choice((0, 15, 30, 45)))
            return start, start + timedelta(hours=rng.choice((1, 2, 2, 3)))
        if rng.random() < 0.3:  # a Saturday morning
            day += timedelta(days=(5 - day.weekday()) % 7)
            start = at(day, 6)
            return start, start + timedelta(hours=rng.choice((4, 6, 8)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = at(day, rng.choice((19, 19, 20, 21)))
        return start, start + timedelta(hours=rng.choice((2, 3, 3, 4, 6)))

    def frozen(self, start, end, service_ids: set[int]) -> bool:
        return any(f.covers(start, end, service_ids) for f in self.freezes)

    def clear(self, kind, start, end, service_ids) -> tuple[datetime, datetime, bool]:
        """Planners move a window out of a freeze by whole weeks; a few keep it with an
        exception (emergencies need none)."""
        if kind == T.EMERGENCY or not self.frozen(start, end, service_ids):
            return start, end, False
        if self.rng.random() < 0.04:
            return start, end, True
        step = timedelta(weeks=-1 if start < self.now else 1)
        for _ in range(8):
            start, end = start + step, end + step
            if not self.frozen(start, end, service_ids):
                return start, end, False
        return start, end, True

    def state(self, kind, start, end) -> tuple[str, str]:
        """(the state reached, the state a cancelled change was cancelled from)."""
        rng, now = self.rng, self.now
        if end < now - timedelta(days=14):
            if rng.random() < 0.06:
                return S.CANCELLED, rng.choice((S.NEW, S.ASSESS, S.AUTHORIZE, S.SCHEDULED))
            return S.CLOSED, ""
        if end < now:
            table = {
                T.NORMAL: ((S.CLOSED, 55), (S.REVIEW, 35), (S.IMPLEMENT, 5), (S.CANCELLED, 5)),
                T.STANDARD: ((S.CLOSED, 90), (S.IMPLEMENT, 5), (S.CANCELLED, 5)),
                T.EMERGENCY: ((S.CLOSED, 60), (S.IMPLEMENT, 40)),
            }[kind]
        elif start <= now:
            return S.IMPLEMENT, ""
        elif start < now + timedelta(days=14) or kind == T.EMERGENCY:
            table = {
                T.NORMAL: (
                    (S.SCHEDULED, 62),
                    (S.AUTHORIZE, 25),
                    (S.ASSESS, 6),
                    (S.NEW, 4),
                    (S.CANCELLED, 3),
                ),
                T.STANDARD: ((S.SCHEDULED, 88), (S.ASSESS, 5), (S.NEW, 5), (S.CANCELLED, 2)),
                T.EMERGENCY: ((S.SCHEDULED, 70), (S.AUTHORIZE, 30)),
            }[kind]
        else:
            table = {
                T.NORMAL: (
                    (S.SCHEDULED, 30),
                    (S.AUTHORIZE, 28),
                    (S.ASSESS, 22),
                    (S.NEW, 17),
                    (S.CANCELLED, 3),
                ),
                T.STANDARD: ((S.SCHEDULED, 60), (S.ASSESS, 20), (S.NEW, 18), (S.CANCELLED, 2)),
                T.EMERGENCY: ((S.SCHEDULED, 70), (S.AUTHORIZE, 30)),
            }[kind]
        state = pick(rng, table)
        if state == S.CANCELLED:
            reached = S.SCHEDULED if end < now else rng.choice((S.NEW, S.ASSESS, S.AUTHORIZE))
            if kind == T.STANDARD and reached == S.AUTHORIZE:
                reached = S.ASSESS
            return S.CANCELLED, reached
        return state, ""

    # what
    def title(self, kind: str, item, service) -> str:
        rng = self.rng
        patterns = words.EMERGENCY_TITLES if kind == T.EMERGENCY else words.CHANGE_TITLES[item.kind]
        return rng.choice(patterns).format(
            ci=item.name,
            service=service.name if service else item.name,
            month=rng.choice(("January", "April", "July", "October")),
            n=rng.choice((4, 8, 16, 32, 200, 500)),
            m=rng.randint(1, 31),
            v=f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            feature=rng.choice(words.FEATURES),
            cve=f"CVE-{self.today.year - rng.randint(0, 1)}-{rng.randint(1000, 49999)}",
        )[:200]

    def make(self, day: date, *, kind: str | None = None, project=None, title=None) -> _Change:
        rng, world = self.rng, self.world
        kind = kind or pick(rng, ((T.STANDARD, 50), (T.NORMAL, 42), (T.EMERGENCY, 8)))
        if project is not None:
            service_ids = world.project_services.get(project.pk) or [self.service_pick(rng).pk]
            service = self.service_of[service_ids[0]]
        else:
            service = self.service_pick(rng)
        own = world.items_of_service.get(service.pk, [])
        if own and (rng.random() < 0.85 or not self.shared):
            items = rng.sample(own, k=min(len(own), rng.choice((1, 1, 1, 2))))
        else:
            items = [rng.choice(self.shared)]
            service = None
        template = None
        if kind == T.STANDARD:
            fitting = self.templates_for.get(items[0].kind)
            if fitting:
                template = rng.choice(fitting)
            else:
                kind = T.NORMAL
        implementer = self.implementer_for(service)
        requester = self.requester_for(implementer)
        start, end = self.window(kind, day)
        service_ids = {i.service_id for i in items if i.service_id}
        start, end, exception = self.clear(kind, start, end, service_ids)
        state, cancelled_from = self.state(kind, start, end)
        no_window = state == S.NEW and start > self.now + timedelta(days=14) and rng.random() < 0.1
        criticality = min(i.criticality for i in items)
        risk = pick(
            rng,
            ((Risk.LOW, 80), (Risk.MODERATE, 20))
            if kind == T.STANDARD
            else {
                1: ((Risk.LOW, 20), (Risk.MODERATE, 50), (Risk.HIGH, 30)),
                2: ((Risk.LOW, 35), (Risk.MODERATE, 50), (Risk.HIGH, 15)),
            }.get(criticality, ((Risk.LOW, 60), (Risk.MODERATE, 35), (Risk.HIGH, 5))),
        )
        if project is None and service is not None and rng.random() < 0.2:
            candidates = [
                p
                for p in self.projects_on.get(service.pk, [])
                if p.start_date <= day <= p.end_date + timedelta(weeks=4)
            ]
            project = rng.choice(candidates) if candidates else None
        change = ChangeRequest(
            title=title or self.title(kind, items[0], service),
            description=(
                template.description
                if template
                else f"Raised by the {world.team(implementer.team_id).name} team."
            )
            + f" Affects {', '.join(i.name for i in items)}.",
            change_type=kind,
            category=template.category if template else CATEGORY[items[0].kind],
            requester=requester,
            implementer=implementer,
            team_id=implementer.team_id,
            project=project,
            template=template,
            planned_start=None if no_window else start,
            planned_end=None if no_window else end,
            effort_hours=template.effort_hours
            if template
            else Decimal(
                rng.choice((1, 2, 2, 3, 4, 4, 6, 8, 12, 16))
                if kind == T.NORMAL
                else rng.choice((1, 2, 3, 4))
            ),
            backout_plan=template.backout_plan if template else rng.choice(words.BACKOUT),
            test_plan=template.test_plan if template else rng.choice(words.TESTS),
            risk=risk,
            state=state,
        )
        if rng.random() < 0.02 and kind != T.STANDARD:
            change.risk_override = Risk.HIGH if risk != Risk.HIGH else Risk.MODERATE
            change.risk_override_reason = "The CAB judges the blast radius differently."
        if exception and state not in (S.NEW, S.ASSESS):
            change.freeze_exception = True
            change.freeze_exception_reason = "Agreed at CAB: it cannot wait until after the freeze."
            change.freeze_exception_by = rng.choice(self.cab) if self.cab else requester
        made = _Change(change, items)
        self.history(made, kind, state, cancelled_from, start, end, no_window)
        return made

    def history(self, made: _Change, kind, state, cancelled_from, start, end, no_window) -> None:
        """The rows the services would have written: moves, approvals, a review."""
        rng, now, change = self.rng, self.now, made.change
        requester = change.requester
        doer = self.world.user_for(change.implementer) or requester
        manager = rng.choice(self.cab) if self.cab else requester
        lead = {
            T.STANDARD: timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6)),
            T.NORMAL: timedelta(days=rng.randint(5, 25), hours=rng.randint(0, 6)),
            T.EMERGENCY: timedelta(hours=rng.randint(2, 8)),
        }[kind]
        created = now - timedelta(days=rng.randint(1, 30)) if no_window else start - lead
        created = min(created, now - timedelta(hours=rng.randint(1, 72)))
        limit = min(start - timedelta(hours=1), now) if not no_window else now
        if limit <= created:
            limit = created + (now - created) / 2

        target = cancelled_from or state
        order = [S.NEW, S.ASSESS, S.AUTHORIZE, S.SCHEDULED, S.IMPLEMENT, S.REVIEW, S.CLOSED]
        reach = order.index(target)
        planning: list[tuple] = []  # moves before the window, in order
        rejected = kind == T.NORMAL and reach >= 2 and rng.random() < 0.07
        quorum = 1 if kind == T.EMERGENCY else QUORUM[change.risk_override or change.risk]
        if reach >= 1:
            planning.append(("move", S.NEW, S.ASSESS, requester, ""))
        if kind != T.STANDARD and reach >= 2:
            planning.append(("move", S.ASSESS, S.AUTHORIZE, requester, ""))
            if rejected:
                approver = (self.approvers(change, 1, spare_marcus=False) or [manager])[0]
                reason = rng.choice(words.REJECT_REASONS)
                planning.append(("approval", approver, Decision.REJECT, reason, 1))
                planning.append(("move", S.AUTHORIZE, S.NEW, approver, f"Rejected: {reason}"))
                planning.append(("move", S.NEW, S.ASSESS, requester, words.RESUBMIT))
                planning.append(("move", S.ASSESS, S.AUTHORIZE, requester, ""))
                change.approval_round = 2
            waiting = target == S.AUTHORIZE
            count = rng.randint(0, quorum - 1) if waiting else quorum
            approvers = self.approvers(change, count, spare_marcus=waiting and rng.random() < 0.8)
            for approver in approvers:
                planning.append(("approval", approver, Decision.APPROVE, "", change.approval_round))
            if not waiting and len(approvers) < quorum:
                # A small CAB: the policy that fits the approvers there were.
                change.risk = (Risk.LOW, Risk.MODERATE, Risk.HIGH)[max(0, len(approvers) - 1)]
                change.risk_override = change.risk_override_reason = ""
            if reach >= 3:
                last = approvers[-1] if approvers else manager
                planning.append(
                    ("move", S.AUTHORIZE, S.SCHEDULED, last, "Quorum of approvals reached.")
                )
        elif kind == T.STANDARD and reach >= 3:
            planning.append(("move", S.ASSESS, S.SCHEDULED, requester, ""))
        if cancelled_from:
            by = manager if cancelled_from == S.SCHEDULED else requester
            planning.append(
                ("move", cancelled_from, S.CANCELLED, by, rng.choice(words.CANCEL_REASONS))
            )
        moments = between(rng, created, limit, len(planning))
        if cancelled_from == S.SCHEDULED and end < now:
            moments[-1] = min(start - timedelta(minutes=30), now)
        events = list(zip(moments, planning, strict=True))
        if not cancelled_from:
            if reach >= 4:
                events.append((start, ("move", S.SCHEDULED, S.IMPLEMENT, doer, "")))
            reviewed = (
                (kind == T.NORMAL and (reach >= 6 or (reach == 5 and rng.random() < 0.4)))
                or (kind == T.EMERGENCY and (reach >= 6 or (reach == 4 and rng.random() < 0.3)))
                or (kind == T.STANDARD and reach >= 6 and rng.random() < 0.08)
            )
            if kind == T.EMERGENCY and reach == 4 and end < now and rng.random() < 0.5:
                reviewed = True
            if kind == T.NORMAL and reach >= 5:
                events.append(
                    (end + timedelta(minutes=10), ("move", S.IMPLEMENT, S.REVIEW, doer, ""))
                )
            review_at = None
            if reviewed:
                review_at = max(
                    min(at(end.date() + timedelta(days=1), 11), now - timedelta(minutes=20)),
                    end + timedelta(minutes=20),
                )
                outcome = pick(rng, OUTCOMES)
                caused = {
                    Outcome.SUCCESSFUL: 1 if rng.random() < 0.02 else 0,
                    Outcome.WITH_ISSUES: rng.randint(0, 2),
                    Outcome.FAILED: rng.randint(1, 3),
                    Outcome.BACKED_OUT: rng.randint(1, 2),
                }[outcome]
                by = requester if kind == T.STANDARD else manager
                events.append((review_at, ("review", outcome, caused, by)))
                change.outcome = outcome
                if caused:
                    service_id = next((i.service_id for i in made.items if i.service_id), None)
                    if service_id:
                        self.caused.append(Caused(change, service_id, caused, start))
            if reach >= 6:
                after = review_at or end
                closed = max(
                    min(after + timedelta(hours=2), now - timedelta(minutes=5)),
                    after + timedelta(minutes=30),
                )
                source = S.REVIEW if kind == T.NORMAL else S.IMPLEMENT
                events.append(
                    (
                        closed,
                        (
                            "move",
                            source,
                            S.CLOSED,
                            requester if kind == T.STANDARD else manager,
                            "",
                        ),
                    )
                )
        made.events = events
        change.created_at = created
        change.updated_at = max([created, *(m for m, _ in events)])


def _changes(world: World, wanted: int) -> dict[str, int]:
    rng, today = world.rng, world.today
    maker = _Maker(world)
    if not maker.services or wanted <= 0:
        return {"changes": 0}
    made: list[_Change] = []
    # Go-lives: half the projects' go-lives in the span have their cut-over change.
    first_day = today - timedelta(days=SPAN_BACK)
    last_day = today + timedelta(days=SPAN_AHEAD)
    go_lives = [
        p
        for p in world.projects
        if p.pk in world.go_live
        and first_day <= world.go_live[p.pk] <= last_day
        and p.stage in (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED)
        and not p.code.startswith("PRJ-0")  # the demo's have theirs
    ]
    for project in go_lives:
        if len(made) < wanted and rng.random() < 0.5:
            made.append(
                maker.make(
                    world.go_live[project.pk],
                    kind=T.NORMAL,
                    project=project,
                    title=f"Go-live of {project.code} {project.name}"[:200],
                )
            )
    days = SPAN_BACK + SPAN_AHEAD
    # Fewer windows at weekends and in the last fortnight of December.
    weights = []
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        w = 1.0 if day.weekday() < 5 else 0.35
        if day.month == 12 and day.day >= 18 or day.month == 1 and day.day < 5:
            w *= 0.2
        weights.append(w)
    day_pick = Weighted(range(days + 1), weights)
    while len(made) < wanted:
        made.append(maker.make(first_day + timedelta(days=day_pick(rng))))

    changes = [m.change for m in made]
    for m in made:  # what a lesson about the change concerns (its first item's service)
        m.change.service_id_ = next((i.service_id for i in m.items if i.service_id), None)
    insert(ChangeRequest, changes)
    number_rows(ChangeRequest, "CHG", changes)
    items = link(
        ChangeRequest.items.through,
        [(m.change.pk, i.pk) for m in made for i in m.items],
        "changerequest_id",
        "configurationitem_id",
    )
    transitions, approvals, reviews = [], [], []
    for m in made:
        for moment, event in m.events:
            if event[0] == "move":
                _, source, target, by, comment = event
                transitions.append(
                    ChangeTransition(
                        change=m.change,
                        from_state=source,
                        to_state=target,
                        by=by,
                        at=moment,
                        comment=comment,
                    )
                )
            elif event[0] == "approval":
                _, approver, decision, comment, round_ = event
                approvals.append(
                    Approval(
                        change=m.change,
                        approver=approver,
                        decision=decision,
                        comment=comment,
                        decided_at=moment,
                        round=round_,
                    )
                )
            else:
                _, outcome, caused, by = event
                reviews.append(
                    PostImplementationReview(
                        change=m.change,
                        outcome=outcome,
                        incidents_caused=caused,
                        notes=rng.choice(words.REVIEW_NOTES[outcome]),
                        reviewed_by=by,
                        reviewed_at=moment,
                    )
                )
    insert(ChangeTransition, transitions)
    insert(Approval, approvals)
    insert(PostImplementationReview, reviews)
    world.changes += changes
    world.caused = maker.caused
    return {
        "changes": len(changes),
        "change_items": items,
        "change_transitions": len(transitions),
        "approvals": len(approvals),
        "reviews": len(reviews),
    }
