"""Vocabulary of handover and incidents; their move tables are in workflow.py and
incidents/workflow.py."""

from django.db import models


class HandoverState(models.TextChoices):
    PLANNING = "planning", "Planning"
    READINESS_REVIEW = "readiness_review", "Readiness review"
    ACCEPTED = "accepted", "Accepted"
    EARLY_LIFE_SUPPORT = "early_life_support", "Early-life support"
    CLOSED = "closed", "Closed"


# Once operations have accepted, the checklist is the record of what they accepted.
CHECKS_EDITABLE = (HandoverState.PLANNING, HandoverState.READINESS_REVIEW)


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
