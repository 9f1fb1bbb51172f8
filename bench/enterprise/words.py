"""The words the enterprise set is written with: team functions, services, configuration items,
project, change, incident and lesson titles. Plain tables; the builders draw from them with the
set's seeded generator."""

from changes.choices import CIKind
from portfolio.choices import Cover
from resources.models import TeamKind

FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wen", "Xavi", "Yara", "Zoltan", "Aoife", "Bilal", "Camille", "Dmitri", "Esther", "Femi",
    "Giulia", "Hamid", "Ingrid", "Jakub", "Keiko", "Lars", "Mei", "Nora", "Oskar", "Priyanka",
    "Rafael", "Sofia", "Tomás", "Ulla", "Viktor", "Yusuf", "Zara", "Amir", "Bea", "Ciaran",
    "Daniela", "Emil", "Fatou", "Gustav", "Hana", "Ivo", "Jana", "Kwame", "Leila", "Marek",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "García", "Horvat", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Müller", "Novak", "O'Brien", "Patel", "Rossi", "Silva",
    "Tanaka", "Usman", "Varga", "Weber", "Young", "Zhang", "Ahmed", "Brennan", "Castillo",
    "De Vries", "Eriksson", "Fernandes", "Gallagher", "Hoffmann", "Iqbal", "Johansson", "Kaur",
    "Lindgren", "Mahmoud", "Nielsen", "Okonkwo", "Petrov", "Quintero", "Rahman", "Schmidt",
    "Takahashi", "Urbanek", "Vasquez", "Wójcik", "Yilmaz", "Zimmermann", "Moreau", "Nakamura",
)  # fmt: skip

