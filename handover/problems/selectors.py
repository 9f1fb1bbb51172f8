"""Reads of problem management that the pages and the API share, in a fixed number of
queries: the problem list and one problem, the known errors to suggest for a service or a
configuration item, recurring incidents, and the problems a reviewed change may resolve."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from itsm_pmo.permissions import Actor

from ..choices import ProblemState
from ..incidents.permissions import may_edit_problem
from ..models import Incident, Problem

if TYPE_CHECKING:
    from changes.models import ChangeRequest

SUGGESTIONS = 5  # known errors shown in the incident form's panel
INCIDENTS_SHOWN = 50  # linked incidents on a problem's page, newest first
RECURRING_SHOWN = 10  # recurring groups on the problem list


def problems() -> QuerySet[Problem]:
    """Every problem, unscoped and without joins: another form's choices, a lookup."""
    return Problem.objects.all()


def problem_list() -> QuerySet[Problem]:
    """Problems with their service, item and owner, and how many incidents each groups."""
    return Problem.objects.select_related("service", "configuration_item", "owner").annotate(
        incident_count=Count("incidents")
    )


def problem_api_list() -> QuerySet[Problem]:
    """Problems for the API: related rows by id, incidents' ids in one more query."""
    return Problem.objects.prefetch_related("incidents")


def problem_detail() -> QuerySet[Problem]:
    """One problem with everything its page shows but its incidents (`linked_incidents`)."""
    return Problem.objects.select_related(
        "service",
        "configuration_item",
        "owner",
        "known_error_article",
        "fix_change__review",
    )


def linked_incidents(problem: Problem) -> tuple[list[Incident], int]:
    """The newest incidents grouped under `problem` (at most INCIDENTS_SHOWN) and how many
    there are in all."""
    rows = problem.incidents.select_related("service", "configuration_item").order_by(
        "-opened_at", "-pk"
    )
    shown = list(rows[:INCIDENTS_SHOWN])
    return shown, (len(shown) if len(shown) < INCIDENTS_SHOWN else rows.count())


def transitions_of(problem: Problem) -> list[Any]:
    """The problem's moves, oldest first, with who made them."""
    return list(problem.transitions.select_related("by"))


@dataclass
class KnownErrors:
    """What the incident form suggests for a service or configuration item."""

    problems: list[Problem] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.problems or self.articles)


def known_error_problems(*, service_id: int | None, item_id: int | None) -> QuerySet[Problem]:
    """Known errors (a workaround written down, not closed) on the service or the item, those
    on the item first, then the newest."""
    if not service_id and not item_id:
        return Problem.objects.none()
    where = Q()
    if item_id:
        where |= Q(configuration_item_id=item_id)
    if service_id:
        where |= Q(service_id=service_id)
    return (
        Problem.objects.filter(where)
        .exclude(workaround="")
        .exclude(state=ProblemState.CLOSED)
        .select_related("service", "configuration_item", "known_error_article")
        .order_by("-created_at", "-pk")
    )


def known_errors_for(*, service_id: int | None, item_id: int | None, user: Actor) -> KnownErrors:
    """The known-error problems on the service or item, and the published known-error
    articles of the service that no such problem already stands for (in three queries)."""
    from knowledge.selectors import published_known_errors

    found = list(known_error_problems(service_id=service_id, item_id=item_id)[:SUGGESTIONS])
    if item_id:
        found.sort(key=lambda p: p.configuration_item_id != item_id)  # the item's own first
    articles = []
    if service_id:
        shown = [p.known_error_article_id for p in found if p.known_error_article_id]
        articles = list(published_known_errors(user, service_id=service_id, exclude=shown))[
            :SUGGESTIONS
        ]
    return KnownErrors(problems=found, articles=articles)


@dataclass(frozen=True)
class Recurrence:
    """Incidents that look like one cause: `count` on `where` within `days` days."""

    where: str
    count: int
    days: int
    incident_ids: tuple[int, ...]

    @property
    def open_problem_url(self) -> str:
        return problem_create_url(self.incident_ids[0], recurring=True)


def _window() -> tuple[int, int, Any]:
    days = settings.RECURRING_INCIDENT_DAYS
    return settings.RECURRING_INCIDENT_COUNT, days, timezone.now() - timedelta(days=days)


def recurring_incidents(incident: Incident) -> QuerySet[Incident]:
    """The incidents like `incident` within the window (the last RECURRING_INCIDENT_DAYS days):
    on its configuration item, or on its service when it names none, under no problem yet;
    itself included when it qualifies."""
    _count, _days, since = _window()
    like = (
        Q(configuration_item_id=incident.configuration_item_id)
        if incident.configuration_item_id
        else Q(service_id=incident.service_id, configuration_item__isnull=True)
    )
    return Incident.objects.filter(like, problem__isnull=True, opened_at__gte=since).order_by(
        "-opened_at", "-pk"
    )


