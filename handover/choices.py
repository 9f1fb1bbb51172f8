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


class HoldReason(models.TextChoices):
    """Why an incident waits, as service desks know it."""

    AWAITING_CALLER = "awaiting_caller", "Awaiting caller"
    AWAITING_CHANGE = "awaiting_change", "Awaiting change"
    AWAITING_PROBLEM = "awaiting_problem", "Awaiting problem"
    AWAITING_VENDOR = "awaiting_vendor", "Awaiting vendor"


# The reasons that stop the service-level clock: the desk waits on someone outside it (the
# caller, a scheduled change, a vendor). Awaiting a problem does not: the problem is the
# desk's own work, so the clock runs on (docs/decisions.md).
PAUSING_HOLD_REASONS = (
    HoldReason.AWAITING_CALLER,
    HoldReason.AWAITING_CHANGE,
    HoldReason.AWAITING_VENDOR,
)


class Level(models.IntegerChoices):
    """Impact and urgency: 1 is the highest."""

    HIGH = 1, "1 – High"
    MEDIUM = 2, "2 – Medium"
    LOW = 3, "3 – Low"


class ProblemState(models.TextChoices):
    """The ITIL problem life cycle; a known error is not a state but a problem whose workaround
    is written down (Problem.known_error), whatever its state."""

    NEW = "new", "New"
    ASSESS = "assess", "Assess"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis", "Root-cause analysis"
    FIX_IN_PROGRESS = "fix_in_progress", "Fix in progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_PROBLEM_STATES = (
    ProblemState.NEW,
    ProblemState.ASSESS,
    ProblemState.ROOT_CAUSE_ANALYSIS,
    ProblemState.FIX_IN_PROGRESS,
)
