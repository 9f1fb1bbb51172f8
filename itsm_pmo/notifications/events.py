"""The events people can be told of, and how they are told by default."""

from dataclasses import dataclass

from django.db import models


class Event(models.TextChoices):
    ASSIGNED_TO_ME = "assigned_to_me", "An incident is assigned to me"
    ASSIGNED_TO_GROUP = "assigned_to_group", "An incident lands in my group's queue"
    SLA_WARNING = "sla_warning", "An incident I work on is at 75 % of its service level"
    SLA_BREACH = "sla_breach", "An incident I work on breached its service level"
    ESCALATION = "escalation", "An incident is escalated to me"
    MAJOR_INCIDENT = "major_incident", "A major incident is declared"
    CHANGE_APPROVAL = "change_approval", "A change needs my approval"
    CHANGE_DECIDED = "change_decided", "The CAB decided on my change"
    READINESS_CHECK = "readiness_check", "A readiness check is assigned to me"
    HANDOVER_ACCEPTANCE = "handover_acceptance", "A handover waits for my acceptance"


@dataclass(frozen=True)
class Delivery:
    in_app: bool
    email: bool


# Without a preference of their own, people see every event in the portal and get e-mail
# for what needs them soon; the group queue and the 75 % warning stay in the portal, where
# a busy desk's volume of them belongs.
DEFAULTS: dict[str, Delivery] = {
    event: Delivery(in_app=True, email=event not in (Event.ASSIGNED_TO_GROUP, Event.SLA_WARNING))
    for event in Event.values
}
