"""The readiness catalogue every handover starts from (editable afterwards in the admin/API).

Loaded by a data migration, and again after a flush (tests that truncate tables) through
post_migrate, but only into an empty table: an edited catalogue is never overwritten."""

CATALOGUE = [
    # name, mandatory, description
    ("Runbook published", True, "Operating procedures for the service, where support finds them."),
    ("Monitoring and alerting in place", True, "Health checks, alerts routed to the support team."),
    ("Support team trained", True, "The receiving team has been walked through the service."),
    ("Service levels agreed", True, "Availability, support hours and response targets signed off."),
    ("Knowledge articles published", False, "How-tos and FAQs for the service desk and support."),
    ("Backup and recovery tested", True, "A restore has been performed and timed."),
    ("Security review passed", True, "Security has reviewed the design and the deployment."),
    ("Service desk briefed", False, "The first line knows what changes and how to route."),
    ("Access handed over", True, "Admin accounts, secrets and vendor contacts moved over."),
    ("Known errors documented", False, "Open defects with workarounds, as known errors."),
]


def ensure_catalogue(criterion_model) -> None:
    if criterion_model.objects.exists():
        return
    for order, (name, mandatory, description) in enumerate(CATALOGUE, start=1):
        criterion_model.objects.create(
            name=name, mandatory=mandatory, description=description, order=order * 10
        )
