"""Vocabulary of conflicts, shared by every app's rules and pages."""

from django.db import models


class ConflictKind(models.TextChoices):
    OVERALLOCATION = "overallocation", "Over-allocation"
    SKILL_GAP = "skill_gap", "Skill gap"
    CHANGE_IN_FREEZE = "change_in_freeze", "Change in freeze"
    CHANGE_COLLISION = "change_collision", "Change collision"
    IMPLEMENTER_OVERBOOKED = "implementer_overbooked", "Implementer overbooked"
    GO_LIVE_IN_FREEZE = "go_live_in_freeze", "Go-live in freeze"
    HANDOVER_NOT_READY = "handover_not_ready", "Handover not ready"
    SUPPORT_OVERLOAD = "support_overload", "Support overload"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


SEVERITY_ORDER = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