# A team's function: (name, kind of team, weight, job titles (the last is the lead's), skills it
# draws on (skill areas of SKILL_AREAS), the role its people have, owns services).
FUNCTIONS = (
    (
        "Service Desk",
        TeamKind.OPERATIONS,
        6,
        ("Service Desk Analyst", "Service Desk Team Lead"),
        ("ServiceNow", "Windows", "Identity"),
        "engineer",
        True,
    ),
    (
        "Network Operations",
        TeamKind.OPERATIONS,
        6,
        ("Network Engineer", "Network Team Lead"),
        ("Networking", "Security", "Linux"),
        "engineer",
        True,
    ),
    (
        "Database Operations",
        TeamKind.OPERATIONS,
        5,
        ("Database Administrator", "Lead DBA"),
        ("PostgreSQL", "Oracle", "Storage"),
        "engineer",
        True,
    ),
    (
        "Platform Engineering",
        TeamKind.MIXED,
        6,
        ("Platform Engineer", "Platform Lead"),
        ("Kubernetes", "Linux", "Terraform"),
        "engineer",
        True,
    ),
    (
        "Cloud Operations",
        TeamKind.OPERATIONS,
        5,
        ("Cloud Engineer", "Cloud Operations Lead"),
        ("AWS", "Azure", "Terraform"),
        "engineer",
        True,
    ),
    (
        "Storage and Backup",
        TeamKind.OPERATIONS,
        3,
        ("Storage Engineer", "Storage Team Lead"),
        ("Storage", "Linux", "Windows"),
        "engineer",
        True,
    ),
    (
        "End-User Computing",
        TeamKind.OPERATIONS,
        4,
        ("Desktop Engineer", "EUC Team Lead"),
        ("Windows", "Identity", "Azure"),
        "engineer",
        True,
    ),
    (
        "Security Operations",
        TeamKind.MIXED,
        4,
        ("Security Analyst", "SOC Lead"),
        ("Security", "Networking", "Identity"),
        "engineer",
        True,
    ),
    (
        "Identity and Access",
        TeamKind.MIXED,
        3,
        ("IAM Engineer", "IAM Lead"),
        ("Identity", "Security", "Java"),
        "engineer",
        True,
    ),
    (
        "Payments Engineering",
        TeamKind.MIXED,
        5,
        ("Payments Engineer", "Payments Tech Lead"),
        ("Java", "Oracle", "Kubernetes"),
        "engineer",
        True,
    ),
    (
        "Core Banking",
        TeamKind.MIXED,
        4,
        ("Core Banking Engineer", "Core Banking Lead"),
        ("Mainframe", "Oracle", "Java"),
        "engineer",
        True,
    ),
    (
        "Digital Channels",
        TeamKind.PROJECT,
        8,
        ("Software Engineer", "Engineering Manager"),
        ("React", "Java", "Testing"),
        "engineer",
        True,
    ),
    (
        "Integration",
        TeamKind.MIXED,
        4,
        ("Integration Engineer", "Integration Lead"),
        ("Java", "Python", "Data"),
        "engineer",
        True,
    ),
    (
        "Data and Analytics",
        TeamKind.PROJECT,
        5,
        ("Data Engineer", "Analytics Lead"),
        ("Data", "Python", "PostgreSQL"),
        "engineer",
        True,
    ),
    (
        "ERP and Finance Systems",
        TeamKind.MIXED,
        3,
        ("SAP Consultant", "ERP Lead"),
        ("SAP", "Oracle", "Data"),
        "engineer",
        True,
    ),
    (
        "Observability",
        TeamKind.MIXED,
        2,
        ("SRE", "SRE Lead"),
        ("Linux", "Kubernetes", "Python"),
        "engineer",
        True,
    ),
    (
        "Mainframe Operations",
        TeamKind.OPERATIONS,
        2,
        ("Mainframe Operator", "Mainframe Lead"),
        ("Mainframe", "Storage", "Security"),
        "engineer",
        True,
    ),
    (
        "Quality Engineering",
        TeamKind.PROJECT,
        4,
        ("QA Engineer", "QA Lead"),
        ("Testing", "Python", "Java"),
        "engineer",
        False,
    ),
    (
        "Architecture",
        TeamKind.PROJECT,
        2,
        ("Solution Architect", "Chief Architect"),
        ("Azure", "Security", "Data"),
        "engineer",
        False,
    ),
    (
        "Project Delivery",
        TeamKind.PROJECT,
        8,
        ("Project Manager", "Programme Manager"),
        ("Testing", "Data", "SAP"),
        "pmo_lead",
        False,
    ),
    (
        "Business Analysis",
        TeamKind.PROJECT,
        4,
        ("Business Analyst", "Lead Business Analyst"),
        ("Data", "SAP", "Testing"),
        "engineer",
        False,
    ),
    (
        "Service Management",
        TeamKind.OPERATIONS,
        3,
        ("Service Manager", "Head of Service Management"),
        ("ServiceNow", "Networking", "Windows"),
        "itsm_manager",
        False,
    ),
)
UNITS = (
    "North", "South", "East", "West", "Central", "EMEA", "Americas", "APAC", "Nordics",
    "Iberia", "DACH", "Benelux", "UK", "Ireland", "India", "Poland",
)  # fmt: skip

SKILL_AREAS = (
    "Kubernetes", "PostgreSQL", "Oracle", "Java", "Python", "React", "Networking", "Identity",
    "SAP", "Windows", "Linux", "Azure", "AWS", "Terraform", "Security", "Testing", "Data",
    "ServiceNow", "Storage", "Mainframe",
)  # fmt: skip
SKILL_FLAVOURS = (
    "fundamentals", "operations", "architecture", "performance", "migration", "automation",
)  # fmt: skip

