"""Every write to the portfolio, whichever door it comes from (page, API, CSV import, admin
action): each checks the predicates of `permissions.py` for the acting user, keeps the rules of
`rules.py` and the move table of `workflow.py`, and runs in one transaction, rows locked first.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone

from itsm_pmo.permissions import Actor
from itsm_pmo.versioning import check_version
from itsm_pmo.workflow import require
from resources.services import plan_mark_dirty

from .choices import CostKind, CriterionKind, Stage
from .models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    ProjectCost,
    ProjectObjective,
    ProjectTransition,
    Risk,
    Score,
    Service,
)
from .permissions import (
    may_create_project,
    may_delete_project,
    may_edit_benefits,
    may_edit_costs,
    may_edit_milestones,
    may_edit_project,
    may_edit_risks,
    may_move_project,
    may_record_realisation,
    may_reweight_criteria,
    may_score,
)
from .rules import (
    CurrentLink,
    ObjectiveLink,
    benefit_unit_problem,
    needs_baseline,
    objective_link_problems,
    objective_links_after,
    owner_problem,
    realisation_problems,
)
from .selectors import next_project_code
from .signals import project_approved
from .workflow import MOVES, facts_for

# What a project's form, serializer and import may set; the stage moves only by a transition.
PROJECT_FIELDS = (
    "code",
    "name",
    "summary",
    "sponsor",
    "owner",
    "health",
    "budget",
    "start_date",
    "end_date",
    "support_team",
    "support_effort_hours",
    "support_cover",
    "support_notes",
)
MILESTONE_FIELDS = ("name", "kind", "due_date", "completed_on")
RISK_FIELDS = (
    "title",
    "description",
    "likelihood",
    "impact",
    "threatens_operations",
    "mitigation",
    "owner",
    "status",
)
BENEFIT_FIELDS = (
    "description",
    "measure",
    "target",
    "owner",
    "review_date",
    "realised",
    "realised_on",
    "unit",
    "baseline_value",
    "target_value",
    "realised_value",
)
COST_FIELDS = ("month", "kind", "amount", "note")
CRITERION_FIELDS = ("name", "description", "weight", "higher_is_better", "kind", "order")


def _recorded(by: Actor) -> User | None:
    """Who a row records as the actor: the signed-in user (an anonymous visitor passes no
    predicate, so never gets this far)."""
    return by if isinstance(by, User) else None


# --- projects --------------------------------------------------------------------------------


def project_create(
    *,
    by: Actor,
    fields: Mapping[str, Any],
    objectives: Iterable[ObjectiveLink] | None = None,
    services: Iterable[Service] | None = None,
    note: str = "",
) -> Project:
    """Raise a proposal with the objectives and services it serves (the rules of `rules.py`);
    without a code it gets the next free PRJ-nnnn; `note` says in the project's history how
    it came (e.g. an import)."""
    require(may_create_project(by), "Only a PMO lead raises a proposal.")
    project = Project(stage=Stage.PROPOSED)
    with transaction.atomic():
        if not fields.get("code"):
            fields = {**fields, "code": next_project_code()}
        _save_project(
            project,
            by=by,
            fields=fields,
            objectives=list(objectives or ()),
            services=list(services or ()),
            current_owner_id=None,
            note=note,
        )
    return project


def project_update(
    *,
    project: Project,
    by: Actor,
    fields: Mapping[str, Any],
    objectives: Iterable[ObjectiveLink] | None = None,
    services: Iterable[Service] | None = None,
    expected_version: str | list[str] | None = None,
) -> Project:
    """Edit a project: the fields given, and its objective links and services when given
    (None leaves them as they are). With `expected_version` (the version the edit was made
    from) an edit from a version that is no longer current is refused: no lost update."""
    require(may_edit_project(by, project), "Only a PMO lead edits projects.")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        check_version(project, expected_version)
        _save_project(
            project,
            by=by,
            fields=fields,
            objectives=None if objectives is None else list(objectives),
            services=None if services is None else list(services),
            current_owner_id=project.owner_id,
        )
    return project


def project_delete(*, project: Project, by: Actor) -> None:
    """Delete a project with its scores, plan and stage log; one that other records refer
    to (changes, a handover, incidents, bookings, lessons) is refused with ProtectedError
    and deletes nothing: it is closed or rejected instead."""
    require(may_delete_project(by, project), "Only a PMO lead deletes projects.")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk).delete()


def service_delete(*, service: Service) -> None:
    """Delete a service of the catalogue that nothing refers to. Projects that serve it
    hold it as the rows whose foreign keys protect it do (ProtectedError): a link table
    would drop their links silently."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        projects = list(service.projects.all())
        if projects:
            raise ProtectedError(
                "Cannot delete some instances of model 'Service' because they are referenced "
                "through protected foreign keys: 'Project.services'.",
                set(projects),
            )
        service.delete()


