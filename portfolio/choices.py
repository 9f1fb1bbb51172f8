"""Vocabulary of the portfolio and the transition table of the project workflow."""

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


# Where a project may go from each stage. The rules that also need the project's data
# (scores, owner, dates, milestones, comments) live in portfolio.workflow.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    # A proposal may be approved straight away when it is fully scored (fast track).
    Stage.PROPOSED: (Stage.ASSESSED, Stage.APPROVED, Stage.ON_HOLD, Stage.REJECTED),
    Stage.ASSESSED: (Stage.APPROVED, Stage.PROPOSED, Stage.ON_HOLD, Stage.REJECTED),
    Stage.APPROVED: (Stage.IN_FLIGHT, Stage.ASSESSED, Stage.ON_HOLD, Stage.REJECTED),
    Stage.IN_FLIGHT: (Stage.HANDOVER, Stage.ON_HOLD),
    Stage.HANDOVER: (Stage.CLOSED, Stage.IN_FLIGHT),
    Stage.ON_HOLD: (
        Stage.PROPOSED,
        Stage.ASSESSED,
        Stage.APPROVED,
        Stage.IN_FLIGHT,
        Stage.REJECTED,
    ),
    Stage.REJECTED: (Stage.PROPOSED,),
    Stage.CLOSED: (),
}

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
