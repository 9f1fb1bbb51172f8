"""A fixed corpus of lessons learned and the queries people type to find them.

Each query has one right answer: the lesson a person typing it wants. Some queries need
stemming ("certificates expired", "data migrations", "overbooking implementers"), some match the
recommendation rather than the title ("rehearse rollback", "restore test"), and most have
distractor lessons that share a word with them. The corpus is plain data, so it can be read,
extended, and loaded into any test database with `load_corpus`.
"""

from django.utils import timezone

from knowledge.choices import KnowledgeState
from knowledge.models import Lesson
from knowledge.services import lesson_create
from portfolio.models import Service
from tests.factories import ServiceFactory


def _lesson(title, category, service, tags, what_happened, recommendation):
    return {
        "title": title,
        "category": category,
        "service": service,
        "tags": tags,
        "what_happened": what_happened,
        "recommendation": recommendation,
    }


LESSONS = [
    # --- Payments
    _lesson(
        "Expired certificate stopped card payments",
        "technical",
        "Payments",
        ["certificate", "hsm"],
        "The HSM's TLS certificate expired on a Sunday night; card authorisations failed "
        "for 50 minutes until the on-call engineer found the cause.",
        "Record every certificate's expiry date on its configuration item and alert 60 "
        "days ahead; renew before any change freeze that covers the date.",
    ),
    _lesson(
        "Connection pool exhausted after the API release",
        "technical",
        "Payments",
        ["database", "connection-pool"],
        "The new release opened 20 database connections per pod; at peak the autoscaler "
        "ran 24 pods and the database refused new sessions.",
        "Compute pods times pool size times maximum replicas before each release and keep "
        "it under 80 % of the database limit; put pgbouncer in front.",
    ),
    _lesson(
        "Egress allow-list missed when payments moved to the new cluster",
        "technical",
        "Payments",
        ["kubernetes", "network-policy"],
        "After the payments gateway cut-over two merchants saw timeouts: the new "
        "cluster's egress allow-list lacked the card scheme endpoints, DNS names with a "
        "short TTL whose addresses had changed.",
        "List every outbound destination from the old servers' firewall logs and test "
        "each one from the new platform during the rehearsal.",
    ),
    _lesson(
        "HSM latency went unnoticed until merchants called",
        "technical",
        "Payments",
        ["monitoring", "alerting"],
        "Authorisations slowed at the HSM for twenty minutes before the error-rate alarm "
        "fired; the first signal was a merchant calling the service desk.",
        "Alarm on HSM response time (p95 over 300 ms for five minutes) and page the "
        "payments on-call.",
    ),
    _lesson(
        "Month-end close blocked the payments release",
        "scheduling",
        "Payments",
        ["month-end", "calendar"],
        "The release was planned for the last business day of the month, inside the "
        "finance close, and had to move a week.",
        "Check the month-end freeze of finance services in the change calendar before "
        "proposing a release date.",
    ),
    # --- Core banking and data
    _lesson(
        "Data migration overran the cut-over window",
        "scheduling",
        "Core Banking",
        ["migration", "cutover"],
        "Moving ten years of account history took nine hours against a six-hour window; "
        "the rehearsal had used a 10 % sample of the data.",
        "Rehearse the migration twice with production volumes and keep the measured time "
        "under 75 % of the window.",
    ),
    _lesson(
        "Single engineer knew the upgrade scripts",
        "resourcing",
        "Core Banking",
        ["key-person", "on-call"],
        "One DBA wrote and ran every upgrade script, was the implementer of every change "
        "and was also on call for the whole Oracle estate: overbooked in the go-live "
        "week.",
        "Name a second engineer who rehearses with the first and can run the runbook "
        "alone; take both off the on-call rota that week.",
    ),
    _lesson(
        "Restore from the standby took six hours",
        "technical",
        "Core Banking",
        ["standby", "dataguard"],
        "Rebuilding the primary from the standby took six hours; it had only been tested "
        "with a small database.",
        "Time the rebuild with production size and write the time into the recovery "
        "plan the business signs.",
    ),
    _lesson(
        "Backups nobody had ever restored",
        "technical",
        "Backup",
        ["backup", "dr"],
        "When the HR database had to be recovered, the newest usable backup was eleven "
        "days old: the nightly job had written empty files since a path change.",
        "Test a full restore of each critical database every quarter, time it and check "
        "the data; a backup that was never restored does not count.",
    ),
    _lesson(
        "Log disk filled on the payments database",
        "technical",
        "Payments",
        ["disk", "postgresql"],
        "Archived WAL files filled the log volume overnight after the archive target "
        "became unreachable.",
        "Alert on archive failures and on volume growth, not only on the volume being full.",
    ),
    _lesson(
        "Show the age of the data on every dashboard",
        "technical",
        "Data Warehouse",
        ["dashboards", "reporting"],
        "The executive dashboard showed yesterday's figures as today's after the nightly "
        "load failed; two board reports used them.",
        "Show when each dashboard's data was last loaded and turn it amber when the load is late.",
    ),
    _lesson(
        "Time zone of scheduled jobs changed after the platform move",
        "technical",
        "Data Warehouse",
        ["scheduler", "timezone"],
        "After the move to the container platform every nightly job ran an hour early: "
        "the new scheduler used UTC.",
        "Check the time zone of every scheduled job in the cut-over test plan.",
    ),
    # --- Network and identity
    _lesson(
        "Lower the DNS TTL days before a cut-over",
        "change",
        "Network",
        ["dns", "cutover"],
        "The record was switched with a 24-hour TTL still cached by resolvers; half the "
        "branches reached the old servers until the next day.",
        "Drop the TTL to five minutes a week before any cut-over that changes an address, "
        "and raise it again after the change is closed.",
    ),
    _lesson(
        "VPN connection drops every 30 minutes",
        "technical",
        "Network",
        ["vpn", "firewall"],
        "Branch staff lost the VPN every 30 minutes after a firewall profile change, and "
        "at nine each morning the VPN address pool ran out.",
        "Keep the client keep-alive shorter than the firewall idle timeout and test both "
        "after any profile change.",
    ),
    _lesson(
        "Vendor delivery delayed the branch refresh",
        "vendor",
        "Network",
        ["procurement", "lead-time"],
        "The switches for the first wave arrived eleven weeks late; installation teams "
        "stood idle and the plan slipped a quarter.",
        "Order hardware with long lead times as soon as the model is chosen and track the "
        "delivery date as a milestone with the supplier.",
    ),
    _lesson(
        "Certificate renewal clashed with a firmware upgrade",
        "change",
        "Network",
        ["certificate", "collision"],
        "The www certificate (it had not expired yet) was renewed on the same Saturday "
        "morning as the load balancer's firmware upgrade; a failure would have had two "
        "possible causes.",
        "Treat work on one device as one window: renew first, upgrade the week after.",
    ),
    _lesson(
        "Track certificate expiry in the CMDB",
        "technical",
        "Network",
        ["certificate", "cmdb"],
        "Certificate dates lived in one engineer's calendar; when he left, two internal "
        "certificates lapsed.",
        "Keep expiry dates on the configuration items and report the next 90 days weekly.",
    ),
    _lesson(
        "Keycloak upgrade broke the HR sign-in",
        "technical",
        "Identity",
        ["sso", "test-plan"],
        "The test plan of the identity provider upgrade checked only the customer portal; "
        "the HR system's SAML sign-in failed the next morning.",
        "List every relying party in the test plan and sign in to each after the upgrade.",
    ),
    _lesson(
        "Password reset emails blocked by the relay",
        "technical",
        "Email",
        ["smtp", "identity"],
        "The new reset service sent mail from an address the SMTP relay did not allow; "
        "the mails were dropped without a bounce.",
        "Add a new application's sender to the relay policy and SPF in the build and test "
        "delivery to an external mailbox.",
    ),
    # --- Kubernetes platform
    _lesson(
        "Kubernetes upgrade skipped a minor version",
        "technical",
        "Kubernetes",
        ["kubernetes", "upgrade"],
        "Jumping two minor versions on the test cluster left deprecated APIs in two Helm "
        "charts that failed only at deploy time.",
        "Upgrade one minor version at a time and scan charts for deprecated APIs first.",
    ),
    _lesson(
        "Node pool full because of memory requests",
        "technical",
        "Kubernetes",
        ["capacity", "autoscaling"],
        "The pool was at 95 % of requested memory while real usage was 60 %.",
        "Review requests against usage monthly and add nodes before 85 %.",
    ),
    # --- Change management
    _lesson(
        "Implementer overbooked in the week of the change",
        "resourcing",
        "Kubernetes",
        ["overbooked", "cab"],
        "The platform engineer named on four changes was also allocated full time to a "
        "project that week; two changes ran late into the night.",
        "Before approving, the CAB checks the implementer's load in the change's week and "
        "asks for a second implementer above 100 %.",
    ),
    _lesson(
        "Implementation of the new CAB process slipped",
        "scheduling",
        "Service Desk",
        ["cab", "process"],
        "The new change process went live two months late because the approval policies "
        "were still being argued over.",
        "Agree the approval policies with the CAB members before building the workflow.",
    ),
    _lesson(
        "Backout plan existed only on paper",
        "change",
        "Payments",
        ["backout", "cab"],
        "The release's back-out plan was never tried; when it was needed, the blue/green "
        "switch took 40 minutes instead of three.",
        "Rehearse the rollback in the staging environment before the CAB date and write "
        "the measured time into the change.",
    ),
    _lesson(
        "Rollback of the HR release took four hours",
        "change",
        "HR",
        ["release"],
        "The database schema change could not be undone and the rollback meant a "
        "restore of the whole HR database; the rehearsal had skipped the schema step.",
        "Make schema changes backwards compatible so the application can roll back "
        "without touching the data.",
    ),
    _lesson(
        "Emergency change closed without a review",
        "change",
        "Network",
        ["emergency", "pir"],
        "The firewall hotfix was applied as an emergency change and closed the same "
        "night; nobody checked whether the threat signatures were updated.",
        "Every emergency change gets a post-implementation review within five working days.",
    ),
    _lesson(
        "Standard change template used for a non-standard rule",
        "change",
        "Network",
        ["standard-change", "firewall"],
        "A firewall rule to a new partner was raised as a standard change although the "
        "destination was not on the approved list.",
        "The template checks the destination against the approved list; anything else "
        "is a normal change.",
    ),
    _lesson(
        "Two changes on the same service in one evening",
        "change",
        "Payments",
        ["collision"],
        "A release and a database patch on the payments service were planned for the same "
        "evening; when errors rose nobody could tell which caused them.",
        "One change per service per window; the CAB moves the second one.",
    ),
    _lesson(
        "Freeze exception asked without a business reason",
        "change",
        "Service Desk",
        ["freeze", "exception"],
        'An intranet move came to the CAB inside the year-end period with "it is small" '
        "as the only reason.",
        "Ask for an exception only when waiting costs the business more than the risk, "
        "and say why in one sentence.",
    ),
    _lesson(
        "Go-live planned inside the year-end freeze",
        "scheduling",
        "Customer Portal",
        ["freeze", "go-live"],
        "The portal go-live was set for the week before Christmas and had to move to "
        "January when the change was raised.",
        "Look at the year-end freeze when the go-live milestone is set, not when the "
        "change is raised.",
    ),
    _lesson(
        "Approval delays pushed the release into the freeze",
        "scheduling",
        "HR",
        ["approval", "calendar"],
        "The change waited three weeks for a missing approver and then fell into the "
        "year-end freeze.",
        "Raise go-live changes six weeks ahead and chase approvals at every weekly CAB.",
    ),
    # --- Handover to operations
    _lesson(
        "Support team overloaded during hypercare",
        "handover",
        "Core Banking",
        ["hypercare", "capacity"],
        "The Database team took a week of early-life support on top of a load already "
        "at 85 %; two incidents waited a day for a DBA.",
        "Check the receiving team's load for the hypercare weeks before fixing the "
        "go-live and borrow help or stagger go-lives.",
    ),
    _lesson(
        "Early-life support budget used up in the first week",
        "handover",
        "Payments",
        ["early-life-support"],
        "Forty hours a week of hypercare were planned; five incidents in the first week "
        "used them by Wednesday and the support team ran on overtime.",
        "Size early-life support from the incident rate of the last comparable go-live.",
    ),
    _lesson(
        "On-call rota not agreed before go-live",
        "handover",
        "Customer Portal",
        ["on-call", "readiness"],
        "The first night's alert went to a developer on holiday; nobody else knew the new service.",
        "Make the on-call rota a mandatory readiness check signed by the support team lead.",
    ),
    _lesson(
        "Service desk not trained before launch",
        "handover",
        "Service Desk",
        ["training", "readiness"],
        "Desk analysts learned the new ticketing tool from the incidents of its first week.",
        "Book training three weeks before go-live with the real screens.",
    ),
    _lesson(
        "Runbook never reviewed by operations",
        "handover",
        "Service Desk",
        ["runbook"],
        "The project's runbook described the test environment; operations opened it for "
        "the first time during an incident.",
        "The receiving team reviews the runbook at readiness review and owns it from acceptance.",
    ),
    # --- Vendors
    _lesson(
        "Vendor support contract lapsed before go-live",
        "vendor",
        "HR",
        ["contract", "support"],
        "The renewal of the HR vendor's support contract was delayed in procurement and "
        "lapsed a week before go-live.",
        "Track support contract end dates on the service and renew three months ahead.",
    ),
    _lesson(
        "SaaS vendor changed its API without notice",
        "vendor",
        "Service Desk",
        ["saas", "api"],
        "The ticketing vendor renamed two API fields in a monthly update; the monitoring "
        "integration stopped creating incidents.",
        "Subscribe to the vendor's change notices and run integration tests against the "
        "vendor's preview environment every month.",
    ),
    _lesson(
        "Mailbox migration paused for licence talks",
        "vendor",
        "Email",
        ["licensing"],
        "Half the mailboxes were moved when the licence count was disputed; the data of "
        "two systems had to be kept in step for months.",
        "Fix the licence count and price for the whole migration before the first wave.",
    ),
    # --- Communication and PMO
    _lesson(
        "Business not told about the maintenance window",
        "communication",
        "HR",
        ["maintenance", "stakeholders"],
        "Payroll staff lost an afternoon's work when the HR system was taken down for "
        "planned maintenance nobody had announced.",
        "Announce maintenance windows five working days ahead to the service's users.",
    ),
    _lesson(
        "Status page not updated during the outage",
        "communication",
        "Customer Portal",
        ["status-page", "major-incident"],
        "Customers saw a green status page for the first hour of a portal outage.",
        "The incident manager updates the status page within 15 minutes of a P1.",
    ),
    _lesson(
        "Benefits never baselined",
        "communication",
        "Service Desk",
        ["benefits"],
        "The self-service project promised fewer desk calls, but nobody had counted the "
        "calls before go-live.",
        "Baseline each benefit's measure before the project starts.",
    ),
    _lesson(
        "Scope creep added three months to the portal redesign",
        "scheduling",
        "Customer Portal",
        ["scope"],
        "Features requested in sprint reviews were accepted without a change request; "
        "the go-live moved three times.",
        "Route every new feature through the project's change control with its cost in weeks.",
    ),
    _lesson(
        "Go-live on a Friday left a weekend without developers",
        "scheduling",
        "Customer Portal",
        ["go-live", "on-call"],
        "The release went live on Friday evening and the defects found on Saturday waited "
        "until Monday.",
        "Go live Tuesday to Thursday, with the developers on call for the first 48 hours.",
    ),
]

