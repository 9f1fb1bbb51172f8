"""Writes of problem management: open, edit, move and delete problem records, group incidents
under them, publish a known error, and record the change that fixes one.

Each write is one transaction and asks the predicates of incidents/permissions.py (403) and,
for a move, the problem move table of incidents/workflow.py (409) before it writes; a move
locks its row first and is recorded in ProblemTransition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import require

from ..choices import ProblemState
from ..incidents.permissions import (
    may_delete_problem,
    may_edit_incident,
    may_edit_problem,
    may_open_problem,
)
from ..incidents.workflow import PROBLEM_MOVES, PROBLEM_STAMPS, ProblemFacts
from ..models import Incident, Problem, ProblemTransition
from ..permissions import signed_in

if TYPE_CHECKING:
    from changes.models import ChangeRequest

# What an edit may change; the number, the state and its times follow from the moves, the
# known-error article from the workaround.
PROBLEM_FIELDS = (
    "title",
    "service",
    "configuration_item",
    "owner",
    "root_cause",
    "workaround",
    "fix",
    "fix_change",
)
RESOLVE_NEEDS = "Say how it was fixed: write the fix, or a comment on the move."


def problem_number(pk: int) -> str:
    return f"PRB{pk:07d}"


def _problem_fields(fields: dict[str, Any], problem: Problem | None = None) -> dict[str, Any]:
    unknown = set(fields) - set(PROBLEM_FIELDS)
    if "state" in unknown:
        raise ValidationError({"state": "A problem's state moves with its transition."})
    if unknown:
        raise ValidationError({name: "Not a field of a problem." for name in sorted(unknown)})
    fields = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }
    title = fields.get("title", problem.title if problem else "")
    if not title:
        raise ValidationError({"title": "Give the problem a short title."})
    service = fields.get("service", problem.service if problem else None)
    item = fields.get("configuration_item", problem.configuration_item if problem else None)
    if item is not None and item.service_id is not None:
        if service is None:
            fields["service"] = item.service  # the item says which service it serves
        elif item.service_id != service.pk:
            raise ValidationError(
                {"configuration_item": f"{item} serves another service than {service}."}
            )
    if problem and problem.known_error and "workaround" in fields and not fields["workaround"]:
        raise ValidationError(
            {"workaround": "A known error keeps its workaround: correct it, do not remove it."}
        )
    return fields


def _publish_known_error(problem: Problem, by: Actor) -> bool:
    """Write the problem's workaround into its known-error article (created the first time),
    and publish it when `by` publishes articles; otherwise it waits as a draft for a publisher.
    Returns whether the article is published."""
    from knowledge.choices import ArticleKind, KnowledgeState
    from knowledge.permissions import may_publish_articles
    from knowledge.services import article_create, article_transition, article_update

    text = {
        # The title names the symptom, as the service desk searches for it; the number is in
        # the body (a record opened again gets another number, its article the same title).
        "title": f"Known error: {problem.title}"[:200],
        "body": known_error_body(problem),
        "service": problem.service,
    }
    article = problem.known_error_article
    if article is None:
        article = article_create(
            owner=signed_in(by), kind=ArticleKind.KNOWN_ERROR, incident=None, **text
        )
        problem.known_error_article = article
        problem.save(update_fields=["known_error_article"])
    else:
        article = article_update(article=article, by=by, **text)
    if article.state != KnowledgeState.PUBLISHED and may_publish_articles(by):
        article = article_transition(
            article=article,
            to=KnowledgeState.PUBLISHED,
            by=by,
            comment=f"Known error of {problem.number}.",
        )
        problem.known_error_article = article
    return article.state == KnowledgeState.PUBLISHED


def known_error_body(problem: Problem) -> str:
    """The article's Markdown: symptoms (the problem), root cause, workaround and fix."""
    parts = [f"Problem record **{problem.number}**: {problem.title}."]
    if problem.configuration_item_id:
        parts.append(f"Configuration item: {problem.configuration_item}.")
    parts.append(f"## Workaround\n\n{problem.workaround}")
    if problem.root_cause:
        parts.append(f"## Root cause\n\n{problem.root_cause}")
    if problem.fix:
        parts.append(f"## Permanent fix\n\n{problem.fix}")
    return "\n\n".join(parts)


def _after_edit(problem: Problem, by: Actor, *, workaround_changed: bool) -> Problem:
    if problem.known_error and (workaround_changed or problem.known_error_article_id is None):
        _publish_known_error(problem, by)
    return problem


@transaction.atomic
def problem_create(*, by: Actor, incidents: Iterable[Incident] = (), **fields: Any) -> Problem:
    """Open a problem record as new (PRB number from its id), optionally grouping incidents;
    with a workaround it is a known error at once, and its article is written."""
    require(may_open_problem(by), "Only ITSM managers open problem records.")
    problem = Problem.objects.create(**_problem_fields(fields))
    problem.number = problem_number(problem.pk)
    problem.save(update_fields=["number"])
    for incident in incidents:
        _link(incident, problem)
    return _after_edit(problem, by, workaround_changed=True)