# Services of the catalogue beyond the demo's twelve: (name, tier, description)
SERVICES = (
    ("Online Banking", 1, "Web banking for retail customers."),
    ("Mobile Banking App", 1, "iOS and Android apps and their back end."),
    ("Card Management", 1, "Card issuing, limits, blocks and PINs."),
    ("Card Authorisation Switch", 1, "Real-time authorisation of card transactions."),
    ("SWIFT Gateway", 1, "International payments messaging."),
    ("Instant Payments", 1, "Real-time domestic payments."),
    ("Fraud Detection", 1, "Scoring of payments and logins for fraud."),
    ("ATM Network", 1, "ATM driving and monitoring."),
    ("Treasury Platform", 2, "Liquidity, FX and money-market dealing."),
    ("Mortgage Origination", 2, "Mortgage applications from quote to offer."),
    ("Loan Servicing", 2, "Repayments, arrears and statements of loans."),
    ("Customer Onboarding (KYC)", 2, "Identity checks and account opening."),
    ("AML Screening", 2, "Sanctions and anti-money-laundering screening."),
    ("Contact Centre Telephony", 2, "Call routing, IVR and agent desktops."),
    ("CRM", 2, "Customer records, cases and campaigns."),
    ("General Ledger", 2, "The bank's books."),
    ("Regulatory Reporting", 2, "Returns to the regulators."),
    ("Credit Risk Engine", 2, "Credit scoring and limits."),
    ("API Gateway", 2, "Every internal and partner API goes through it."),
    ("Message Broker (Kafka)", 2, "Event streaming between systems."),
    ("Managed File Transfer", 2, "Files to and from banks, schemes and suppliers."),
    ("Secrets Vault", 2, "Application secrets and dynamic credentials."),
    ("PKI and Certificates", 2, "Internal CA and certificate lifecycle."),
    ("SIEM", 2, "Security event collection and correlation."),
    ("VPN Remote Access", 2, "Remote access for staff and suppliers."),
    ("Monitoring and Alerting", 2, "Metrics, alerts and the on-call rota."),
    ("Log Platform", 3, "Central logs, 90 days hot."),
    ("Statements and Notices", 3, "Customer statements, print and e-delivery."),
    ("Direct Debits", 2, "Collections and mandates."),
    ("Savings Platform", 2, "Savings accounts and interest."),
    ("Wealth Portal", 3, "Investment accounts for wealth clients."),
    ("Trade Finance", 3, "Letters of credit and guarantees."),
    ("Securities Settlement", 2, "Settlement of securities trades."),
    ("Branch Teller", 2, "Counter services in branches."),
    ("Branch Queue Management", 4, "Tickets and screens in branches."),
    ("Document Management", 3, "Scanned documents and archives."),
    ("Enterprise Data Lake", 3, "Raw and curated data for analytics."),
    ("BI Reporting", 3, "Management information and dashboards."),
    ("Master Data Management", 3, "Golden records of customers and products."),
    ("Payroll", 3, "Salaries and pensions of staff."),
    ("Expense Management", 4, "Staff expense claims."),
    ("Procurement Portal", 4, "Purchase requests and supplier orders."),
    ("Accounts Payable", 3, "Supplier invoices and payments."),
    ("Learning Management", 4, "Mandatory training and courses."),
    ("Recruitment Portal", 4, "Vacancies and applicants."),
    ("Video Conferencing", 3, "Meeting rooms and calls."),
    ("Endpoint Management", 3, "Laptops, patching and software delivery."),
    ("Mobile Device Management", 3, "Staff phones and tablets."),
    ("Printing", 4, "Office printers and print queues."),
    ("Facilities Booking", 4, "Desks and meeting rooms."),
    ("Source Control (GitLab)", 3, "Repositories and code review."),
    ("Artifact Repository", 3, "Packages and container images."),
    ("Customer Notifications", 2, "SMS, push and email to customers."),
    ("Chat and Messaging", 3, "Customer chat and secure messages."),
    ("Open Banking API", 2, "Regulated APIs for third-party providers."),
    ("Card Tokenisation", 1, "Tokens for wallets and merchants."),
    ("3-D Secure", 1, "Online card payment authentication."),
    ("Pensions Administration", 3, "Workplace pension schemes."),
    ("Insurance Quotes", 3, "Home and travel insurance quotes."),
    ("Claims Handling", 3, "Insurance claims."),
    ("Marketing Automation", 4, "Campaigns and consent."),
    ("Cheque Imaging", 3, "Cheque clearing by image."),
    ("FX Trading", 2, "Foreign-exchange dealing for clients."),
    ("Collections", 3, "Arrears management and recoveries."),
    ("Complaints Management", 3, "Customer complaints and redress."),
    ("Intranet Search", 4, "Search across staff sites."),
    ("Wi-Fi", 3, "Office and branch wireless."),
    ("Telephony", 3, "Desk phones and soft phones."),
    ("Data Warehouse Loads", 3, "Nightly loads into the warehouse."),
    ("Batch Scheduler", 2, "Overnight batch across the estate."),
)
COVER_BY_TIER = {
    1: (Cover.ALWAYS,),
    2: (Cover.ALWAYS, Cover.EXTENDED),
    3: (Cover.EXTENDED, Cover.BUSINESS_HOURS),
    4: (Cover.BUSINESS_HOURS,),
}

