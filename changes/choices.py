"""Vocabulary of change control; the moves of its workflow are in changes.workflow."""

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


# States in which a change holds its window on the calendar.
ACTIVE_STATES = (
    ChangeState.NEW,
    ChangeState.ASSESS,
    ChangeState.AUTHORIZE,
    ChangeState.SCHEDULED,
    ChangeState.IMPLEMENT,
)
