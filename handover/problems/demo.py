"""Demo problem records (issue 17): one in every state of the ITIL life cycle, told as an
operations team would live them.

The payments API's connection-pool exhaustion (the refund incidents after the v4.2 release) is
a known error, its workaround published as a known-error article on the Payments Gateway, and
its fix is being made by a change raised from it; the payments message-queue leak was fixed by
last week's patching, whose successful review offers to resolve it. Deterministic and
idempotent: the records are found by title, removed with their articles and made again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from changes import selectors as change_selectors
from changes import services as change_services
from changes.choices import ChangeType
from portfolio import selectors as portfolio_selectors
from resources import selectors as resources_selectors

from ..choices import ProblemState as P
from . import services

PAYMENTS_FIX = (
    "Payments API v4.3: connection pool sized for peak",
    "Raises the pool to 50 connections per pod and the database limit to match; load-tested "
    "at twice the month-end peak.",
)
MQ_FIX_CHANGE = "Monthly OS patching – payments message queue servers"

# title, service, item, root cause, workaround, fix, the moves it made
PROBLEMS: list[tuple[Any, ...]] = [
    (
        "Connection pool exhaustion on the payments API",
        "Payments Gateway",
        "Payments API",
        "The v4.2 pool settings cap connections at 20 per pod; peak needs 45.",
        "Scale the API to 6 pods during peak hours; raise the pool in v4.3.",
        "",
        [P.ASSESS, P.ROOT_CAUSE_ANALYSIS, P.FIX_IN_PROGRESS],
    ),
    (
        "Queue manager memory leak on the payments message queue",
        "Payments Gateway",
        "Payments message queue (IBM MQ)",
        "A known leak in the queue manager's channel agent, fixed in the vendor's fix pack.",
        "Restart the channel initiator when its memory passes 6 GB (alert MQ-14).",
        "Apply the vendor fix pack with the monthly OS patching.",
        [P.ASSESS, P.ROOT_CAUSE_ANALYSIS, P.FIX_IN_PROGRESS],
    ),
    (
        "Intermittent DNS timeouts on internal name resolution",
        "Corporate Network",
        "Internal DNS and DHCP (Infoblox)",
        "",
        "",
        "",
        [],
    ),
    (
        "Settlement file late to the bank at month-end",
        "Payments Gateway",
        None,
        "",
        "Send the file by hand from the SFTP console after 18:00 (runbook SET-3).",
        "",
        [P.ASSESS, P.ROOT_CAUSE_ANALYSIS],
    ),
    (
        "Customer portal slow at month-end",
        "Customer Portal",
        None,
        "",
        "",
        "",
        [P.ASSESS],
    ),
    (
        "HSM sessions exhausted at the card-authorisation peak",
        "Payments Gateway",
        "Payment HSM pair (Thales)",
        "The HSM pair's licence allowed 64 sessions; the peak opens 90.",
        "Fail over to the standby HSM when sessions pass 60.",
        "Licence raised to 256 sessions on both HSMs (vendor order 4471).",
        [P.ASSESS, P.ROOT_CAUSE_ANALYSIS, P.FIX_IN_PROGRESS, P.RESOLVED],
    ),
    (
        "Customer portal sign-in loop after password reset",
        "Customer Portal",
        None,
        "The reset flow kept a stale session cookie.",
        "",
        "The reset flow clears the session; released in portal 7.3.",
        [P.ASSESS, P.ROOT_CAUSE_ANALYSIS, P.FIX_IN_PROGRESS, P.RESOLVED, P.CLOSED],
    ),
]

# Who drives each (by title's start): the people who know the system best.
OWNERS = {
    "Connection pool": "Rosa Ivanova",
    "Queue manager": "Ivan Dubois",
    "Settlement file": "Elena Novak",
    "HSM sessions": "Rosa Ivanova",
    "Customer portal sign-in": "Elena Novak",
}

COMMENTS = {
    P.RESOLVED: "Fix in place; no recurrence in two weeks of monitoring.",
    P.CLOSED: "No recurrence for a month after the release: closed.",
}


def _clear(titles: list[str]) -> None:
    for problem in services.Problem.objects.filter(title__in=titles).select_related(
        "known_error_article"
    ):
        article = problem.known_error_article
        problem.delete()
        if article is not None:
            article.delete()  # the demo's own known error, made again below


def seed(manager, grouped_incidents=()) -> list:
    """The demo's problems, made by the ITSM manager; `grouped_incidents` are the refund
    incidents the first one groups."""
    _clear([p[0] for p in PROBLEMS])
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    items = {
        i.name: i
        for i in change_selectors.configuration_item_catalogue().filter(
            name__in=[p[2] for p in PROBLEMS if p[2]]
        )
    }
    people = {p.name: p for p in resources_selectors.people().filter(name__in=set(OWNERS.values()))}
    made = []
    for n, (title, service, item, cause, workaround, fix, moves) in enumerate(PROBLEMS):
        if service not in services_by_name:
            continue
        problem = services.problem_create(
            by=manager,
            incidents=grouped_incidents if n == 0 else (),
            title=title,
            service=services_by_name[service],
            configuration_item=items.get(item) if item else None,
            root_cause=cause,
            workaround=workaround,
            fix=fix,
            owner=next(
                (people.get(name) for start, name in OWNERS.items() if title.startswith(start)),
                None,
            ),
        )
        for to in moves:
            problem = services.problem_transition(
                problem=problem, to=to, by=manager, comment=COMMENTS.get(to, "")
            )
        made.append(problem)
    if made:
        _fix_changes(manager, made, items)
        _history(made)
    return made


def _history(made: list) -> None:
    """Older problems were opened weeks ago (their past incidents are grouped once the
    year's history exists: handover.problems.demo_history)."""
    from ..models import Problem

    now = timezone.now()
    for n, problem in enumerate(made):
        Problem.objects.filter(pk=problem.pk).update(created_at=now - timedelta(days=6 + 11 * n))


def _fix_changes(manager, made: list, items: dict) -> None:
    """The pool problem's fix, raised from it (still new); the leak's, last week's patching."""
    by_title = {p.title: p for p in made}
    pool = by_title.get(PROBLEMS[0][0])
    if pool is not None and "Payments API" in items:
        title, description = PAYMENTS_FIX
        change = change_selectors.changes().filter(title=title).first()
        if change is None:
            change = change_services.change_create(
                requester=manager,
                items=[items["Payments API"]],
                title=title,
                description=description,
                change_type=ChangeType.NORMAL,
                category="Problem fix",
            )
        services.problem_fixed_by(problem=pool, change=change, by=manager)
    leak = by_title.get(PROBLEMS[1][0])
    patching = change_selectors.changes().filter(title=MQ_FIX_CHANGE).first()
    if leak is not None and patching is not None:
        services.problem_fixed_by(problem=leak, change=patching, by=manager)