OBJECTIVES = (
    ("Regulatory compliance", 9, "Meet every regulatory deadline with no findings."),
    ("Cloud first", 6, "Half of the estate on cloud platforms by the end of next year."),
    ("Operational excellence", 7, "Halve P1 and P2 incidents and their time to restore."),
)

# Shared infrastructure of the CMDB: (name pattern, kind, criticality); n is 1, 2, ...
INFRASTRUCTURE = (
    ("DC{n} core switch pair", CIKind.NETWORK, 1),
    ("DC{n} perimeter firewall cluster", CIKind.NETWORK, 1),
    ("DC{n} load balancer pair", CIKind.LOAD_BALANCER, 1),
    ("SAN array {n} (DC{n})", CIKind.STORAGE, 1),
    ("VMware cluster DC{n}", CIKind.CLUSTER, 1),
    ("Kubernetes cluster prod-{n}", CIKind.CLUSTER, 1),
    ("WAN router pair region {n}", CIKind.NETWORK, 2),
    ("Object storage bucket set {n}", CIKind.STORAGE, 2),
    ("Windows server farm {n}", CIKind.CLUSTER, 2),
    ("Backup media server {n}", CIKind.SERVER, 2),
)
# A service's own items: (suffix, kind, depends on the infrastructure kinds)
SERVICE_ITEMS = (
    (" application", CIKind.APPLICATION, (CIKind.CLUSTER, CIKind.LOAD_BALANCER)),
    (" database (PostgreSQL)", CIKind.DATABASE, (CIKind.STORAGE,)),
    (" database (Oracle)", CIKind.DATABASE, (CIKind.STORAGE,)),
    (" application servers", CIKind.SERVER, (CIKind.CLUSTER,)),
    (" batch servers", CIKind.SERVER, (CIKind.CLUSTER,)),
    (" API", CIKind.APPLICATION, (CIKind.CLUSTER, CIKind.LOAD_BALANCER)),
    (" web front end", CIKind.APPLICATION, (CIKind.LOAD_BALANCER,)),
    (" SaaS tenant", CIKind.SAAS, ()),
    (" message queue", CIKind.SERVER, (CIKind.CLUSTER,)),
    (" file share", CIKind.STORAGE, ()),
)

