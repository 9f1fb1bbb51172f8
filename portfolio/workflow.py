"""The project workflow: one move table, read by the service, the board, the project page,
the API (`allowed` in a 409) and the docs.

A move may need the project's data (its facts, read once): every scored criterion scored
before assessing or approving, an owner and a sponsor for approval, a start date to be in
flight, a go-live milestone for handover; a project on hold resumes where it stopped. Putting
a project on hold and rejecting it need a comment. Only holders of `transition_project`
(PMO leads) move projects.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from itsm_pmo.workflow import Check, Move, MoveTable

from .choices import CriterionKind, MilestoneKind, Stage
from .models import Criterion, Project, ProjectTransition

MOVE = "portfolio.transition_project"


@dataclass(frozen=True)
class ProjectFacts:
    """What the moves need to know about a project, read in one place."""

    stage: str
    unscored_criteria: tuple[str, ...]
    has_owner: bool
    has_sponsor: bool
    has_start_date: bool
    has_go_live: bool
    held_from: str | None = None  # the stage an on-hold project left


# --- checks: facts -> why the move is blocked, or None --------------------------------------


def scored_before_assessing(facts: ProjectFacts) -> str | None:
    return _unscored("assessing", facts)


def scored_before_approving(facts: ProjectFacts) -> str | None:
    return _unscored("approving", facts)


def _unscored(verb: str, facts: ProjectFacts) -> str | None:
    if not facts.unscored_criteria:
        return None
    missing = ", ".join(facts.unscored_criteria)
    return f"Score every criterion before {verb}; missing: {missing}."


def has_owner(facts: ProjectFacts) -> str | None:
    return None if facts.has_owner else "Approval needs an owner (the project manager)."


def has_sponsor(facts: ProjectFacts) -> str | None:
    return None if facts.has_sponsor else "Approval needs a sponsor."


def has_start_date(facts: ProjectFacts) -> str | None:
    return None if facts.has_start_date else "A project in flight needs a start date."


def has_go_live(facts: ProjectFacts) -> str | None:
    return None if facts.has_go_live else "Handover needs a go-live milestone."


def resumes_where_it_stopped(stage: str) -> Check:
    """The check of a move out of on hold into `stage`: only where the project stopped."""

    def resumes_where_it_stopped(facts: ProjectFacts) -> str | None:
        if facts.held_from == stage:
            return None
        where = Stage(facts.held_from).label if facts.held_from else "its earlier stage"
        return f"A project on hold resumes where it stopped: {where}."

    return resumes_where_it_stopped


APPROVAL = (scored_before_approving, has_owner, has_sponsor)

# A proposal may be approved straight away when it is fully scored (fast track).
MOVES = MoveTable(
    noun="project",
    states=Stage,
    moves=[
        Move(Stage.PROPOSED, Stage.ASSESSED, "Assess", MOVE, checks=(scored_before_assessing,)),
        Move(Stage.PROPOSED, Stage.APPROVED, "Approve", MOVE, checks=APPROVAL),
        Move(Stage.PROPOSED, Stage.ON_HOLD, "Put on hold", MOVE, comment=True),
        Move(Stage.PROPOSED, Stage.REJECTED, "Reject", MOVE, comment=True),
        Move(Stage.ASSESSED, Stage.APPROVED, "Approve", MOVE, checks=APPROVAL),
        Move(Stage.ASSESSED, Stage.PROPOSED, "Back to proposed", MOVE),
        Move(Stage.ASSESSED, Stage.ON_HOLD, "Put on hold", MOVE, comment=True),
        Move(Stage.ASSESSED, Stage.REJECTED, "Reject", MOVE, comment=True),
        Move(Stage.APPROVED, Stage.IN_FLIGHT, "Start", MOVE, checks=(has_start_date,)),
        Move(Stage.APPROVED, Stage.ASSESSED, "Back to assessed", MOVE),
        Move(Stage.APPROVED, Stage.ON_HOLD, "Put on hold", MOVE, comment=True),
        Move(Stage.APPROVED, Stage.REJECTED, "Reject", MOVE, comment=True),
        Move(Stage.IN_FLIGHT, Stage.HANDOVER, "Hand over", MOVE, checks=(has_go_live,)),
        Move(Stage.IN_FLIGHT, Stage.ON_HOLD, "Put on hold", MOVE, comment=True),
        Move(Stage.HANDOVER, Stage.CLOSED, "Close", MOVE),
        Move(Stage.HANDOVER, Stage.IN_FLIGHT, "Back to in flight", MOVE),
        # Resuming must not skip the gates: a project on hold goes back where it stopped.
        Move(
            Stage.ON_HOLD,
            Stage.PROPOSED,
            "Resume as proposed",
            MOVE,
            checks=(resumes_where_it_stopped(Stage.PROPOSED),),
        ),
        Move(
            Stage.ON_HOLD,
            Stage.ASSESSED,
            "Resume as assessed",
            MOVE,
            checks=(resumes_where_it_stopped(Stage.ASSESSED), scored_before_assessing),
        ),
        Move(
            Stage.ON_HOLD,
            Stage.APPROVED,
            "Resume as approved",
            MOVE,
            checks=(resumes_where_it_stopped(Stage.APPROVED), *APPROVAL),
        ),
        Move(
            Stage.ON_HOLD,
            Stage.IN_FLIGHT,
            "Resume in flight",
            MOVE,
            checks=(resumes_where_it_stopped(Stage.IN_FLIGHT), has_start_date),
        ),
        Move(Stage.ON_HOLD, Stage.REJECTED, "Reject", MOVE, comment=True),
        Move(Stage.REJECTED, Stage.PROPOSED, "Reopen as a proposal", MOVE),
    ],
)


# --- reading the facts ----------------------------------------------------------------------


def facts_from(
    project: Project, *, unscored: tuple[str, ...], has_go_live: bool, held_from: str | None = None
) -> ProjectFacts:
    """Facts from a project row plus what was read in bulk (the board reads it for many)."""
    return ProjectFacts(
        stage=project.stage,
        unscored_criteria=unscored,
        has_owner=project.owner_id is not None,
        has_sponsor=bool(project.sponsor.strip()),
        has_start_date=project.start_date is not None,
        has_go_live=has_go_live,
        held_from=held_from,
    )


def held_from_subquery() -> Subquery:
    """The stage a project left when it was last put on hold (for annotating many)."""
    return Subquery(
        ProjectTransition.objects.filter(project=OuterRef("pk"), to_state=Stage.ON_HOLD)
        .order_by("-at", "-pk")
        .values("from_state")[:1]
    )


def facts_for(project: Project) -> ProjectFacts:
    """Facts of one project, read from the database (four small queries)."""
    scored = set(project.scores.values_list("criterion_id", flat=True))
    unscored = tuple(
        name
        for pk, name in Criterion.objects.filter(kind=CriterionKind.SCORED).values_list(
            "pk", "name"
        )
        if pk not in scored
    )
    has_go_live = project.milestones.filter(kind=MilestoneKind.GO_LIVE).exists()
    held_from = (
        project.transitions.filter(to_state=Stage.ON_HOLD)
        .order_by("-at", "-pk")
        .values_list("from_state", flat=True)
        .first()
    )
    return facts_from(project, unscored=unscored, has_go_live=has_go_live, held_from=held_from)
