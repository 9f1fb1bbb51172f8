"""Demo major incidents (called from handover/demo.py, after its incidents).

Two stories. The card payments P1 nine days ago (the v4.2 release's) was run as a major
incident and is closed: its timeline, the people who worked it, a complete post-incident
review with three actions (the HSM latency alarm done, two still open) and the lessons the
knowledge demo writes from it. Today, staff and customer sign-in fails because the identity
provider's signing certificate expired: an active major incident with its timeline, its
communications and four people engaged for the last five hours, whose hours show in this week's
capacity heatmap. Deterministic (times are relative to now) and idempotent (the handover demo
recreates the card incident; the sign-in incident is deleted and made again here)."""

from datetime import timedelta

from django.utils import timezone

from changes.selectors import configuration_items
from portfolio.selectors import service_catalogue
from resources.selectors import people, person_for_user

from ...models import Incident
from .. import services as incident_services
from . import services
from .choices import MajorIncidentState
from .models import (
    Engagement,
    MajorIncident,
    MajorIncidentTransition,
    MajorIncidentUpdate,
    PostIncidentReview,
    ReviewAction,
)

CARD_P1 = "Card payments declined after the v4.2 release"
SIGN_IN = "Staff and customer sign-in failing (SSO signing certificate expired)"
IDP = "Identity provider (Keycloak)"


def seed(ctx) -> None:
    manager, engineer = ctx.users["itsm_manager"], ctx.users["engineer"]
    marcus, elena = person_for_user(manager), person_for_user(engineer)
    made = 0
    card = Incident.objects.filter(title=CARD_P1).order_by("-pk").first()
    if card is not None and card.resolved_at and marcus and elena:
        _closed(card, manager, marcus, elena)
        made += 1
    Incident.objects.filter(title=SIGN_IN).delete()
    if marcus and elena:
        made += _active(manager, engineer, marcus, elena)
    ctx.counts.update(major_incidents=made)


def _team_member(service, *, besides) -> object | None:
    team = service.support_group_id or service.owning_team_id
    return (
        people()
        .filter(team_id=team, active=True)
        .exclude(pk__in=[p.pk for p in besides if p])
        .order_by("pk")
        .first()
    )


def _post(major, author, at, text, audience="") -> None:
    MajorIncidentUpdate.objects.create(
        major_incident=major,
        author=author,
        at=at,
        text=text,
        kind="communication" if audience else "update",
        audience=audience,
    )