# Standard-change templates beyond the demo's: (name, category, effort, kinds it applies to)
TEMPLATES = (
    ("Monthly OS patching (Windows)", "Patching", "3", (CIKind.SERVER, CIKind.CLUSTER)),
    ("Database minor version patch", "Database", "2", (CIKind.DATABASE,)),
    ("Add or change a DNS record", "Network", "0.5", (CIKind.NETWORK,)),
    ("Application release from the pipeline", "Release", "1", (CIKind.APPLICATION,)),
    ("Increase storage allocation", "Storage", "1", (CIKind.STORAGE, CIKind.DATABASE)),
    ("Load balancer pool member change", "Network", "1", (CIKind.LOAD_BALANCER,)),
    ("SaaS configuration change", "Configuration", "1", (CIKind.SAAS,)),
    ("Scale a cluster node pool", "Platform", "1", (CIKind.CLUSTER,)),
)
# Title patterns of normal and emergency changes by kind of item.
CHANGE_TITLES = {
    CIKind.SERVER: (
        "Patch {ci} to the {month} security baseline",
        "Replace a failed disk on {ci}",
        "Resize {ci} ({n} vCPU)",
        "Upgrade the OS of {ci} to RHEL 9.{m}",
        "Decommission two nodes of {ci}",
    ),
    CIKind.DATABASE: (
        "Upgrade {ci} to the next minor release",
        "Add an index for the {service} month-end report on {ci}",
        "Fail {ci} over to the standby for the DR test",
        "Rebuild fragmented tables on {ci}",
        "Raise the connection limit on {ci} to {n}",
    ),
    CIKind.APPLICATION: (
        "{service} release {v}",
        "{service} hotfix {v} for the login error",
        "Enable feature flag '{feature}' in {service}",
        "Roll out {service} {v} to the second data centre",
        "Change the {service} batch schedule",
    ),
    CIKind.NETWORK: (
        "Firmware upgrade of {ci} to {v}",
        "Add firewall rules for {service} on {ci}",
        "Replace the line card in {ci}",
        "Re-route {service} traffic via {ci}",
    ),
    CIKind.LOAD_BALANCER: (
        "Renew the TLS certificate for {service} on {ci}",
        "Move {service} to a new pool on {ci}",
        "Upgrade {ci} to {v}",
    ),
    CIKind.CLUSTER: (
        "Upgrade {ci} to Kubernetes 1.{m}",
        "Add {n} worker nodes to {ci}",
        "Rotate the certificates of {ci}",
        "Patch the hypervisors of {ci}",
    ),
    CIKind.STORAGE: (
        "Extend {ci} by {n} TB",
        "Upgrade the controller firmware of {ci}",
        "Migrate {service} volumes within {ci}",
    ),
    CIKind.SAAS: (
        "Change the single sign-on settings of {ci}",
        "Switch {ci} to the vendor's new region",
        "Apply the vendor's configuration update to {ci}",
    ),
}
EMERGENCY_TITLES = (
    "Emergency patch for {cve} on {ci}",
    "Restart {ci} to clear a memory leak",
    "Roll back {service} {v} (errors since the release)",
    "Block malicious traffic to {service} on {ci}",
    "Emergency certificate replacement on {ci}",
)
FEATURES = (
    "new login page", "instant notifications", "dark mode", "card controls", "bulk upload",
    "faster search", "paperless statements", "biometric sign-in", "spending insights",
)  # fmt: skip
BACKOUT = (
    "Restore the configuration backup taken at the start of the window.",
    "Redeploy the previous release from the pipeline (blue/green switch).",
    "Fail back to the standby, which stays on the old version for a week.",
    "Revert the firewall and load-balancer changes from the saved configuration.",
    "Restore from the snapshot taken before the change.",
)
TESTS = (
    "Monitoring green for 30 minutes; functional smoke test from the runbook.",
    "Synthetic transactions pass from both data centres; error rate at baseline.",
    "Business users confirm the key journeys in the first hour.",
)
REVIEW_NOTES = {
    "successful": ("Went to plan.", "Done inside the window; no customer impact."),
    "successful_with_issues": (
        "Done, but the window overran by an hour.",
        "A manual step was missing from the runbook; added.",
    ),
    "failed": ("The upgrade failed its smoke test; left on the old version.",),
    "backed_out": ("Errors after the switch; backed out within the window.",),
}
CANCEL_REASONS = (
    "Superseded by a later change.",
    "The vendor withdrew the release.",
    "No longer needed after the project re-plan.",
    "Could not get a window before the freeze; will raise again.",
)
REJECT_REASONS = (
    "The backout plan does not say how long the restore takes.",
    "Clashes with the month-end batch: pick another window.",
    "Bring the load-test results first.",
)
RESUBMIT = "Updated as the CAB asked."

