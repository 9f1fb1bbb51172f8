"""Writes of major-incident management: declare, post to the timeline, engage and release
people, write the post-incident review and its actions, tick actions done, and move the major
incident (active → review → closed).

Each write is one transaction and asks the predicates of permissions.py (403) and, for a move,
the move table of workflow.py (409) before it writes. Declaring tells the ITSM managers and
the people engaged (Event.MAJOR_INCIDENT, after commit); engaging someone later tells them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from itsm_pmo.notifications import Event, notify
from itsm_pmo.permissions import Actor
from itsm_pmo.roles import Role
from itsm_pmo.workflow import TransitionRefused, require
from resources.services import plan_mark_dirty

from ...choices import IncidentState
from ...models import Incident
from ...permissions import signed_in
from .choices import Audience, EngagementRole, MajorIncidentState, UpdateKind
from .models import (
    Engagement,
    MajorIncident,
    MajorIncidentTransition,
    MajorIncidentUpdate,
    PostIncidentReview,
    ReviewAction,
)
from .permissions import may_complete_action, may_declare_major, may_post_update, may_run_major
from .selectors import facts_for
from .workflow import MOVES, STAMPS

if TYPE_CHECKING:
    from resources.models import Person

RUN_REFUSED = "Only ITSM managers run a major incident."
REVIEW_FIELDS = ("what_happened", "impact", "root_cause")


def _itsm_managers() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.ITSM_MANAGER, is_active=True)
        .values_list("pk", flat=True)
    )


def _tell(major: MajorIncident, user_ids: list[int], by: Actor) -> None:
    incident = major.incident
    notify(
        Event.MAJOR_INCIDENT,
        user_ids,
        title=f"Major incident: {incident.number} {incident.title}",
        url=major.get_absolute_url(),
        body=major.summary,
        exclude=by,
    )


def _not_closed(major: MajorIncident, what: str) -> None:
    if major.state == MajorIncidentState.CLOSED:
        raise TransitionRefused(
            f"The major incident is closed: {what} no longer.",
            allowed=[],
            current=major.state,
        )


@transaction.atomic
def major_declare(
    *,
    incident: Incident,
    by: Actor,
    summary: str = "",
    incident_manager: Person | None = None,
    at: datetime | None = None,
) -> MajorIncident:
    """Declare an incident major (ITSM managers): it gets its major-incident record, the
    incident's `major` flag, a first timeline entry and its incident manager engaged (the
    declarer's own person record by default). ITSM managers and the engaged are told."""
    require(may_declare_major(by, incident), "Only ITSM managers declare a major incident.")
    user = signed_in(by)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if MajorIncident.objects.filter(incident=incident).exists():
        raise ValidationError({"incident": f"{incident.number} is already a major incident."})
    if incident.state == IncidentState.CLOSED:
        raise ValidationError({"incident": "A closed incident cannot be declared major."})
    now = at or timezone.now()
    major = MajorIncident.objects.create(
        incident=incident, declared_by=user, declared_at=now, summary=(summary or "").strip()
    )
    incident.major = True
    incident.save(update_fields=["major"])
    MajorIncidentUpdate.objects.create(
        major_incident=major,
        at=now,
        author=user,
        text=f"Declared a major incident ({incident.priority_label})."
        + (f" {major.summary}" if major.summary else ""),
    )
    manager = incident_manager or getattr(user, "person", None)
    engaged_users = []
    if manager is not None:
        Engagement.objects.create(
            major_incident=major,
            person=manager,
            role=EngagementRole.INCIDENT_MANAGER,
            engaged_from=now,
        )
        if manager.user_id:
            engaged_users.append(manager.user_id)
    _tell(major, _itsm_managers() + engaged_users, by)
    return major


