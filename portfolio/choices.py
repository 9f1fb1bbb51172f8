"""Vocabulary of the portfolio (the project workflow's moves are in workflow.py)."""

from django.db import models


class Stage(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ASSESSED = "assessed", "Assessed"
    APPROVED = "approved", "Approved"
    IN_FLIGHT = "in_flight", "In flight"
    HANDOVER = "handover", "Handover"
    CLOSED = "closed", "Closed"
    ON_HOLD = "on_hold", "On hold"
    REJECTED = "rejected", "Rejected"


# The board's columns, in order; closed and rejected projects are counted, not carded.
BOARD_STAGES = (
    Stage.PROPOSED,
    Stage.ASSESSED,
    Stage.APPROVED,
    Stage.IN_FLIGHT,
    Stage.HANDOVER,
    Stage.ON_HOLD,
)
# Stages that take part in the ranking (the live portfolio).
RANKED_STAGES = (
    Stage.PROPOSED,
    Stage.ASSESSED,
    Stage.APPROVED,
    Stage.IN_FLIGHT,
    Stage.HANDOVER,
    Stage.ON_HOLD,
)
# Stages past approval: a milestone of a project in one of them has a baseline date.
BASELINED_STAGES = (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.CLOSED)


class Health(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Tier(models.IntegerChoices):
    MISSION_CRITICAL = 1, "Tier 1 – mission critical"
    BUSINESS_CRITICAL = 2, "Tier 2 – business critical"
    BUSINESS_OPERATIONAL = 3, "Tier 3 – business operational"
    ADMINISTRATIVE = 4, "Tier 4 – administrative"


class Cover(models.TextChoices):
    BUSINESS_HOURS = "business_hours", "Business hours (Mon–Fri 8–18)"
    EXTENDED = "extended", "Extended (7–22, 7 days)"
    ALWAYS = "24x7", "24×7"


class CriterionKind(models.TextChoices):
    SCORED = "scored", "Scored per project"
    ALIGNMENT = "alignment", "Strategic alignment (from objectives)"


class MilestoneKind(models.TextChoices):
    START = "start", "Start"
    DESIGN = "design", "Design complete"
    BUILD = "build", "Build complete"
    TEST = "test", "Testing complete"
    GO_LIVE = "go_live", "Go-live"
    CLOSE = "close", "Close"
    OTHER = "other", "Other"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CostKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    OPERATING = "operating", "Operating"