# Projects: (pattern, weight); {service} and {other} are services, {year} a year.
PROJECT_NAMES = (
    ("Migrate {service} to the cloud", 4),
    ("Replace {service}", 3),
    ("Upgrade {service} to the vendor's current release", 4),
    ("{service} resilience improvements", 3),
    ("{service} self-service for customers", 2),
    ("Consolidate {service} and {other}", 2),
    ("Automate {service} operations", 2),
    ("{service} regulatory changes {year}", 3),
    ("Decommission legacy {service}", 2),
    ("{service} performance and scalability", 2),
    ("Single sign-on for {service}", 1),
    ("{service} data migration", 2),
)
SPONSORS = (
    "Chief Operating Officer", "Chief Digital Officer", "CISO", "CFO", "Chief Risk Officer",
    "Head of Retail", "Head of Payments", "CIO", "Chief Data Officer",
)  # fmt: skip
RISKS = (
    ("Key engineers also carry on-call", "Agree cover with the operations team."),
    ("Go-live lands in a change freeze", "Plan the go-live outside the freeze windows."),
    ("Vendor delivery slips", "Weekly supplier check-ins; penalty clauses."),
    ("Support team not trained before go-live", "Training in the readiness plan, week -4."),
    ("Data migration takes longer than the window", "Two rehearsals with production volumes."),
    ("Budget overrun on licences", "Fix the licence count at design sign-off."),
    ("Regulator changes the requirements", "Monthly check with compliance."),
    ("Test environment not available", "Book the shared environment a quarter ahead."),
    ("Dependency on another project's API", "Joint plan and a weekly sync."),
)
BENEFITS = (
    ("fewer incidents on the services it touches", "P1–P2 incidents per quarter", "−30 %"),
    ("lower run cost", "Run cost per year", "−15 %"),
    ("faster customer journeys", "Median journey time", "−25 %"),
    ("fewer calls to the service desk", "Desk contacts per month", "−20 %"),
    ("audit findings closed", "Open findings", "0"),
)

# Incidents: (pattern, impact weights (1, 2, 3), kinds of item it names or None)
INCIDENT_TITLES = (
    ("{service}: users cannot log in", (3, 5, 2), None),
    ("{service} slow for {group}", (1, 5, 5), None),
    ("{service} returning errors (HTTP 500)", (3, 5, 2), None),
    ("Batch job {job} failed on {ci}", (1, 4, 5), CIKind.SERVER),
    ("Disk space alert on {ci}", (1, 3, 6), CIKind.SERVER),
    ("{ci} replication lag above threshold", (1, 4, 4), CIKind.DATABASE),
    ("Certificate expiring on {ci}", (1, 3, 6), CIKind.LOAD_BALANCER),
    ("{ci} not reachable from {group}", (2, 5, 3), CIKind.NETWORK),
    ("Pods restarting on {ci}", (1, 4, 4), CIKind.CLUSTER),
    ("{service}: report missing figures", (1, 3, 6), None),
    ("{service}: cannot attach documents", (0, 3, 7), None),
    ("{service} down for {group}", (5, 4, 1), None),
    ("Access request not working in {service}", (0, 2, 8), None),
    ("{ci} CPU at 100 %", (1, 4, 4), CIKind.SERVER),
    ("Storage latency on {ci}", (2, 4, 3), CIKind.STORAGE),
    ("{ci} vendor outage", (3, 4, 2), CIKind.SAAS),
)
GROUPS = (
    "branch staff", "the contact centre", "customers in the app", "the finance team",
    "remote workers", "the Dublin office", "partners", "the night batch", "traders",
)  # fmt: skip
JOBS = (
    "EOD-POSTING", "GL-EXTRACT", "STMT-PRINT", "DD-COLLECT", "AML-NIGHTLY", "DWH-LOAD",
    "CARD-RECON", "FX-REVAL", "INT-ACCRUAL", "BACKUP-FULL",
)  # fmt: skip
RESOLUTIONS = (
    "Restarted the service; monitoring back to normal.",
    "Cleared the queue and re-ran the failed job.",
    "Rolled back the configuration change that caused it.",
    "Extended the volume and cleaned up old logs.",
    "Renewed the certificate and restarted the listener.",
    "Vendor fixed the fault on their side.",
    "Workaround applied from the known error; problem record updated.",
    "User error: talked the user through it.",
)
WORK_NOTES = (
    "Investigation", "Checked logs and monitoring", "Call with the vendor", "Applied the fix",
    "Tested with the users", "Updated the runbook", "Major-incident bridge",
)  # fmt: skip
PROBLEM_CAUSES = (
    "A connection pool too small for peak load.",
    "A memory leak in the vendor's agent.",
    "A certificate chain missing an intermediate.",
    "A batch job that does not retry after a lock timeout.",
    "Log rotation not configured on the new servers.",
    "A firewall rule that drops idle connections after 30 minutes.",
)
WORKAROUNDS = (
    "Restart the service during the quiet hour.",
    "Re-run the job by hand after 02:00.",
    "Route users to the second data centre.",
    "Clear the cache from the admin console.",
)