def _save_project(
    project: Project,
    *,
    by: Actor,
    fields: Mapping[str, Any],
    objectives: list[ObjectiveLink] | None,
    services: list[Service] | None,
    current_owner_id: int | None,
    note: str = "",
) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(project, name, value)
    errors: dict[str, list[str]] = {}
    try:
        project.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if problem := owner_problem(project.owner, current_owner_id=current_owner_id):
        errors.setdefault("owner", []).append(problem)
    links = _current_links(project)
    if objectives is not None and (problems := objective_link_problems(objectives, links)):
        errors.setdefault("objectives", []).extend(problems)
    if errors:
        raise ValidationError(errors)

    project._history_user = by  # type: ignore[attr-defined]
    if note:
        project._change_reason = note  # type: ignore[attr-defined]
    project.save()
    if services is not None:
        project.services.set(services)
    if objectives is not None:
        _save_links(project, links, objective_links_after(objectives, links))


def _current_links(project: Project) -> dict[int, CurrentLink]:
    if project.pk is None:
        return {}
    return {
        objective_id: CurrentLink(active=active, contribution=contribution)
        for objective_id, active, contribution in project.objective_links.values_list(
            "objective_id", "objective__active", "contribution"
        )
    }


def _save_links(project: Project, before: dict[int, CurrentLink], after: dict[int, int]) -> None:
    gone = set(before) - set(after)
    if gone:
        project.objective_links.filter(objective_id__in=gone).delete()
    for objective_id, contribution in after.items():
        if objective_id in before and before[objective_id].contribution != contribution:
            project.objective_links.filter(objective_id=objective_id).update(
                contribution=contribution
            )
    ProjectObjective.objects.bulk_create(
        ProjectObjective(project=project, objective_id=objective_id, contribution=contribution)
        for objective_id, contribution in after.items()
        if objective_id not in before
    )


