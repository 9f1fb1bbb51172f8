"""Writes to the portfolio that carry rules: each one transaction, rows locked first."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from itsm_pmo.domain import guard_transition
from resources.planning import mark_dirty

from .choices import TRANSITIONS, CriterionKind, Stage
from .models import Criterion, Project, ProjectTransition, Score
from .signals import project_approved
from .workflow import COMMENT_REQUIRED, allowed_moves, blockers, facts_for


def project_transition(*, project: Project, to: str, by, comment: str = "") -> Project:
    """Move a project to stage `to` if the transition table and the stage's rules allow it,
    recording who, when, from, to and why."""
    comment = (comment or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        facts = facts_for(project)
        guard_transition(
            noun="project",
            states=Stage,
            table=TRANSITIONS,
            current=project.stage,
            to=to,
            blockers=blockers(facts, to) if to in Stage.values else [],
            allowed=allowed_moves(facts),
            needs_comment=to in COMMENT_REQUIRED,
            comment=comment,
        )
        here, there = Stage(project.stage).label, Stage(to).label
        ProjectTransition.objects.create(
            project=project, from_stage=project.stage, to_stage=to, by=by, comment=comment
        )
        project.stage = to
        project._change_reason = f"Stage {here} → {there}"
        project.save(update_fields=["stage", "updated_at"])
        # Which allocations and demands count depends on the stage.
        mark_dirty()
        if to == Stage.APPROVED:
            project_approved.send(sender=Project, project=project, by=by)
    return project


def score_set(*, project: Project, criterion: Criterion, value: int, rationale: str, by) -> Score:
    """Record (or change) a project's score on a scored criterion."""
    if criterion.kind != CriterionKind.SCORED:
        raise ValidationError(
            {
                "criterion": "Strategic alignment is computed from the "
                "objectives a project serves, not scored."
            }
        )
    if not 1 <= int(value) <= 5:
        raise ValidationError({"value": "A score is a whole number from 1 to 5."})
    score, _ = Score.objects.update_or_create(
        project=project,
        criterion=criterion,
        defaults={"value": value, "rationale": rationale.strip(), "scored_by": by},
    )
    return score


def score_clear(*, project: Project, criterion: Criterion) -> None:
    """Remove a project's score on a criterion (it counts as missing again)."""
    Score.objects.filter(project=project, criterion=criterion).delete()


def criteria_reweight(*, weights: dict[int, Decimal]) -> list[Criterion]:
    """Save new weights for criteria (the what-if made permanent), all or none."""
    if any(w < 0 for w in weights.values()):
        raise ValidationError({"weights": "Weights cannot be negative."})
    with transaction.atomic():
        criteria = list(Criterion.objects.select_for_update().filter(pk__in=weights))
        unknown = set(weights) - {c.pk for c in criteria}
        if unknown:
            raise ValidationError({"weights": f"Unknown criteria: {sorted(unknown)}."})
        for criterion in criteria:
            criterion.weight = weights[criterion.pk]
        Criterion.objects.bulk_update(criteria, ["weight"])
        if sum(c.weight for c in Criterion.objects.all()) <= 0:
            raise ValidationError({"weights": "At least one criterion needs a weight above 0."})
    return criteria