# Knowledge: tags, and lesson texts by category.
TAGS = (
    "cutover", "dns", "certificates", "capacity", "freeze", "vendor", "testing", "runbook",
    "monitoring", "rollback", "data-migration", "load-test", "handover", "training", "on-call",
    "communication", "licensing", "security", "backup", "performance", "go-live", "planning",
    "dependencies", "cloud", "database", "network", "kubernetes", "batch", "access", "budget",
)  # fmt: skip
LESSONS = {
    "scheduling": (
        "Plan the {service} go-live away from month-end",
        "The go-live of {project} was moved twice because it met the month-end close of "
        "{service}. Nobody had checked the finance calendar when the date was set.",
        "Check the freeze and month-end calendar before committing a go-live date, and put "
        "the check in the stage gate.",
    ),
    "resourcing": (
        "Do not staff {project} with the {service} on-call engineers",
        "Two engineers of {team} carried both the project and the on-call rota; the project "
        "slipped three weeks during a bad incident month.",
        "Book project time net of on-call, and look at the heatmap before the approval.",
    ),
    "handover": (
        "Train the support team of {service} before the readiness review",
        "At acceptance the support team had not seen the runbook of {service}; the first two "
        "incidents took twice as long to restore.",
        "Walk the receiving team through the runbook four weeks before go-live.",
    ),
    "change": (
        "Rehearse the {ci} change in the test environment first",
        "The change on {ci} was backed out after forty minutes: a step worked in the vendor's "
        "lab but not with our configuration.",
        "Rehearse every high-risk change in an environment built like production, and time it.",
    ),
    "technical": (
        "Watch the connection pool of {service} at peak",
        "{service} stopped answering at peak because the pool on {ci} was exhausted; the "
        "monitoring did not alert on it.",
        "Alert on pool usage above 80 %, and load-test at twice the expected peak.",
    ),
    "vendor": (
        "Get the vendor on the call for the {ci} upgrade",
        "The {ci} upgrade stalled for two hours waiting for the vendor's engineer.",
        "Book vendor support for the window and keep their escalation number in the runbook.",
    ),
    "communication": (
        "Tell the service desk before {service} changes behaviour",
        "After the {service} release the service desk took 300 calls about a changed screen "
        "nobody had told them about.",
        "Brief the service desk a week ahead of every user-visible change.",
    ),
}
ARTICLE_TITLES = {
    "runbook": ("{service}: restart procedure", "{service}: failover to DC2", "{ci}: patching"),
    "how_to": (
        "How to request access to {service}",
        "How to reset a user in {service}",
        "How to read the {service} dashboard",
    ),
    "known_error": ("Known error: {cause}", "Known error on {service}: {cause}"),
}
