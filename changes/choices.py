"""Vocabulary of change control and the transition table of the change workflow."""

from django.db import models


class ChangeType(models.TextChoices):
    STANDARD = "standard", "Standard (pre-approved)"
    NORMAL = "normal", "Normal (CAB)"
    EMERGENCY = "emergency", "Emergency"


class ChangeState(models.TextChoices):
    NEW = "new", "New"
    ASSESS = "assess", "Assess"
    AUTHORIZE = "authorize", "Authorize"
    SCHEDULED = "scheduled", "Scheduled"
    IMPLEMENT = "implement", "Implement"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", "Successful"
    WITH_ISSUES = "successful_with_issues", "Successful with issues"
    FAILED = "failed", "Failed"
    BACKED_OUT = "backed_out", "Backed out"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"


class CIKind(models.TextChoices):
    SERVER = "server", "Server"
    DATABASE = "database", "Database"
    APPLICATION = "application", "Application"
    NETWORK = "network", "Network device"
    LOAD_BALANCER = "load_balancer", "Load balancer"
    CLUSTER = "cluster", "Cluster"
    STORAGE = "storage", "Storage"
    SAAS = "saas", "SaaS"


# Where a change may go from each state; the type-specific rules (standard skips authorize,
# emergency cannot skip review, quorum, freezes) live in changes.workflow.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ChangeState.NEW: (ChangeState.ASSESS, ChangeState.CANCELLED),
    ChangeState.ASSESS: (
        ChangeState.AUTHORIZE,
        ChangeState.SCHEDULED,
        ChangeState.NEW,
        ChangeState.CANCELLED,
    ),
    ChangeState.AUTHORIZE: (ChangeState.SCHEDULED, ChangeState.NEW, ChangeState.CANCELLED),
    ChangeState.SCHEDULED: (ChangeState.IMPLEMENT, ChangeState.CANCELLED),
    ChangeState.IMPLEMENT: (ChangeState.REVIEW, ChangeState.CLOSED),
    ChangeState.REVIEW: (ChangeState.CLOSED,),
    ChangeState.CLOSED: (),
    ChangeState.CANCELLED: (),
}

# States in which a change holds its window on the calendar.
ACTIVE_STATES = (
    ChangeState.NEW,
    ChangeState.ASSESS,
    ChangeState.AUTHORIZE,
    ChangeState.SCHEDULED,
    ChangeState.IMPLEMENT,
)
