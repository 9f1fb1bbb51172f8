"""Vocabulary of handover and incidents, and their transition tables."""

from django.db import models


class HandoverState(models.TextChoices):
    PLANNING = "planning", "Planning"
    READINESS_REVIEW = "readiness_review", "Readiness review"
    ACCEPTED = "accepted", "Accepted"
    EARLY_LIFE_SUPPORT = "early_life_support", "Early-life support"
    CLOSED = "closed", "Closed"


HANDOVER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    HandoverState.PLANNING: (HandoverState.READINESS_REVIEW,),
    HandoverState.READINESS_REVIEW: (HandoverState.ACCEPTED, HandoverState.PLANNING),
    HandoverState.ACCEPTED: (HandoverState.EARLY_LIFE_SUPPORT, HandoverState.READINESS_REVIEW),
    HandoverState.EARLY_LIFE_SUPPORT: (HandoverState.CLOSED,),
    HandoverState.CLOSED: (),
}


class CheckStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    WAIVED = "waived", "Waived"


CHECK_SETTLED = (CheckStatus.DONE, CheckStatus.WAIVED)


class IncidentState(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


INCIDENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    IncidentState.NEW: (IncidentState.IN_PROGRESS, IncidentState.RESOLVED),
    IncidentState.IN_PROGRESS: (IncidentState.ON_HOLD, IncidentState.RESOLVED),
    IncidentState.ON_HOLD: (IncidentState.IN_PROGRESS, IncidentState.RESOLVED),
    IncidentState.RESOLVED: (IncidentState.CLOSED, IncidentState.IN_PROGRESS),
    IncidentState.CLOSED: (),
}

OPEN_INCIDENT_STATES = (IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD)


class Level(models.IntegerChoices):
    """Impact and urgency: 1 is the highest."""

    HIGH = 1, "1 – High"
    MEDIUM = 2, "2 – Medium"
    LOW = 3, "3 – Low"


class ProblemState(models.TextChoices):
    OPEN = "open", "Open"
    KNOWN_ERROR = "known_error", "Known error"
    RESOLVED = "resolved", "Resolved"
