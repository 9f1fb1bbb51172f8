"""Demo queues (issue 17): the Service Desk is the first line of the services people call
about (sign-in, e-mail, the intranet, the HR system and its own tool), so their incidents land
in its queue; the rest land with the team that runs the service.

The story on the demo incidents: each has a category; a P2 on the service-desk tool waits
unassigned in the Service Desk queue; the e-mail delay was triaged by the desk and passed to
Platform with a reason; the standby backup failure moved from one DBA to another (on leave);
the payments dashboard waits for its vendor (handover/demo.py puts it on hold).

`support_groups` runs before the demo incidents are logged (so they land in the right queue
on every run); `tell` after. Deterministic and idempotent: the incidents are rebuilt on each
run, the catalogue and the services' groups are set, not added."""

from portfolio import selectors as portfolio_selectors
from resources import selectors as resources_selectors

from ..models import Incident, IncidentCategory
from . import services

SERVICE_DESK = "Service Desk"
# The services whose first line is the Service Desk (their owning team stays the second line).
DESK_SERVICES = [
    "Identity & SSO",
    "Email & Collaboration",
    "Service Desk Tooling",
    "HR System",
    "Intranet",
]

# The demo incidents' classification: title prefix -> (category, subcategory).
CLASSIFIED = {
    "Card payments declined": ("Software", "Application error"),
    "Refund API timing out": ("Software", "Performance"),
    "Settlement file late": ("Software", "Application error"),
    "Payments dashboard shows stale": ("Software", "Application error"),
    "Intermittent 502s": ("Network", "Connectivity"),
    "Password reset emails": ("Access", "Password reset"),
    "VPN drops": ("Network", "VPN"),
    "HR system slow": ("Software", "Performance"),
    "Backup job failed": ("Database", "Backup and restore"),
    "Service desk tool search": ("Software", "Application error"),
    "Kubernetes node pool": ("Hardware", "Server"),
    "Email delays": ("Network", "DNS"),
    "Service desk tool: ticket attachments": ("Software", "Application error"),
}


def support_groups(ctx) -> None:
    """The Service Desk as the support group of the services it answers for."""
    desk = resources_selectors.teams().filter(name=SERVICE_DESK).first()
    if desk is None:
        return
    portfolio_selectors.service_catalogue().filter(name__in=DESK_SERVICES).update(
        support_group=desk
    )


def _category(name: str, parent: IncidentCategory | None = None) -> IncidentCategory:
    found = IncidentCategory.objects.filter(name__iexact=name, parent=parent).first()
    return found or IncidentCategory.objects.create(name=name, parent=parent)


def _classify(incidents: list[Incident]) -> None:
    for incident in incidents:
        for prefix, (name, sub) in CLASSIFIED.items():
            if incident.title.startswith(prefix):
                category = _category(name)
                Incident.objects.filter(pk=incident.pk).update(
                    category=category, subcategory=_category(sub, category)
                )


def tell(ctx, incidents: list[Incident]) -> None:
    """Categories on the demo incidents, and the queue's story: a triage to another group
    and a handover between two DBAs, each with its reason."""
    _classify(incidents)
    manager = ctx.users["itsm_manager"]
    by_title = {i.title.split(" (")[0]: i for i in incidents}
    teams = {
        t.name: t for t in resources_selectors.teams().filter(name__in=["Platform", "Database"])
    }
    email = next((i for t, i in by_title.items() if t.startswith("Email delays")), None)
    if email is not None and "Platform" in teams:
        services.assign(
            incident=email,
            group=teams["Platform"],
            reason="Triaged: the outbound mail relay queues messages; it is Platform's, not a "
            "client problem.",
            by=manager,
        )
    backup = next((i for t, i in by_title.items() if t.startswith("Backup job failed")), None)
    if backup is not None and "Database" in teams:
        dbas = list(
            resources_selectors.people()
            .filter(team=teams["Database"], active=True)
            .order_by("pk")[:2]
        )
        if len(dbas) == 2:
            services.assign(incident=backup, group=teams["Database"], person=dbas[0], by=manager)
            services.assign(
                incident=backup,
                group=teams["Database"],
                person=dbas[1],
                reason=f"{dbas[0].name} is on leave from tomorrow; {dbas[1].name} set up the "
                "standby.",
                by=manager,
            )