def recurrence_of(incident: Incident) -> Recurrence | None:
    """The recurrence `incident` is part of, when at least RECURRING_INCIDENT_COUNT incidents
    make it (one query); None otherwise or once it is under a problem."""
    count, days, since = _window()
    if incident.problem_id or incident.opened_at < since:
        return None
    ids = tuple(recurring_incidents(incident).values_list("pk", flat=True)[:100])
    if len(ids) < count:
        return None
    where = incident.configuration_item if incident.configuration_item_id else incident.service
    return Recurrence(where=str(where), count=len(ids), days=days, incident_ids=ids)


def recurring_groups() -> list[Recurrence]:
    """Every recurrence now: configuration items, then services (for incidents that name no
    item), with at least RECURRING_INCIDENT_COUNT incidents under no problem in the window,
    the largest first (two queries)."""
    count, days, since = _window()
    fresh = Incident.objects.filter(problem__isnull=True, opened_at__gte=since)
    groups: list[Recurrence] = []
    for key, label, rest in (
        ("configuration_item", "configuration_item__name", {}),
        ("service", "service__name", {"configuration_item__isnull": True}),
    ):
        rows = (
            fresh.filter(**rest, **{f"{key}__isnull": False})
            .values(key, label)
            .annotate(n=Count("pk"), newest=Max("pk"))
            .filter(n__gte=count)
            .order_by("-n", label)[:RECURRING_SHOWN]
        )
        groups += [
            Recurrence(where=row[label], count=row["n"], days=days, incident_ids=(row["newest"],))
            for row in rows
        ]
    return sorted(groups, key=lambda g: -g.count)[:RECURRING_SHOWN]


def problem_create_url(incident_id: int, *, recurring: bool = False) -> str:
    """The problem form, prefilled from an incident (and its recurrence)."""
    query = {"incident": incident_id, **({"recurring": 1} if recurring else {})}
    return f"{reverse('incidents:problem_create')}?{urlencode(query)}"


def prefill_from_incident(incident: Incident, *, recurring: bool) -> dict[str, Any]:
    """The problem form's initial values from an incident: its title, service and item, and
    the incidents to group (the recurrence's, or the incident alone)."""
    recurrence = recurrence_of(incident) if recurring else None
    ids = list(recurrence.incident_ids) if recurrence else [incident.pk]
    if incident.problem_id:
        ids = []  # already grouped: the new problem takes it only when moved by hand
    title = (f"Recurring: {incident.title}" if recurrence else incident.title)[:200]
    return {
        "title": title,
        "service": incident.service_id,
        "configuration_item": incident.configuration_item_id,
        "incidents": ",".join(str(pk) for pk in ids),
    }


def prefill_change(problem: Problem) -> dict[str, Any]:
    """The change form's initial values for the change that fixes `problem`."""
    from changes.selectors import items_of_service

    items = (
        [problem.configuration_item]
        if problem.configuration_item_id
        else list(items_of_service(problem.service_id))
    )
    return {
        "title": f"Fix {problem.number}: {problem.title}"[:200],
        "description": f"Permanent fix of problem {problem.number}."
        + (f"\n\nRoot cause: {problem.root_cause}" if problem.root_cause else "")
        + (f"\n\nFix: {problem.fix}" if problem.fix else ""),
        "category": "Problem fix",
        "items": items,
    }


def to_resolve_after(change: ChangeRequest, user: Actor) -> list[Problem]:
    """The problems `change` fixes that `user` may now resolve with it: its review found it
    successful and the problem is still being analysed or fixed (the change page offers
    "Resolve PRB…")."""
    from .services import RESOLVING_OUTCOMES

    review = getattr(change, "review", None)
    if review is None or review.outcome not in RESOLVING_OUTCOMES:
        return []
    found = Problem.objects.filter(
        fix_change=change,
        state__in=(ProblemState.ROOT_CAUSE_ANALYSIS, ProblemState.FIX_IN_PROGRESS),
    )
    return [p for p in found if may_edit_problem(user, p)]


def incident_panel(incident: Incident, user: Actor) -> dict[str, Any]:
    """What an incident's page shows of problem management (problems/_incident_panel.html):
    the recurrence it is part of and the form to open a problem from it, for those who open
    problems, and the address of its known-error suggestions (loaded by htmx)."""
    from ..incidents.permissions import may_open_problem

    opens = may_open_problem(user) and not incident.problem_id
    query = {"service": incident.service_id, "incident": incident.pk}
    if incident.configuration_item_id:
        query["configuration_item"] = incident.configuration_item_id
    return {
        "recurrence": recurrence_of(incident) if opens else None,
        "open_problem_url": problem_create_url(incident.pk) if opens else "",
        "known_errors_url": f"{reverse('incidents:known_errors')}?{urlencode(query)}",
    }