def project_transition(*, project: Project, to: str, by: Actor, comment: str = "") -> Project:
    """Move a project to stage `to` if the move table allows it now, recording who, when,
    from, to and why."""
    require(may_move_project(by, project), "Only a PMO lead moves projects between stages.")
    comment = (comment or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        MOVES.guard(
            current=project.stage, to=to, facts=facts_for(project), user=by, comment=comment
        )
        here, there = Stage(project.stage).label, Stage(to).label
        ProjectTransition.objects.create(
            project=project,
            from_state=project.stage,
            to_state=to,
            by=_recorded(by),
            comment=comment,
        )
        project.stage = to
        project._change_reason = f"Stage {here} → {there}"  # type: ignore[attr-defined]
        project._history_user = by  # type: ignore[attr-defined]
        project.save(update_fields=["stage", "updated_at"])
        _baseline_milestones(project)
        # Which allocations and demands count depends on the stage.
        plan_mark_dirty()
        if to == Stage.APPROVED:
            project_approved.send(sender=Project, project=project, by=by)
    return project


def _baseline_milestones(project: Project) -> None:
    """From approval on, each milestone without a baseline takes its due date as one (set
    once: a later re-plan moves the due date only). One UPDATE, no history rows: the baseline
    is not a re-plan."""
    if needs_baseline(project.stage, None):
        project.milestones.filter(baseline_date__isnull=True).update(
            baseline_date=models.F("due_date")
        )


def when_project_approved(receiver: Callable[..., None], *, dispatch_uid: str) -> None:
    """Subscribe `receiver(sender, project=, by=)` to approvals: it runs inside the transaction
    that moves a project to approved, so what it writes commits or rolls back with the move."""
    project_approved.connect(receiver, dispatch_uid=dispatch_uid)


# --- scores ----------------------------------------------------------------------------------


def score_set(
    *, project: Project, criterion: Criterion, value: int, rationale: str = "", by: Actor
) -> Score:
    """Record (or change) a project's 1–5 score on a scored criterion."""
    require(may_score(by, project), "Only a PMO lead scores projects.")
    if criterion.kind != CriterionKind.SCORED:
        raise ValidationError(
            {
                "criterion": "Strategic alignment is computed from the "
                "objectives a project serves, not scored."
            }
        )
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError({"value": "A score is a whole number from 1 to 5."})
    with transaction.atomic():
        score, _ = Score.objects.update_or_create(
            project=project,
            criterion=criterion,
            defaults={
                "value": value,
                "rationale": (rationale or "").strip(),
                "scored_by": _recorded(by),
            },
        )
    return score


def score_clear(*, project: Project, criterion: Criterion, by: Actor) -> None:
    """Remove a project's score on a criterion (it counts as missing again)."""
    require(may_score(by, project), "Only a PMO lead scores projects.")
    Score.objects.filter(project=project, criterion=criterion).delete()


def scores_record(
    *, project: Project, by: Actor, entries: Mapping[Criterion, tuple[int, str] | None]
) -> None:
    """Several scores of one project at once, all or none: a (value, rationale) sets a
    score, None clears it."""
    with transaction.atomic():
        for criterion, entry in entries.items():
            if entry is None:
                score_clear(project=project, criterion=criterion, by=by)
            else:
                score_set(
                    project=project, criterion=criterion, value=entry[0], rationale=entry[1], by=by
                )


# --- milestones and risks (the project page and the API) ------------------------------------


def milestone_create(*, project: Project, by: Actor, fields: Mapping[str, Any]) -> Milestone:
    """Add a milestone to a project's plan."""
    require(may_edit_milestones(by, project), "Only a PMO lead plans a project's milestones.")
    milestone = Milestone(project=project)
    milestone._history_user = _recorded(by)  # type: ignore[attr-defined]
    # Added to a project already approved: its first due date is its baseline.
    if needs_baseline(project.stage, None):
        milestone.baseline_date = fields.get("due_date")
    return _save_child(milestone, fields, MILESTONE_FIELDS)


def milestone_update(*, milestone: Milestone, by: Actor, fields: Mapping[str, Any]) -> Milestone:
    """Change a milestone (it stays with its project)."""
    require(
        may_edit_milestones(by, milestone.project), "Only a PMO lead plans a project's milestones."
    )
    milestone._history_user = _recorded(by)  # type: ignore[attr-defined]
    return _save_child(milestone, fields, MILESTONE_FIELDS)


def milestone_delete(*, milestone: Milestone, by: Actor) -> None:
    """Remove a milestone from a project's plan."""
    require(
        may_edit_milestones(by, milestone.project), "Only a PMO lead plans a project's milestones."
    )
    milestone.delete()


def risk_create(*, project: Project, by: Actor, fields: Mapping[str, Any]) -> Risk:
    """Record a risk of a project."""
    require(may_edit_risks(by, project), "Only a PMO lead records a project's risks.")
    return _save_child(Risk(project=project), fields, RISK_FIELDS)


def risk_update(*, risk: Risk, by: Actor, fields: Mapping[str, Any]) -> Risk:
    """Change a risk (it stays with its project)."""
    require(may_edit_risks(by, risk.project), "Only a PMO lead records a project's risks.")
    return _save_child(risk, fields, RISK_FIELDS)


def risk_delete(*, risk: Risk, by: Actor) -> None:
    """Remove a risk from a project."""
    require(may_edit_risks(by, risk.project), "Only a PMO lead records a project's risks.")
    risk.delete()


def _save_child[M: Model](obj: M, fields: Mapping[str, Any], allowed: tuple[str, ...]) -> M:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


# --- benefits (the project page and the API) ----------------------------------------------

BENEFITS_REFUSAL = "Only a PMO lead records a project's benefits."


def benefit_create(*, project: Project, by: Actor, fields: Mapping[str, Any]) -> Benefit:
    """Add a benefit the project promises (and, if already known, what it delivered)."""
    require(may_edit_benefits(by, project), BENEFITS_REFUSAL)
    with transaction.atomic():
        return _save_benefit(Benefit(project=project), fields, current_owner_id=None)


def benefit_update(*, benefit: Benefit, by: Actor, fields: Mapping[str, Any]) -> Benefit:
    """Change a benefit (it stays with its project), its realisation included."""
    require(may_edit_benefits(by, benefit.project), BENEFITS_REFUSAL)
    with transaction.atomic():
        benefit = Benefit.objects.select_for_update().select_related("project").get(pk=benefit.pk)
        return _save_benefit(benefit, fields, current_owner_id=benefit.owner_id)


def benefit_record_realisation(
    *,
    benefit: Benefit,
    by: Actor,
    realised: str,
    realised_on: date | None = None,
    realised_value: Decimal | None = None,
) -> Benefit:
    """Record what a benefit delivered, in its measure (in words, as a number in its unit, or
    both), and when it was measured (today unless said; never after today)."""
    require(may_record_realisation(by, benefit), "Only a PMO lead records what was realised.")
    if not (realised or "").strip() and realised_value is None:
        raise ValidationError({"realised": "Say what was realised, in the benefit's measure."})
    fields: dict[str, Any] = {"realised": realised, "realised_on": realised_on}
    if realised_value is not None:
        fields["realised_value"] = realised_value
    with transaction.atomic():
        benefit = Benefit.objects.select_for_update().select_related("project").get(pk=benefit.pk)
        return _save_benefit(
            benefit,
            {**fields, "realised_on": realised_on or timezone.localdate()},
            current_owner_id=benefit.owner_id,
        )


def benefit_delete(*, benefit: Benefit, by: Actor) -> None:
    """Remove a benefit from a project."""
    require(may_edit_benefits(by, benefit.project), BENEFITS_REFUSAL)
    benefit.delete()


def _save_benefit(
    benefit: Benefit, fields: Mapping[str, Any], *, current_owner_id: int | None
) -> Benefit:
    unknown = set(fields) - set(BENEFIT_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(benefit, name, value)
    benefit.realised = (benefit.realised or "").strip()
    benefit.unit = (benefit.unit or "").strip()
    if (benefit.realised or benefit.realised_value is not None) and benefit.realised_on is None:
        benefit.realised_on = timezone.localdate()  # recorded today unless said
    errors: dict[str, list[str]] = {}
    try:
        benefit.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if problem := owner_problem(benefit.owner, current_owner_id=current_owner_id):
        errors.setdefault("owner", []).append(problem)
    if problem := benefit_unit_problem(
        benefit.unit, benefit.baseline_value, benefit.target_value, benefit.realised_value
    ):
        errors.setdefault("unit", []).append(problem)
    for name, problem in realisation_problems(
        realised=benefit.realised,
        realised_on=benefit.realised_on,
        today=timezone.localdate(),
        realised_value=benefit.realised_value,
    ).items():
        errors.setdefault(name, []).append(problem)
    if errors:
        raise ValidationError(errors)
    benefit.save()
    return benefit


# --- costs (the project page and the API) ----------------------------------------------------

COSTS_REFUSAL = "Only a PMO lead records a project's costs."


def cost_create(*, project: Project, by: Actor, fields: Mapping[str, Any]) -> ProjectCost:
    """Record what a project spent in a month, of one kind (one row per month and kind)."""
    require(may_edit_costs(by, project), COSTS_REFUSAL)
    with transaction.atomic():
        return _save_cost(ProjectCost(project=project), fields)


def cost_update(*, cost: ProjectCost, by: Actor, fields: Mapping[str, Any]) -> ProjectCost:
    """Correct a month's cost (it stays with its project)."""
    require(may_edit_costs(by, cost.project), COSTS_REFUSAL)
    with transaction.atomic():
        cost = ProjectCost.objects.select_for_update().select_related("project").get(pk=cost.pk)
        return _save_cost(cost, fields)


def cost_delete(*, cost: ProjectCost, by: Actor) -> None:
    """Remove a month's cost from a project."""
    require(may_edit_costs(by, cost.project), COSTS_REFUSAL)
    cost.delete()


def _save_cost(cost: ProjectCost, fields: Mapping[str, Any]) -> ProjectCost:
    month, kind = fields.get("month", cost.month), fields.get("kind", cost.kind)
    taken = ProjectCost.objects.filter(project=cost.project, month=month, kind=kind)
    if month is not None and taken.exclude(pk=cost.pk).exists():
        # Said on the field, in words, rather than as the constraint's name above the form.
        label = CostKind(kind).label.lower() if kind in CostKind.values else kind
        raise ValidationError(
            {
                "month": f"{cost.project.code} already has a {label} cost for {month:%Y-%m}: "
                "change that one."
            }
        )
    note = (fields.get("note", cost.note) or "").strip()
    # full_clean names the field of a month that is not a 1st or a negative amount.
    return _save_child(cost, {**fields, "note": note}, COST_FIELDS)


# --- the scoring model -----------------------------------------------------------------------

NO_WEIGHT = "At least one criterion needs a weight above 0."


def criterion_create(*, by: Actor, fields: Mapping[str, Any]) -> Criterion:
    """Add a criterion to the scoring model."""
    require(may_reweight_criteria(by), "Only a PMO lead changes the scoring model.")
    with transaction.atomic():
        _lock_criteria()
        criterion = _save_criterion(Criterion(), fields)
    return criterion


def criterion_update(*, criterion: Criterion, by: Actor, fields: Mapping[str, Any]) -> Criterion:
    """Change a criterion; the weights together stay above 0."""
    require(may_reweight_criteria(by), "Only a PMO lead changes the scoring model.")
    with transaction.atomic():
        _lock_criteria()
        criterion = _save_criterion(Criterion.objects.get(pk=criterion.pk), fields)
    return criterion


def criterion_delete(*, criterion: Criterion, by: Actor) -> None:
    """Remove a criterion and its scores, unless it is the last one with any weight."""
    require(may_reweight_criteria(by), "Only a PMO lead changes the scoring model.")
    with transaction.atomic():
        _lock_criteria()
        Criterion.objects.filter(pk=criterion.pk).delete()
        _weights_stay_positive("weight")


def criteria_reweight(*, by: Actor, weights: dict[int, Decimal]) -> list[Criterion]:
    """Save new weights for criteria (the what-if made permanent), all or none."""
    require(may_reweight_criteria(by), "Only a PMO lead changes the scoring model.")
    if any(w < 0 for w in weights.values()):
        raise ValidationError({"weights": "Weights cannot be negative."})
    with transaction.atomic():
        criteria = [c for c in _lock_criteria() if c.pk in weights]
        unknown = set(weights) - {c.pk for c in criteria}
        if unknown:
            raise ValidationError({"weights": f"Unknown criteria: {sorted(unknown)}."})
        for criterion in criteria:
            criterion.weight = weights[criterion.pk]
        Criterion.objects.bulk_update(criteria, ["weight"])
        _weights_stay_positive("weights")
    return criteria


def _lock_criteria() -> list[Criterion]:
    # The weight rule spans every criterion: lock them all, in one order.
    return list(Criterion.objects.select_for_update().order_by("pk"))


def _save_criterion(criterion: Criterion, fields: Mapping[str, Any]) -> Criterion:
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    _weights_stay_positive("weight")
    return criterion


def _weights_stay_positive(field: str) -> None:
    """Inside the transaction that changed them: refuse (and so roll back) weights that no
    longer add up to anything, which would rank every project at 0."""
    if sum(Criterion.objects.values_list("weight", flat=True)) <= 0:
        raise ValidationError({field: NO_WEIGHT})
