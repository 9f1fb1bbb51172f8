"""The handover's kinds of work in the inbox: the readiness checks a person owns, and for
ITSM managers the handovers waiting for their acceptance."""

from datetime import date

from itsm_pmo.home import Clock, QuerySource, WorkItem, on

from . import selectors
from .choices import CheckStatus
from .permissions import may_accept, may_tick_checks


def _go_live(day: date | None) -> str:
    return f"go-live {on(day)}" if day else "go-live not planned"


def _check(check, clock: Clock) -> WorkItem:
    project = check.handover.project
    finish = "Finish it" if check.status == CheckStatus.IN_PROGRESS else "Do it"
    by = f" by {on(check.due, clock)}" if check.due else ""
    return WorkItem(
        title=f"{check.criterion.name} · {project.code}",
        url=f"{check.handover.get_absolute_url()}#check-{check.pk}",
        action=f"{finish} and add the evidence{by}",
        due=check.due,
        meta=f"{project.name} · {_go_live(check.go_live_on)}",
        badge="Mandatory" if check.criterion.mandatory else "Optional",
        tone="warning" if check.criterion.mandatory else "light",
    )


checks = QuerySource(
    kind="readiness-checks",
    title="Readiness checks you own",
    icon="list-check",
    who=may_tick_checks,
    rows=lambda user, clock: selectors.open_checks_owned_by(user),
    entry=_check,
    order=30,
    empty="No open readiness check is yours.",
    link=("Handovers", "handover:index"),
)


def _acceptance(handover, clock: Clock) -> WorkItem:
    open_ = handover.mandatory_open
    return WorkItem(
        title=f"{handover.project.code} {handover.project.name}",
        url=handover.get_absolute_url(),
        action="Accept or send back"
        if not open_
        else f"Chase {open_} mandatory check{'s' if open_ > 1 else ''}, then accept",
        due=handover.due,
        meta=f"{_go_live(handover.go_live_on)} · "
        f"{handover.receiving_team or 'no receiving team yet'}",
        badge=f"{open_} mandatory open" if open_ else "Ready",
        tone="warning" if open_ else "success",
    )


acceptance = QuerySource(
    kind="handovers-to-accept",
    title="Handovers to accept",
    icon="box-arrow-in-right",
    who=may_accept,
    rows=lambda user, clock: selectors.awaiting_acceptance(),
    entry=_acceptance,
    order=20,
    empty="No handover waits for your acceptance.",
    link=("Handovers", "handover:index"),
)