# (query, the title of its right answer)
QUERIES = [
    ("certificates expired", "Expired certificate stopped card payments"),
    ("data migrations", "Data migration overran the cut-over window"),
    ("dns ttl", "Lower the DNS TTL days before a cut-over"),
    ("year-end freeze", "Go-live planned inside the year-end freeze"),
    ("rehearse rollback", "Backout plan existed only on paper"),
    ("overbooking implementers", "Implementer overbooked in the week of the change"),
    ("vendor delay", "Vendor delivery delayed the branch refresh"),
    ("connection pool", "Connection pool exhausted after the API release"),
    ("restore test", "Backups nobody had ever restored"),
    ("hypercare support team", "Support team overloaded during hypercare"),
]


def service_named(name: str) -> Service:
    return Service.objects.filter(name=name).first() or ServiceFactory(name=name)


def load_corpus(author) -> dict[str, Lesson]:
    """Every corpus lesson, written by `author` through lesson_create and published."""
    made = {}
    for row in LESSONS:
        fields = {k: v for k, v in row.items() if k != "service"}
        made[row["title"]] = lesson_create(
            author=author, service=service_named(row["service"]), **fields
        )
    Lesson.objects.filter(pk__in=[lesson.pk for lesson in made.values()]).update(
        state=KnowledgeState.PUBLISHED, published_at=timezone.now()
    )
    for lesson in made.values():
        lesson.refresh_from_db()
    return made
