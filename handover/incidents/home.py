"""Incidents in the inbox: those assigned to the person, and their team's unassigned ones."""

from itsm_pmo.home import Clock, QuerySource, WorkItem, on

from ..choices import IncidentState
from . import selectors
from .permissions import works_the_queue

PRIORITY_TONE = {1: "danger", 2: "warning"}


def _what_to_do(incident, clock: Clock) -> str:
    by = f" by {on(incident.due, clock)}"
    if incident.assignee_id is None:
        return "Take it or assign it"
    if incident.state == IncidentState.NEW:
        return f"Start work; resolve{by}"
    if incident.state == IncidentState.ON_HOLD:
        return f"Resume it; resolve{by}"
    return f"Resolve{by}"


def _incident(incident, clock: Clock) -> WorkItem:
    whose = "your team's queue" if incident.assignee_id is None else "assigned to you"
    return WorkItem(
        title=f"{incident.number} {incident.title}",
        url=incident.get_absolute_url(),
        action=_what_to_do(incident, clock),
        due=incident.due,
        meta=f"{incident.service.name} · {incident.get_state_display()} · {whose}",
        badge=incident.priority_label,
        tone=PRIORITY_TONE.get(incident.priority, "secondary"),
    )


incidents = QuerySource(
    kind="incidents",
    title="Incidents for you and your team",
    icon="life-preserver",
    who=works_the_queue,
    rows=lambda user, clock: selectors.waiting_for(user),
    entry=_incident,
    order=10,
    empty="No open incident is assigned to you or waiting in your team's queue.",
    link=("Incident queue", "incidents:index"),
)