@transaction.atomic
def major_post(
    *, major: MajorIncident, by: Actor, text: str, kind: str = UpdateKind.UPDATE, audience: str = ""
) -> MajorIncidentUpdate:
    """Add an update, or a communication sent to an audience, to the timeline (ITSM managers
    and the people engaged now); a closed major incident's timeline is final."""
    require(
        may_post_update(by, major),
        "Only ITSM managers and the people engaged on it post to a major incident.",
    )
    _not_closed(major, "its timeline is final")
    if kind not in UpdateKind.values:
        raise ValidationError({"kind": "Choose an update or a communication."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write what changed, or what was said."})
    audience = (audience or "").strip()
    if kind == UpdateKind.COMMUNICATION:
        if audience not in Audience.values:
            raise ValidationError({"audience": "Say who the communication went to."})
    elif audience:
        raise ValidationError({"audience": "Only a communication has an audience."})
    update = MajorIncidentUpdate(
        major_incident=major, author=signed_in(by), text=text, kind=kind, audience=audience
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def engagement_add(
    *,
    major: MajorIncident,
    by: Actor,
    person: Person,
    role: str,
    engaged_from: datetime | None = None,
) -> Engagement:
    """Engage a person in a role (ITSM managers); they are told. Someone already engaged is
    refused until released."""
    require(may_run_major(by, major), RUN_REFUSED)
    _not_closed(major, "nobody is engaged on it")
    if role not in EngagementRole.values:
        raise ValidationError({"role": "Choose the role they take."})
    if person is None:
        raise ValidationError({"person": "Say who is engaged."})
    if major.engagements.filter(person=person, released_at__isnull=True).exists():
        raise ValidationError({"person": f"{person} is already engaged on it."})
    start = engaged_from or timezone.now()
    if start > timezone.now():
        raise ValidationError({"engaged_from": "People are engaged from now or earlier."})
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                major_incident=major, person=person, role=role, engaged_from=start
            )
    except IntegrityError as exc:
        raise ValidationError({"person": f"{person} is already engaged on it."}) from exc
    if person.user_id:
        _tell(major, [person.user_id], by)
    return engagement


@transaction.atomic
def engagement_release(
    *, engagement: Engagement, by: Actor, released_at: datetime | None = None
) -> Engagement:
    """Release an engaged person (ITSM managers): their hours on it stop counting."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    require(may_run_major(by, engagement.major_incident), RUN_REFUSED)
    if engagement.released_at is not None:
        raise ValidationError({"released_at": f"{engagement.person} was already released."})
    end = released_at or timezone.now()
    if end < engagement.engaged_from:
        raise ValidationError({"released_at": "A release comes after the engagement began."})
    engagement.released_at = end
    engagement.save(update_fields=["released_at"])
    return engagement


@transaction.atomic
def review_write(*, major: MajorIncident, by: Actor, **fields: Any) -> PostIncidentReview:
    """Write (or rewrite) the post-incident review's what happened, impact and root cause
    (ITSM managers) until the major incident closes."""
    require(may_run_major(by, major), RUN_REFUSED)
    _not_closed(major, "its review is final")
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a part of the review." for name in sorted(unknown)})
    review, _ = PostIncidentReview.objects.get_or_create(major_incident=major)
    for name, value in fields.items():
        setattr(review, name, (value or "").strip())
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def action_add(
    *, major: MajorIncident, by: Actor, description: str, owner: Person | None, due_on: date | None
) -> ReviewAction:
    """Agree an action of the review, with an owner and a due date (ITSM managers)."""
    require(may_run_major(by, major), RUN_REFUSED)
    _not_closed(major, "its actions are agreed")
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Say what is to be done."
    if owner is None:
        errors["owner"] = "Name who owns the action."
    if due_on is None:
        errors["due_on"] = "Give the date it is due."
    if errors or owner is None or due_on is None:
        raise ValidationError(errors)
    review, _ = PostIncidentReview.objects.get_or_create(major_incident=major)
    action = ReviewAction(
        review=review, description=description.strip(), owner=owner, due_on=due_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_complete(*, action: ReviewAction, by: Actor, done: bool = True) -> ReviewAction:
    """Tick an action done, or not done again (ITSM managers and the action's owner); actions
    stay tracked after the major incident closes."""
    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    require(
        may_complete_action(by, action),
        "Only ITSM managers and the action's owner tick it done.",
    )
    action.done_at = (action.done_at or timezone.now()) if done else None
    action.save(update_fields=["done_at"])
    return action


def major_transition(
    *, major: MajorIncident, to: str, by: Actor, comment: str = "", at: datetime | None = None
) -> MajorIncident:
    """Move a major incident as the move table allows (409 with the allowed moves when it
    does not): review once the incident is resolved, closed once the review is complete.
    Closing completes the review (by the closer) and releases everyone still engaged."""
    require(may_run_major(by, major), RUN_REFUSED)
    with transaction.atomic():
        major = (
            MajorIncident.objects.select_for_update().select_related("incident").get(pk=major.pk)
        )
        MOVES.guard(current=major.state, to=to, facts=facts_for(major), user=by, comment=comment)
        now = at or timezone.now()
        user = signed_in(by)
        if to == MajorIncidentState.CLOSED:
            # The gate passed, so the review exists (read by facts_for above).
            review = major.review
            review.completed_at, review.completed_by = now, user
            review.save(update_fields=["completed_at", "completed_by"])
            major.engagements.filter(released_at__isnull=True).update(released_at=now)
            # A queryset update sends no save signal: the capacity picture is told here.
            plan_mark_dirty()
        if to == MajorIncidentState.ACTIVE:
            major.review_started_at = None
        if to in STAMPS:
            setattr(major, STAMPS[to], now)
        MajorIncidentTransition.objects.create(
            major_incident=major,
            from_state=major.state,
            to_state=to,
            by=user,
            at=now,
            comment=(comment or "").strip(),
        )
        major.state = to
        major.save()
    return major
