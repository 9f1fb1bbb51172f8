"""Demo service levels: every incident's timers rebuilt from its (back-dated) history, and a
morning on the service desk with live clocks (seed_demo runs this last, after the incidents,
their history and the public holidays are in place).

On round-the-clock services, so the story holds whatever the day or hour of the seed:

- a P1 on the Customer Portal, in progress, at 83 % of its four hours: warned, and listed
  under "Breaching in the next hour";
- a P2 on Core Banking, in progress, an hour past its eight: beat escalates it to the
  Database team's manager within a minute;
- a P2 on Identity & SSO waiting for the identity vendor: its clock paused after two hours;
- a P3 on the Corporate Network just logged: nobody has answered it yet.

Deterministic and idempotent: the demo's own incidents are rebuilt on each run."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from portfolio import selectors as portfolio_selectors
from resources import selectors as resources_selectors

from ...models import Incident, IncidentTransition
from .. import services as incident_services
from .services import sla_rebuild, sla_refresh_incidents

# title, service, impact, urgency, opened (minutes ago), moves [(state, minutes after
# opening, hold reason)]
LIVE = [
    (
        "Customer Portal checkout fails for some card types",
        "Customer Portal",
        1,
        1,
        200,
        [("in_progress", 8, "")],
    ),
    (
        "Core banking overnight batch overran into opening hours",
        "Core Banking Database",
        1,
        2,
        540,
        [("in_progress", 20, "")],
    ),
    (
        "Partner portal single sign-on rejects valid users",
        "Identity & SSO",
        2,
        1,
        300,
        [("in_progress", 15, ""), ("on_hold", 120, "awaiting_vendor")],
    ),
    ("Branch Wi-Fi drops at the Leeds office", "Corporate Network", 2, 2, 20, []),
]


def seed(ctx) -> None:
    manager, engineer = ctx.users["itsm_manager"], ctx.users["engineer"]
    services = {s.name: s for s in portfolio_selectors.service_catalogue()}
    Incident.objects.filter(title__in=[row[0] for row in LIVE]).delete()
    now = timezone.now()
    made = []
    for title, service_name, impact, urgency, minutes_ago, moves in LIVE:
        service = services.get(service_name)
        if service is None:
            continue
        assignee = (
            resources_selectors.people()
            .filter(team=service.owning_team, active=True)
            .order_by("pk")
            .first()
        )
        opened = now - timedelta(minutes=minutes_ago)
        incident = incident_services.incident_log(
            reporter=engineer,
            title=title,
            service=service,
            impact=impact,
            urgency=urgency,
            assignee=assignee,
            opened_at=opened,
        )
        for state, _, reason in moves:
            incident = incident_services.incident_transition(
                incident=incident, to=state, by=manager, hold_reason=reason
            )
        _backdate(incident, opened, moves)
        made.append(incident.pk)
    # Every incident's clocks from its history as it now reads: the handover demo's and the
    # history's trails were back-dated after their writes, and the holidays came later.
    sla_rebuild(now=now)
    sla_refresh_incidents(ids=made, now=now)
    ctx.counts.update(live_sla_incidents=len(made))


def _backdate(incident: Incident, opened, moves) -> None:
    """The moves at their story's moments: the trail is the demo's own to rewrite (IncidentTransition.objects refuses, as in handover/demo_history.py)."""
    trail = models.QuerySet(model=IncidentTransition)
    rows = list(trail.filter(incident=incident).order_by("at", "pk"))
    stamps = {}
    for row, (state, minutes, _reason) in zip(rows, moves, strict=True):
        row.at = opened + timedelta(minutes=minutes)
        stamps[f"{state}_at"] = row.at
    trail.bulk_update(rows, ["at"])
    Incident.objects.filter(pk=incident.pk).update(**stamps)