def _closed(card: Incident, manager, marcus, elena) -> None:
    """The card payments P1, declared 15 minutes in, reviewed and closed two days after."""
    start = card.opened_at
    resolved = card.resolved_at
    card.major = True
    card.save(update_fields=["major"])
    major = MajorIncident.objects.create(
        incident=card,
        state=MajorIncidentState.CLOSED,
        summary="Card authorisations time out at the HSM since the v4.2 release.",
        declared_by=manager,
        declared_at=start + timedelta(minutes=15),
        review_started_at=resolved + timedelta(days=1),
        closed_at=resolved + timedelta(days=2),
    )
    rosa = card.assignee or _team_member(card.service, besides=[marcus, elena])
    crew = [
        (marcus, "incident_manager", 15),
        (rosa, "technical_lead", 20),
        (elena, "resolver", 30),
    ]
    for person, role, minutes in crew:
        if person is not None:
            Engagement.objects.create(
                major_incident=major,
                person=person,
                role=role,
                engaged_from=start + timedelta(minutes=minutes),
                released_at=resolved,
            )
    for minutes, text, audience in (
        (
            15,
            "Declared a major incident (P1). Card authorisations failing at the evening peak.",
            "",
        ),
        (25, "Card payments are failing for some customers; we are on it.", "users"),
        (40, "HSM calls time out under the evening peak; connection pool at its limit.", ""),
        (55, "Decision: roll the payments API back to v4.1.", ""),
    ):
        _post(major, manager, start + timedelta(minutes=minutes), text, audience)
    _post(
        major, manager, resolved, "Card payments restored; the cause is under review.", "executives"
    )
    MajorIncidentTransition.objects.create(
        major_incident=major,
        from_state=MajorIncidentState.ACTIVE,
        to_state=MajorIncidentState.REVIEW,
        by=manager,
        at=major.review_started_at,
    )
    MajorIncidentTransition.objects.create(
        major_incident=major,
        from_state=MajorIncidentState.REVIEW,
        to_state=MajorIncidentState.CLOSED,
        by=manager,
        at=major.closed_at,
    )
    review = PostIncidentReview.objects.create(
        major_incident=major,
        what_happened=(
            "Twenty-five minutes into the evening peak after the v4.2 release, card "
            "authorisations started timing out at the HSM. The first alert came from a "
            "merchant calling the service desk; the bridge rolled the API back to v4.1 at 20:10."
        ),
        impact=(
            "About 40 % of card payments declined during the evening peak; 2,300 customers "
            "affected, two merchants escalated."
        ),
        root_cause=(
            "v4.2 opened 20 connections per pod and the autoscaler went to 24 pods: more "
            "connections than the database allows. The release was load-tested at average "
            "traffic only, and no alarm watched HSM latency."
        ),
        completed_at=major.closed_at,
        completed_by=manager,
    )
    owners = [rosa or elena, elena, marcus]
    today = timezone.localdate()
    for (description, due, done), owner in zip(
        (
            ("Alarm on HSM p95 latency over 300 ms for five minutes", -2, True),
            ("Load-test every payments API release at twice the peak", 14, False),
            ("Name an incident communicator on the bridge at minute one", 7, False),
        ),
        owners,
        strict=True,
    ):
        action = ReviewAction.objects.create(
            review=review, description=description, owner=owner, due_on=today + timedelta(due)
        )
        if done:
            action.done_at = resolved + timedelta(days=4)
            action.save(update_fields=["done_at"])


def _active(manager, engineer, marcus, elena) -> int:
    """Sign-in down for five hours: declared, four people engaged, customers told."""
    service = service_catalogue().filter(name="Identity & SSO").first()
    if service is None:
        return 0
    now = timezone.now()
    opened = now - timedelta(hours=5)
    incident = incident_services.incident_log(
        reporter=engineer,
        title=SIGN_IN,
        description=(
            "Every login through the identity provider answers 'invalid token signature': the "
            "realm's signing certificate had expired."
        ),
        service=service,
        configuration_item=configuration_items().filter(name=IDP).first(),
        impact=1,
        urgency=1,
        assignee=elena,
        opened_at=opened,
    )
    incident_services.incident_transition(incident=incident, to="in_progress", by=engineer)
    major = services.major_declare(
        incident=incident,
        by=manager,
        summary="Nobody can sign in to staff or customer applications.",
        incident_manager=marcus,
        at=opened + timedelta(minutes=10),
    )
    security = _team_member(service, besides=[marcus, elena])
    # The desk's communicator is someone not engaged already (the service's support group
    # may be the desk itself).
    busy = [p.pk for p in (marcus, elena, security) if p is not None]
    desk = people().filter(team=marcus.team, active=True).exclude(pk__in=busy).order_by("pk")
    for person, role, minutes in (
        (elena, "technical_lead", 15),
        (security, "subject_expert", 30),
        (desk.first(), "communications", 20),
    ):
        if person is not None:
            services.engagement_add(
                major=major,
                by=manager,
                person=person,
                role=role,
                engaged_from=opened + timedelta(minutes=minutes),
            )
    for minutes, text, audience in (
        (20, "Sign-in is failing for staff and customers. Next update in 30 minutes.", "staff"),
        (25, "Our website login is unavailable; card payments are not affected.", "customers"),
        (45, "Cause found: the realm's signing certificate had expired.", ""),
        (90, "New certificate issued; rolling it to the three Keycloak nodes.", ""),
        (120, "Two of three nodes accept logins again; customers partly restored.", "users"),
    ):
        _post(major, manager, opened + timedelta(minutes=minutes), text, audience)
    return 1
