"""Reads of major incidents, shared by the pages and the API: the list (active first), one
major incident with its timeline, people, review and actions, what it affects, the facts its
move table reads, and what a lesson written from it starts with. Every read is bounded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from changes.selectors import items_depending_on
from portfolio.choices import Stage
from portfolio.selectors import projects, service_catalogue

from ...choices import IncidentState
from .choices import MajorIncidentState
from .hours import engagement_hours
from .models import Engagement, MajorIncident, MajorIncidentUpdate, PostIncidentReview
from .workflow import MajorFacts

if TYPE_CHECKING:
    from ...models import Incident

# How far the view follows the CMDB and how much it lists: a major incident on a core item
# can reach hundreds of items, and the page names the first of them.
DEPENDENCY_DEPTH = 3
AFFECTED_LIMIT = 50
PROJECTS_LIMIT = 20
TIMELINE_LIMIT = 200
# Projects of an affected service that are still to be told: not closed or rejected.
LIVE_STAGES = (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.ASSESSED, Stage.PROPOSED)
REVIEW_PARTS = (
    ("what_happened", "what happened"),
    ("impact", "impact"),
    ("root_cause", "root cause"),
)
RESOLVED = (IncidentState.RESOLVED, IncidentState.CLOSED)


def major_incidents() -> QuerySet[MajorIncident]:
    """Every major incident, unscoped (every role reads them)."""
    return MajorIncident.objects.all()


def major_list() -> QuerySet[MajorIncident]:
    """Major incidents for a list: active first, then in review, then closed, newest first
    within each, with their incident and service and the people engaged now (one query)."""
    return (
        MajorIncident.objects.select_related("incident", "incident__service", "declared_by")
        .annotate(
            state_order=Case(
                When(state=MajorIncidentState.ACTIVE, then=Value(0)),
                When(state=MajorIncidentState.REVIEW, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            engaged_now=Count("engagements", filter=Q(engagements__released_at__isnull=True)),
        )
        .order_by("state_order", "-declared_at", "-pk")
    )


def major_detail() -> QuerySet[MajorIncident]:
    """One major incident with what its page shows in the same query."""
    return MajorIncident.objects.select_related(
        "incident",
        "incident__service",
        "incident__project",
        "incident__configuration_item",
        "incident__configuration_item__service",
        "declared_by",
        "review",
        "review__completed_by",
    )


def major_of_incident(incident: Incident) -> MajorIncident | None:
    """The major incident an incident was declared as, if it was."""
    return MajorIncident.objects.filter(incident=incident).first()


def review_of(major: MajorIncident) -> PostIncidentReview | None:
    try:
        return major.review
    except PostIncidentReview.DoesNotExist:
        return None


def timeline(major: MajorIncident) -> list[MajorIncidentUpdate]:
    """Updates and communications, newest first (the latest TIMELINE_LIMIT)."""
    return list(major.updates.select_related("author")[:TIMELINE_LIMIT])


def engagements(major: MajorIncident) -> list[Engagement]:
    """Who was engaged, in the order they joined, with their team; each with `hours`, what
    the engagement counts as their operational load (hours.py; before what they logged)."""
    now = timezone.now()
    rows = list(major.engagements.select_related("person", "person__team"))
    for row in rows:
        days = engagement_hours(
            timezone.localtime(row.engaged_from),
            timezone.localtime(min(row.released_at or now, now)),
            float(row.person.contracted_hours or 0),
        )
        row.hours = round(sum(days.values()), 1)  # type: ignore[attr-defined]
    return rows


def actions(major: MajorIncident) -> list[Any]:
    """The review's actions, by due date, with their owner."""
    review = review_of(major)
    if review is None:
        return []
    return list(review.actions.select_related("owner"))


def facts_for(major: MajorIncident) -> MajorFacts:
    """What the move table's checks read (two queries at most)."""
    review = review_of(major)
    missing = tuple(
        label
        for name, label in REVIEW_PARTS
        if review is None or not (getattr(review, name) or "").strip()
    )
    return MajorFacts(
        state=major.state,
        incident_resolved=major.incident.state in RESOLVED,
        review_missing=missing,
        actions=review.actions.count() if review is not None else 0,
    )


@dataclass(frozen=True)
class Affected:
    """What a major incident touches: services (the incident's own first) and the live
    projects linked to them or to the incident; `more` says the CMDB walk was cut short."""

    services: list[Any]
    items: list[Any]
    projects: list[Any]
    more: bool


def affected(major: MajorIncident) -> Affected:
    """The incident's service, the services of the configuration items that depend on its
    item (up to DEPENDENCY_DEPTH levels), and the live projects linked to those services or to
    the incident: five queries whatever the CMDB's size."""
    incident = major.incident
    service_ids: list[int] = [incident.service_id]
    items: list[Any] = []
    ci = incident.configuration_item
    if ci is not None:
        if ci.service_id and ci.service_id not in service_ids:
            service_ids.append(ci.service_id)
        items = items_depending_on(ci.pk, depth=DEPENDENCY_DEPTH, limit=AFFECTED_LIMIT)
        for item in sorted(items, key=lambda i: i.name):
            if item.service_id and item.service_id not in service_ids:
                service_ids.append(item.service_id)
    by_id = {s.pk: s for s in service_catalogue().filter(pk__in=service_ids)}
    services = [by_id[pk] for pk in service_ids if pk in by_id]
    linked = (
        projects()
        .filter(Q(services__in=service_ids) | Q(pk=incident.project_id or 0))
        .filter(stage__in=LIVE_STAGES)
        .distinct()
        .order_by("code")
    )
    found = list(linked[: PROJECTS_LIMIT + 1])
    return Affected(
        services=services,
        items=sorted(items, key=lambda i: i.name),
        projects=found[:PROJECTS_LIMIT],
        more=len(items) >= AFFECTED_LIMIT or len(found) > PROJECTS_LIMIT,
    )


def lesson_text(incident: Any) -> dict[str, Any]:
    """What a lesson written from a major incident's incident starts with: the review's text
    (what happened, impact, root cause) and its actions as the recommendation; empty when the
    incident was not a major one or has no review yet."""
    major = major_of_incident(incident)
    review = review_of(major) if major is not None else None
    if review is None:
        return {}
    parts = [
        f"{label.capitalize()}: {text}"
        for name, label in REVIEW_PARTS
        if (text := (getattr(review, name) or "").strip())
    ]
    steps = [
        f"- {a.description} ({a.owner}, due {a.due_on:%d %b %Y})"
        for a in review.actions.select_related("owner")
    ]
    initial: dict[str, Any] = {}
    if parts:
        initial["what_happened"] = "\n\n".join(parts)
    if steps:
        initial["recommendation"] = "Actions agreed in the post-incident review:\n" + "\n".join(
            steps
        )
    return initial
