"""The rules of the project workflow beyond the transition table: what a move needs."""

from dataclasses import dataclass

from .choices import TRANSITIONS, CriterionKind, MilestoneKind, Stage

COMMENT_REQUIRED = {Stage.REJECTED, Stage.ON_HOLD}


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules need to know about a project, read in one place."""

    stage: str
    unscored_criteria: tuple[str, ...]
    has_owner: bool
    has_sponsor: bool
    has_start_date: bool
    has_go_live: bool
    held_from: str | None = None  # the stage an on-hold project left


def facts_from(
    project, *, unscored: tuple[str, ...], has_go_live: bool, held_from: str | None = None
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


def held_from_subquery():
    """The stage a project left when it was last put on hold (for annotating many)."""
    from django.db.models import OuterRef, Subquery

    from .models import ProjectTransition

    return Subquery(
        ProjectTransition.objects.filter(project=OuterRef("pk"), to_stage=Stage.ON_HOLD)
        .order_by("-at", "-pk")
        .values("from_stage")[:1]
    )


def facts_for(project) -> ProjectFacts:
    """Facts of one project, read from the database (four small queries)."""
    from .models import Criterion

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
        project.transitions.filter(to_stage=Stage.ON_HOLD)
        .order_by("-at", "-pk")
        .values_list("from_stage", flat=True)
        .first()
    )
    return facts_from(project, unscored=unscored, has_go_live=has_go_live, held_from=held_from)


def blockers(facts: ProjectFacts, to: str) -> list[str]:
    """Why the project cannot enter `to` now; empty when it can (comments aside)."""
    reasons = []
    # Resuming must not skip the gates: a project on hold goes back where it stopped.
    if facts.stage == Stage.ON_HOLD and to != Stage.REJECTED and to != facts.held_from:
        where = Stage(facts.held_from).label if facts.held_from else "its earlier stage"
        reasons.append(f"A project on hold resumes where it stopped: {where}.")
    if to in (Stage.ASSESSED, Stage.APPROVED) and facts.unscored_criteria:
        verb = "assessing" if to == Stage.ASSESSED else "approving"
        reasons.append(
            f"Score every criterion before {verb}; missing: "
            + ", ".join(facts.unscored_criteria)
            + "."
        )
    if to == Stage.APPROVED:
        if not facts.has_owner:
            reasons.append("Approval needs an owner (the project manager).")
        if not facts.has_sponsor:
            reasons.append("Approval needs a sponsor.")
    if to == Stage.IN_FLIGHT and not facts.has_start_date:
        reasons.append("A project in flight needs a start date.")
    if to == Stage.HANDOVER and not facts.has_go_live:
        reasons.append("Handover needs a go-live milestone.")
    return reasons


def allowed_moves(facts: ProjectFacts) -> list[str]:
    """The stages the project can enter now (a comment may still be required)."""
    return [to for to in TRANSITIONS[facts.stage] if not blockers(facts, to)]