@transaction.atomic
def problem_update(*, problem: Problem, by: Actor, fields: dict[str, Any]) -> Problem:
    """Edit a problem; writing or changing its workaround (re)publishes its known error."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    require(may_edit_problem(by, problem), "Only ITSM managers edit problem records.")
    before = problem.workaround
    for name, value in _problem_fields(fields, problem).items():
        setattr(problem, name, value)
    problem.save()
    return _after_edit(problem, by, workaround_changed=problem.workaround != before)


@transaction.atomic
def problem_transition(
    *, problem: Problem, to: str, by: Actor, comment: str = "", fix: str = ""
) -> Problem:
    """Move a problem as its move table allows (409 with the allowed moves when it does not);
    resolving needs the fix written (here or before) or a comment. Every move is recorded and
    entering resolved or closed stamps its time; reopening clears them."""
    require(may_edit_problem(by, problem), "Only ITSM managers move problem records.")
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    facts = ProblemFacts(state=problem.state, has_root_cause=bool(problem.root_cause.strip()))
    PROBLEM_MOVES.guard(current=problem.state, to=to, facts=facts, user=by, comment=comment)
    fix, comment = (fix or "").strip(), (comment or "").strip()
    if fix:
        problem.fix = fix
    if to == ProblemState.RESOLVED and not (problem.fix.strip() or comment):
        raise ValidationError({"fix": RESOLVE_NEEDS})
    ProblemTransition.objects.create(
        problem=problem, from_state=problem.state, to_state=to, by=signed_in(by), comment=comment
    )
    problem.state = to
    now = timezone.now()
    if to in PROBLEM_STAMPS:
        setattr(problem, PROBLEM_STAMPS[to], now)
    if to not in (ProblemState.RESOLVED, ProblemState.CLOSED):
        problem.resolved_at = problem.closed_at = None
    problem.save(update_fields=["state", "fix", "resolved_at", "closed_at"])
    if fix and problem.known_error:
        _publish_known_error(problem, by)  # the article tells the permanent fix too
    return problem


@transaction.atomic
def problem_delete(*, problem: Problem, by: Actor) -> None:
    """Delete a problem record; its incidents stay, no longer grouped."""
    require(may_delete_problem(by, problem), "Only ITSM managers delete problem records.")
    problem.delete()


def _link(incident: Incident, problem: Problem | None) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.problem = problem
    incident.save(update_fields=["problem"])
    return incident


@transaction.atomic
def problem_link_incident(*, problem: Problem, incident: Incident, by: Actor) -> Incident:
    """Group an incident under this problem from the problem's page: for those who edit the
    problem and the incident."""
    require(may_edit_problem(by, problem), "Only ITSM managers edit problem records.")
    require(may_edit_incident(by, incident), "Only engineers and ITSM managers edit incidents.")
    return _link(incident, problem)


@transaction.atomic
def problem_unlink_incident(*, problem: Problem, incident: Incident, by: Actor) -> Incident:
    """Take an incident out of this problem (it stays, no longer grouped)."""
    require(may_edit_problem(by, problem), "Only ITSM managers edit problem records.")
    require(may_edit_incident(by, incident), "Only engineers and ITSM managers edit incidents.")
    if incident.problem_id != problem.pk:
        raise ValidationError({"incident": f"{incident.number} is not grouped under this one."})
    return _link(incident, None)


@transaction.atomic
def problem_fixed_by(*, problem: Problem, change: ChangeRequest, by: Actor) -> Problem:
    """Record `change` as the change that fixes the problem (a change raised from its page)."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    require(may_edit_problem(by, problem), "Only ITSM managers edit problem records.")
    if problem.state in (ProblemState.RESOLVED, ProblemState.CLOSED):
        raise ValidationError({"problem": f"{problem.number} is already {problem.state}."})
    problem.fix_change = change
    problem.save(update_fields=["fix_change"])
    return problem


@transaction.atomic
def problem_resolve_by_change(*, problem: Problem, by: Actor) -> Problem:
    """Resolve the problem with its fixing change, once that change's review found it went
    well: the move's comment names the change and its outcome (the table still decides)."""
    from changes.choices import Outcome

    require(may_edit_problem(by, problem), "Only ITSM managers move problem records.")
    change = problem.fix_change
    review = getattr(change, "review", None) if change is not None else None
    if change is None or review is None or review.outcome not in RESOLVING_OUTCOMES:
        raise ValidationError(
            {"fix_change": "Only a fixing change reviewed as successful resolves the problem."}
        )
    fix = problem.fix or f"Fixed by {change.number} {change.title}."
    return problem_transition(
        problem=problem,
        to=ProblemState.RESOLVED,
        by=by,
        fix=fix,
        comment=f"Fixed by {change.number}: {Outcome(review.outcome).label.lower()}.",
    )


# The review outcomes that say the fix is in (with issues: in, with lessons).
RESOLVING_OUTCOMES = ("successful", "successful_with_issues")
