"""Demo change control: a small CMDB over the service catalogue, standard-change templates,
CAB approval policies and two more CAB members, the year-end and month-end freezes, and a
month of changes (three weeks back, four ahead) in every state.

The changes are walked through the real services (create, transition, approve, freeze
exception, review), so their transition logs, approvals and reviews are genuine; only the
timestamps are moved back afterwards to when it would have happened. Everything is keyed by
natural keys (item, template and change titles, freeze names): a second run resets each demo
change to a draft and walks it again, so it keeps its id and CHG number.

The story: Elena Novak (the `engineer` user, Platform) is already over-allocated and is also
the implementer of the Kubernetes upgrade changes, one of which waits for the CAB; the
payments API release backed out a fortnight ago comes back, rejected once and now colliding
with a database patch on the same service; a load-balancer firmware upgrade and a certificate
renewal share a Saturday morning; an intranet move sits inside the year-end freeze without an
exception, while the payments HSM certificate renewal has one.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from itsm_pmo.roles import Role
from portfolio import selectors as portfolio_selectors
from portfolio.choices import MilestoneKind
from resources import selectors as resources_selectors

from . import selectors, services
from .choices import ChangeState, ChangeType, CIKind, Decision, Outcome, Risk
from .models import (
    Approval,
    ApprovalPolicy,
    ChangeRequest,
    ChangeTemplate,
    ChangeTransition,
    ConfigurationItem,
    FreezeWindow,
    PostImplementationReview,
)

S, T = ChangeState, ChangeType

# The CAB: the demo's ITSM manager (Marcus Webb) and two more with the same role.
CAB_MEMBERS = [
    # username, first, last
    ("cab_ops", "Aisha", "Karim"),
    ("cab_sec", "Tom", "Lindqvist"),
]
CAB = ["itsm_manager", "cab_ops", "cab_sec"]

# name, kind, service (None: shared infrastructure), criticality, depends on, description
ITEMS = [
    (
        "DC1 core switch pair (Nexus 9500)",
        CIKind.NETWORK,
        "Corporate Network",
        1,
        [],
        "Data-centre core: every rack and both firewalls hang off it.",
    ),
    (
        "Internal DNS and DHCP (Infoblox)",
        CIKind.SERVER,
        "Corporate Network",
        1,
        ["DC1 core switch pair (Nexus 9500)"],
        "Name resolution for every internal system.",
    ),
    (
        "DC1 perimeter firewall cluster (Palo Alto)",
        CIKind.NETWORK,
        "Corporate Network",
        1,
        ["DC1 core switch pair (Nexus 9500)"],
        "Internet edge and partner connections.",
    ),
    (
        "External load balancer pair (F5 BIG-IP)",
        CIKind.LOAD_BALANCER,
        "Corporate Network",
        1,
        ["DC1 perimeter firewall cluster (Palo Alto)"],
        "Terminates TLS for www and the payments API.",
    ),
    (
        "Internal load balancer pair (F5)",
        CIKind.LOAD_BALANCER,
        "Corporate Network",
        2,
        ["DC1 core switch pair (Nexus 9500)"],
        "Staff applications and single sign-on.",
    ),
    (
        "Branch SD-WAN controllers",
        CIKind.NETWORK,
        "Corporate Network",
        2,
        ["DC1 core switch pair (Nexus 9500)"],
        "42 branch offices and the DC2 interconnect.",
    ),
    (
        "SAN storage array (NetApp AFF A400)",
        CIKind.STORAGE,
        None,
        1,
        ["DC1 core switch pair (Nexus 9500)"],
        "Block storage for the databases and VMware.",
    ),
    (
        "VMware vSphere cluster DC1",
        CIKind.CLUSTER,
        None,
        1,
        ["SAN storage array (NetApp AFF A400)", "DC1 core switch pair (Nexus 9500)"],
        "32 hosts; runs everything that is not on Kubernetes.",
    ),
    (
        "prod-k8s-01 worker node pool",
        CIKind.CLUSTER,
        "Kubernetes Platform",
        2,
        ["VMware vSphere cluster DC1"],
        "General-purpose worker nodes, 24 today.",
    ),
    (
        "Production Kubernetes cluster (prod-k8s-01)",
        CIKind.CLUSTER,
        "Kubernetes Platform",
        1,
        ["prod-k8s-01 worker node pool", "Internal DNS and DHCP (Infoblox)"],
        "Control plane and ingress of the production cluster.",
    ),
    (
        "Container registry (Harbor)",
        CIKind.APPLICATION,
        "Kubernetes Platform",
        2,
        ["VMware vSphere cluster DC1"],
        "Images for every cluster; vulnerability scanning.",
    ),
    (
        "CI/CD pipelines (GitLab runners)",
        CIKind.APPLICATION,
        "Kubernetes Platform",
        3,
        ["Container registry (Harbor)"],
        "Build and deploy pipelines of every team.",
    ),
    (
        "Payments DB cluster (PostgreSQL 15)",
        CIKind.DATABASE,
        "Payments Gateway",
        1,
        ["SAN storage array (NetApp AFF A400)"],
        "Primary and two replicas, Patroni.",
    ),
    (
        "Payment HSM pair (Thales)",
        CIKind.SERVER,
        "Payments Gateway",
        1,
        ["DC1 core switch pair (Nexus 9500)"],
        "Card keys and PIN translation.",
    ),
    (
        "Payments message queue (IBM MQ)",
        CIKind.SERVER,
        "Payments Gateway",
        1,
        ["VMware vSphere cluster DC1"],
        "Card-scheme and clearing messages.",
    ),
    (
        "Payments API",
        CIKind.APPLICATION,
        "Payments Gateway",
        1,
        [
            "Production Kubernetes cluster (prod-k8s-01)",
            "Payments DB cluster (PostgreSQL 15)",
            "Payment HSM pair (Thales)",
            "Payments message queue (IBM MQ)",
            "External load balancer pair (F5 BIG-IP)",
        ],
        "Authorisations, refunds and merchant settlement.",
    ),
    (
        "Core banking Oracle RAC cluster",
        CIKind.DATABASE,
        "Core Banking Database",
        1,
        ["SAN storage array (NetApp AFF A400)", "DC1 core switch pair (Nexus 9500)"],
        "Two-node RAC: accounts, ledgers and standing orders.",
    ),
    (
        "Core banking Data Guard standby (DC2)",
        CIKind.DATABASE,
        "Core Banking Database",
        1,
        ["Branch SD-WAN controllers"],
        "Physical standby in the second data centre.",
    ),
    (
        "Active Directory domain controllers",
        CIKind.SERVER,
        "Identity & SSO",
        1,
        ["Internal DNS and DHCP (Infoblox)"],
        "Four DCs, two per data centre.",
    ),
    (
        "Identity provider (Keycloak)",
        CIKind.APPLICATION,
        "Identity & SSO",
        1,
        [
            "Production Kubernetes cluster (prod-k8s-01)",
            "Active Directory domain controllers",
            "Internal load balancer pair (F5)",
        ],
        "SSO for staff and customers.",
    ),
    (
        "MFA service (SaaS)",
        CIKind.SAAS,
        "Identity & SSO",
        1,
        [],
        "Push and number-matching second factor.",
    ),
    (
        "Customer portal web front end",
        CIKind.APPLICATION,
        "Customer Portal",
        1,
        [
            "Production Kubernetes cluster (prod-k8s-01)",
            "External load balancer pair (F5 BIG-IP)",
            "Payments API",
            "Identity provider (Keycloak)",
        ],
        "www: accounts, payments, orders.",
    ),
    (
        "Customer portal CDN and WAF (SaaS)",
        CIKind.SAAS,
        "Customer Portal",
        1,
        [],
        "Edge caching and web application firewall in front of www.",
    ),
    (
        "ITSM ticketing platform (SaaS)",
        CIKind.SAAS,
        "Service Desk Tooling",
        2,
        ["Identity provider (Keycloak)"],
        "Incidents, requests and the change calendar feed.",
    ),
    (
        "Contact centre telephony (CCaaS)",
        CIKind.SAAS,
        "Service Desk Tooling",
        2,
        ["Branch SD-WAN controllers"],
        "Service-desk phone lines and call recording.",
    ),
    (
        "Reporting data warehouse (PostgreSQL)",
        CIKind.DATABASE,
        "Data Warehouse",
        3,
        ["SAN storage array (NetApp AFF A400)"],
        "Nightly loads from core banking and payments.",
    ),
    (
        "ETL scheduler (Airflow)",
        CIKind.APPLICATION,
        "Data Warehouse",
        3,
        [
            "Production Kubernetes cluster (prod-k8s-01)",
            "Reporting data warehouse (PostgreSQL)",
            "Core banking Oracle RAC cluster",
        ],
        "The nightly loads and the board reports.",
    ),
    (
        "HR system application servers",
        CIKind.SERVER,
        "HR System",
        3,
        ["VMware vSphere cluster DC1", "Active Directory domain controllers"],
        "Two Linux VMs behind the internal load balancer.",
    ),
    (
        "HR system database",
        CIKind.DATABASE,
        "HR System",
        3,
        ["SAN storage array (NetApp AFF A400)"],
        "Payroll and personnel records.",
    ),
    (
        "Email and collaboration tenant (SaaS)",
        CIKind.SAAS,
        "Email & Collaboration",
        2,
        ["Active Directory domain controllers"],
        "Mail, chat and files; directory sync from AD.",
    ),
    (
        "SMTP relay servers",
        CIKind.SERVER,
        "Email & Collaboration",
        2,
        ["DC1 perimeter firewall cluster (Palo Alto)", "VMware vSphere cluster DC1"],
        "Outbound mail from applications (statements, alerts).",
    ),
    (
        "Backup server (Veeam)",
        CIKind.SERVER,
        "Backup Service",
        2,
        ["VMware vSphere cluster DC1"],
        "Nightly VM and database backups.",
    ),
    (
        "Immutable backup object storage",
        CIKind.STORAGE,
        "Backup Service",
        2,
        ["DC1 core switch pair (Nexus 9500)"],
        "Object-lock copies for ransomware recovery.",
    ),
    (
        "Intranet CMS (WordPress)",
        CIKind.APPLICATION,
        "Intranet",
        4,
        ["VMware vSphere cluster DC1", "Identity provider (Keycloak)"],
        "Staff news and policies.",
    ),
]

LINUX_BACKOUT = (
    "Boot the previous kernel from GRUB and roll the package set back "
    "(dnf history undo); restore the VM snapshot taken at the start if needed."
)
LINUX_TEST = "Services up, monitoring green for 30 minutes, application smoke test passed."

# name, category, items, effort, backout plan, test plan, description
TEMPLATES = [
    (
        "Monthly OS patching (Linux)",
        "Patching",
        ["HR system application servers", "SMTP relay servers", "Payments message queue (IBM MQ)"],
        "3",
        LINUX_BACKOUT,
        LINUX_TEST,
        "The month's vendor security updates on Linux servers, one node of a pair at a time.",
    ),
    (
        "TLS certificate renewal",
        "Security",
        ["External load balancer pair (F5 BIG-IP)"],
        "1",
        "Re-bind the previous certificate (kept in the vault for 30 days).",
        "New expiry date served; SSL Labs grade A; synthetic checks green.",
        "Replace a certificate issued by the corporate or public CA before it expires.",
    ),
    (
        "Add firewall rule from approved list",
        "Network",
        ["DC1 perimeter firewall cluster (Palo Alto)"],
        "1",
        "Disable the rule and commit the previous configuration version.",
        "Connection test from source to destination; no unexpected denies in the log.",
        "A rule whose source, destination and port match an entry on the approved list.",
    ),
    (
        "Scale Kubernetes node pool",
        "Platform",
        ["prod-k8s-01 worker node pool"],
        "1.5",
        "Cordon and drain the new nodes, then scale back to the previous count.",
        "New nodes Ready; pending pods scheduled; autoscaler healthy.",
        "Add or remove worker nodes within the approved pool size (12–48).",
    ),
    (
        "PostgreSQL minor version patch",
        "Database",
        ["Reporting data warehouse (PostgreSQL)", "Payments DB cluster (PostgreSQL 15)"],
        "3",
        "Fail back to the unpatched replica; reinstall the previous minor release.",
        "Replication lag under 5 s, pg_stat checks clean, application smoke test passed.",
        "A minor release (same major version) rolled through the replicas, then a switchover.",
    ),
]

# CAB approval policies: type, risk ("" any), quorum of itsm_manager. Standard changes have
# none: they are pre-approved and never go to the CAB.
POLICIES = [
    (ChangeType.NORMAL, Risk.LOW, 1),
    (ChangeType.NORMAL, Risk.MODERATE, 2),
    (ChangeType.NORMAL, Risk.HIGH, 3),
    (ChangeType.EMERGENCY, "", 1),
]

DEFAULT_BACKOUT = (
    "Restore the configuration backup taken at the start of the window and "
    "restart the affected components; confirm with the test plan."
)
DEFAULT_TEST = "Monitoring green for 30 minutes; functional smoke test from the runbook."


@dataclass(frozen=True)
class C:
    """One demo change: what, where, when, who, and how far it got."""

    title: str
    type: str
    state: str  # the state it ends in
    items: tuple[str, ...]
    when: tuple  # see _window
    requester: str = "engineer"
    implementer: str | None = None  # a person's email before @, e.g. "network-2"
    template: str | None = None
    project: str | None = None
    category: str = ""
    effort: str = "4"
    description: str = ""
    backout: str = DEFAULT_BACKOUT
    test: str = DEFAULT_TEST
    approvals: int = 0  # left waiting in authorize: approvals so far (below the quorum)
    rejected: tuple[str, str] | None = None  # (the CAB's reason, the requester's answer)
    exception: str = ""  # a freeze exception granted by the ITSM manager
    review: tuple | None = None  # (outcome, incidents caused, notes)
    cancelled_from: str = ""
    cancel_reason: str = ""


PATCH = "Monthly OS patching (Linux)"
TLS = "TLS certificate renewal"
FIREWALL = "Add firewall rule from approved list"
NODES = "Scale Kubernetes node pool"
PGPATCH = "PostgreSQL minor version patch"
OK = Outcome.SUCCESSFUL

# In walking order: a change that collides with another comes after it.
CHANGES = [
    # --- Three weeks back: done and reviewed.
    C(
        "Monthly OS patching – HR system servers",
        T.STANDARD,
        S.CLOSED,
        (),
        ("evening", -20),
        implementer="platform-4",
        template=PATCH,
        review=(OK, 0, "Both nodes patched and rebooted; no user impact."),
    ),
    C(
        "Expand SAN aggregate aggr_prod_02 by 20 TB",
        T.NORMAL,
        S.CLOSED,
        ("SAN storage array (NetApp AFF A400)",),
        ("sat", -19),
        implementer="platform-5",
        category="Storage",
        effort="4",
        description="Add two disk shelves to the production aggregate; it is at 86 % full.",
        backout="New shelves stay unassigned; no data moves until the aggregate is grown.",
        review=(OK, 0, "Aggregate at 61 %; rebalancing finished Sunday morning."),
    ),
    C(
        "Add firewall rule: HR payroll export to bureau (SFTP)",
        T.STANDARD,
        S.CLOSED,
        (),
        ("day", -17),
        implementer="network-3",
        template=FIREWALL,
        project="PRJ-0111",
        review=(OK, 0, "Rule FW-2291 live; the first export ran at 18:00."),
    ),
    C(
        "Core banking upgrade rehearsal: restore production copy to DC2",
        T.NORMAL,
        S.CLOSED,
        ("Core banking Data Guard standby (DC2)",),
        ("sat", -23),
        implementer="database-2",
        project="PRJ-0104",
        category="Database",
        effort="8",
        description="Second rehearsal of the upgrade with production volumes, on the standby.",
        backout="Re-instantiate the standby from the primary (Data Guard).",
        review=(OK, 0, "Restore took 5 h 40 min: inside the 8 h window."),
    ),
    C(
        "Upgrade Keycloak to 25.0.6",
        T.NORMAL,
        S.CLOSED,
        ("Identity provider (Keycloak)",),
        ("evening", -15),
        implementer="security-2",
        category="Identity",
        effort="4",
        description="Security release; fixes two CVEs in the admin console.",
        backout="Redeploy the previous Helm release; the database schema is unchanged.",
        review=(OK, 0, "Sign-in checked for portal, intranet and HR; no errors."),
    ),
    C(
        "Payments API v4.2 release",
        T.NORMAL,
        S.CLOSED,
        ("Payments API",),
        ("evening", -13),
        implementer="application-development-2",
        category="Release",
        effort="5",
        description="Refund API for merchants and faster settlement files.",
        backout="Roll back to v4.1 (blue/green switch on the load balancer).",
        review=(
            Outcome.BACKED_OUT,
            2,
            "Card authorisations timed out at the HSM 25 minutes in; rolled back to v4.1 at "
            "20:10. Two P2 incidents. Cause: the new connection pool exhausted the database "
            "connection limit. Fix and load test before a new attempt.",
        ),
    ),
    C(
        "Replace line cards in DC1 core switch B",
        T.NORMAL,
        S.CLOSED,
        ("DC1 core switch pair (Nexus 9500)",),
        ("sat", -12),
        requester="cab_ops",
        implementer="network-2",
        category="Network",
        effort="5",
        description="Two line cards logged parity errors; the vendor ships replacements.",
        backout="Re-seat the original cards; traffic stays on switch A throughout.",
        review=(OK, 0, "Cards replaced; switch B back in the vPC at 08:40."),
    ),
    C(
        "Scale prod-k8s-01 worker node pool from 24 to 27 nodes",
        T.STANDARD,
        S.CLOSED,
        (),
        ("day", -10),
        implementer="platform-2",
        template=NODES,
        review=(OK, 0, "Three nodes added; pending pods scheduled within 4 minutes."),
    ),
    C(
        "TLS certificate renewal – api.payments",
        T.STANDARD,
        S.CLOSED,
        (),
        ("day", -9),
        implementer="network-5",
        template=TLS,
        review=(OK, 0, "New certificate valid to next November."),
    ),
    C(
        "Payments gateway cut-over to the Kubernetes platform",
        T.NORMAL,
        S.CLOSED,
        (
            "Payments API",
            "Production Kubernetes cluster (prod-k8s-01)",
            "External load balancer pair (F5 BIG-IP)",
        ),
        ("golive", "PRJ-0102", 22, 5),
        implementer="engineer",
        project="PRJ-0102",
        category="Release",
        effort="10",
        description="Go-live: move merchant traffic from the DC1 servers to prod-k8s-01.",
        backout="Switch the load-balancer pool back to the DC1 servers (kept warm a month).",
        review=(
            Outcome.WITH_ISSUES,
            1,
            "Cut-over done at 01:30. Two merchants saw timeouts for 20 minutes until the "
            "egress allow-list was fixed (one P3 incident). Early-life support running.",
        ),
    ),
    C(
        "Emergency patch: PAN-OS vulnerability under active exploitation",
        T.EMERGENCY,
        S.CLOSED,
        ("DC1 perimeter firewall cluster (Palo Alto)",),
        ("evening", -6),
        requester="cab_sec",
        implementer="network-3",
        category="Security",
        effort="3",
        description="Vendor advisory (CVSS 9.8) for the GlobalProtect portal; exploited in the "
        "wild. Patch both firewalls tonight, passive node first.",
        backout="Fail over to the unpatched peer and downgrade the patched node.",
        review=(OK, 0, "Both nodes on the fixed release by 21:15; threat signatures updated."),
    ),
    C(
        "Monthly OS patching – payments message queue servers",
        T.STANDARD,
        S.CLOSED,
        ("Payments message queue (IBM MQ)",),
        ("evening", -5),
        implementer="platform-4",
        template=PATCH,
        review=(OK, 0, "Queue managers failed over cleanly; no messages lost."),
    ),
    C(
        "Migrate HR database to the shared SQL cluster",
        T.NORMAL,
        S.CANCELLED,
        ("HR system database",),
        ("evening", -8),
        implementer="database-3",
        project="PRJ-0111",
        category="Database",
        cancelled_from=S.ASSESS,
        cancel_reason="Superseded by the HR system replacement (PRJ-0111): the new system "
        "brings its own database.",
    ),
    # --- Just done: waiting for the review, or reviewed and waiting to be closed.
    C(
        "Increase payments DB connection limit and pool size",
        T.NORMAL,
        S.REVIEW,
        ("Payments DB cluster (PostgreSQL 15)",),
        ("evening", -3),
        implementer="database-4",
        category="Database",
        effort="3",
        description="Follow-up of the v4.2 back-out: max_connections 400 → 800, pgbouncer "
        "pool 50 → 120.",
        backout="Restore the previous postgresql.conf and pgbouncer.ini; rolling restart.",
        review=(OK, 0, "Load test at twice peak: no pool exhaustion."),
    ),
    C(
        "Enable MFA number matching for all staff",
        T.NORMAL,
        S.REVIEW,
        ("MFA service (SaaS)",),
        ("evening", -2),
        requester="cab_sec",
        implementer="security-3",
        category="Identity",
        effort="2",
        description="Stops MFA fatigue attacks; staff were told last week.",
        backout="Switch the tenant policy back to simple push.",
    ),
    # --- Now: being implemented.
    C(
        "Migrate nightly ETL jobs to Airflow 2.10",
        T.NORMAL,
        S.IMPLEMENT,
        ("ETL scheduler (Airflow)",),
        ("overnight",),
        implementer="database-3",
        category="Data",
        effort="8",
        description="Re-platform 140 DAGs; the old scheduler stays installed until Friday.",
        backout="Re-enable the old scheduler's jobs; pause the new DAGs.",
    ),
    C(
        "Add firewall rule: customer portal v2 to payments API",
        T.STANDARD,
        S.IMPLEMENT,
        (),
        ("now",),
        implementer="network-5",
        template=FIREWALL,
        project="PRJ-0101",
    ),
    # --- Coming weeks: approved and scheduled.
    C(
        "Monthly OS patching – SMTP relay servers",
        T.STANDARD,
        S.SCHEDULED,
        ("SMTP relay servers",),
        ("evening", 2),
        implementer="engineer",  # the demo engineer's change of the week
        template=PATCH,
    ),
    C(
        "Payments DB cluster: PostgreSQL 15.10 minor patch",
        T.STANDARD,
        S.SCHEDULED,
        ("Payments DB cluster (PostgreSQL 15)",),
        ("evening", 5),
        implementer="database-2",
        template=PGPATCH,
    ),
    C(
        "Firmware upgrade of the external load balancer pair (BIG-IP 17.1.2)",
        T.NORMAL,
        S.SCHEDULED,
        ("External load balancer pair (F5 BIG-IP)",),
        ("sat", 8),
        implementer="network-2",
        category="Network",
        effort="4",
        description="Vendor-recommended release; fixes a memory leak seen in October.",
        backout="Boot the standby volume with the previous release; fail traffic back.",
    ),
    C(
        "TLS certificate renewal – www.example-bank.com",
        T.STANDARD,
        S.SCHEDULED,
        (),
        ("sat", 8),
        implementer="network-5",
        template=TLS,
        project="PRJ-0101",
    ),
    C(
        "Upgrade prod-k8s-01 control plane to Kubernetes 1.31",
        T.NORMAL,
        S.SCHEDULED,
        ("Production Kubernetes cluster (prod-k8s-01)",),
        ("evening", 10),
        implementer="engineer",
        project="PRJ-0113",
        category="Platform",
        effort="6",
        description="One minor version at a time: 1.30 was done in the test cluster last week.",
        backout="Restore etcd from the snapshot taken at the start; nodes stay on 1.30.",
    ),
    C(
        "Customer portal v2: production namespace, ingress and WAF policy",
        T.NORMAL,
        S.SCHEDULED,
        ("Customer portal web front end", "Customer portal CDN and WAF (SaaS)"),
        ("evening", 12),
        implementer="application-development-4",
        project="PRJ-0101",
        category="Release",
        effort="4",
        description="Everything v2 needs in production, dark: no customer traffic yet.",
        backout="Delete the namespace and the WAF policy; www is untouched.",
    ),
    C(
        "Rotate the Active Directory KRBTGT password",
        T.NORMAL,
        S.SCHEDULED,
        ("Active Directory domain controllers",),
        ("sat", 15),
        requester="cab_sec",
        implementer="security-2",
        category="Identity",
        effort="3",
        description="Yearly rotation, twice ten hours apart, as the audit asks.",
        backout="None needed for the first rotation; the second waits for replication.",
    ),
    # --- Waiting for the CAB.
    C(
        "Payments API v4.3 release (v4.2 with the connection-pool fix)",
        T.NORMAL,
        S.AUTHORIZE,
        ("Payments API",),
        ("evening", 5),
        implementer="application-development-2",
        category="Release",
        effort="5",
        description="The refund API again, with the pool fix and a load test at twice peak.",
        backout="Roll back to v4.1 (blue/green switch on the load balancer).",
        rejected=(
            "Bring the load-test results and the DBA's sign-off of the connection limit.",
            "Load-test results and the DBA's sign-off attached.",
        ),
        approvals=1,
    ),
    C(
        "Harbor and CI runners ready for Kubernetes 1.31",
        T.NORMAL,
        S.AUTHORIZE,
        ("Container registry (Harbor)", "CI/CD pipelines (GitLab runners)"),
        ("evening", 4),
        implementer="engineer",
        project="PRJ-0113",
        category="Platform",
        effort="6",
        description="Harbor 2.11 and runner images built against the 1.31 API before the "
        "control plane moves.",
        backout="Redeploy the previous Harbor Helm release and runner images.",
    ),
    C(
        "Replace a disk shelf on the core banking standby (DC2)",
        T.NORMAL,
        S.AUTHORIZE,
        ("Core banking Data Guard standby (DC2)",),
        ("sat", 18),
        implementer="database-4",
        project="PRJ-0104",
        category="Storage",
        effort="5",
        description="The shelf has two failed disks; the upgrade needs a healthy standby.",
        backout="Keep the standby on the old shelf; re-sync from the primary.",
        approvals=1,
    ),
    C(
        "Move the intranet CMS onto Kubernetes",
        T.NORMAL,
        S.AUTHORIZE,
        ("Intranet CMS (WordPress)",),
        ("freeze", 3, 19, 3),
        implementer="application-development-5",
        category="Release",
        effort="6",
        description="Containerised WordPress; frees two VMs.",
        backout="Point the intranet DNS record back at the VM.",
        approvals=1,
    ),
    C(
        "Renew the payment HSM certificates before they expire",
        T.NORMAL,
        S.SCHEDULED,
        ("Payment HSM pair (Thales)",),
        ("freeze", 8, 10, 2),
        implementer="security-2",
        category="Security",
        effort="3",
        description="The HSM's TLS and scheme certificates expire on 31 December.",
        backout="Re-import the current certificates from the HSM backup.",
        exception="The certificates expire on 31 December: without the renewal card payments "
        "stop. Done in business hours with the vendor on the call.",
    ),
    # --- Drafts: raised, being assessed, and go-live changes of the projects.
    C(
        "Decommission the legacy payments gateway servers (DC1)",
        T.NORMAL,
        S.ASSESS,
        ("Payments message queue (IBM MQ)",),
        ("evening", 20),
        implementer="platform-2",
        project="PRJ-0102",
        category="Decommission",
        effort="6",
        description="Early-life support ends soon; the DC1 servers have taken no traffic since "
        "the cut-over.",
        backout="The servers are powered off, not wiped, for 30 days.",
    ),
    C(
        "Customer portal v2 go-live: switch www to the new front end",
        T.NORMAL,
        S.NEW,
        ("Customer portal web front end", "External load balancer pair (F5 BIG-IP)"),
        ("golive", "PRJ-0101", 6, 4),
        implementer="application-development-4",
        project="PRJ-0101",
        category="Release",
        effort="8",
        description="Raised from the go-live milestone; runbook still being written.",
        backout="Switch the load-balancer pool back to the v1 front end.",
    ),
    C(
        "Kubernetes 1.31 go-live: enforce pod security standards",
        T.NORMAL,
        S.ASSESS,
        ("Production Kubernetes cluster (prod-k8s-01)",),
        ("golive", "PRJ-0113", 19, 3),
        implementer="engineer",
        project="PRJ-0113",
        category="Platform",
        effort="4",
        description="Switch the namespaces from warn to enforce (restricted profile).",
        backout="Set the namespaces back to warn.",
    ),
    C(
        "Core banking database upgrade (production)",
        T.NORMAL,
        S.NEW,
        ("Core banking Oracle RAC cluster",),
        ("golive", "PRJ-0104", 20, 10),
        implementer="database-2",
        project="PRJ-0104",
        category="Database",
        effort="16",
        description="The upgrade itself; rehearsals two and three are done or planned.",
        backout="Fail over to the standby, which stays on the old release until day +7.",
    ),
    C(
        "Upgrade the Veeam backup server to v12.2",
        T.NORMAL,
        S.NEW,
        ("Backup server (Veeam)",),
        (),
        requester="itsm_manager",
        category="Backup",
        description="Needed before the immutable storage repository can be added.",
    ),
    C(
        "Reboot DC1 core switch A to clear a memory leak",
        T.NORMAL,
        S.CANCELLED,
        ("DC1 core switch pair (Nexus 9500)",),
        ("evening", 6),
        requester="cab_ops",
        implementer="network-2",
        category="Network",
        effort="2",
        description="Memory at 91 % after the line-card replacement on switch B.",
        cancelled_from=S.SCHEDULED,
        cancel_reason="The vendor's hotfix freed the memory without a reboot.",
    ),
]

# Exception reason for a change that, on the day the demo is built, lands in a freeze it was
# not written for (a go-live pinned to its milestone, or work happening right now).
SAFETY_EXCEPTION = "Agreed at CAB before the freeze was announced; it cannot move."


def seed(ctx) -> None:
    today, now = timezone.localdate(), timezone.now()
    cab = _cab_users(ctx)
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    items = _seed_items(services_by_name)
    templates = _seed_templates(items)
    policies = _seed_policies()
    freezes, showcase = _seed_freezes(today, services_by_name)
    changes = _seed_changes(ctx, cab, items, templates, showcase, today, now)
    ctx.made.update(
        configuration_items=items, change_templates=templates, freezes=freezes, changes=changes
    )
    ctx.counts.update(
        users=len(ctx.users),
        config_items=len(items),
        templates=len(templates),
        policies=len(policies),
        freezes=len(freezes),
        changes=len(changes),
    )


def _cab_users(ctx) -> dict:
    """Two more CAB members (itsm_manager role), as seed_users makes the demo users."""
    User = get_user_model()
    group = Group.objects.get(name=Role.ITSM_MANAGER.value)
    for username, first, last in CAB_MEMBERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": False,
            },
        )
        # The demo password, as seed_users set it on the ITSM manager a moment ago (hashing
        # it again costs a third of a second a user).
        user.password = ctx.users["itsm_manager"].password
        user.save(update_fields=["password"])
        user.groups.set([group])
        ctx.users[username] = user
    return {username: ctx.users[username] for username in CAB}


def _seed_items(services_by_name) -> dict:
    items = {}
    for name, kind, service, criticality, _deps, description in ITEMS:
        items[name], _ = ConfigurationItem.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "service": services_by_name.get(service),
                "criticality": criticality,
                "description": description,
            },
        )
    for name, *_rest, deps, _description in ITEMS:
        items[name].depends_on.set([items[d] for d in deps])
    return items


def _seed_templates(items) -> dict:
    templates = {}
    for name, category, on, effort, backout, test, description in TEMPLATES:
        template, _ = ChangeTemplate.objects.update_or_create(
            name=name,
            defaults={
                "category": category,
                "effort_hours": Decimal(effort),
                "backout_plan": backout,
                "test_plan": test,
                "description": description,
                "active": True,
            },
        )
        template.items.set([items[i] for i in on])
        templates[name] = template
    return templates


def _seed_policies() -> list:
    group = Group.objects.get(name=Role.ITSM_MANAGER.value)
    return [
        ApprovalPolicy.objects.update_or_create(
            change_type=change_type, risk=risk, defaults={"approver_group": group, "quorum": quorum}
        )[0]
        for change_type, risk, quorum in POLICIES
    ]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _year_end(year: int) -> tuple[str, datetime, datetime]:
    return (
        f"Year-end change freeze {year}/{str(year + 1)[-2:]}",
        _at(date(year, 12, 18), 0),
        _at(date(year + 1, 1, 5), 0),
    )


def _seed_freezes(today: date, services_by_name) -> tuple[list, FreezeWindow]:
    """The year-end freeze (the running one, if any, and the next that starts at least a
    week ahead, which the showcase changes fall in) and the finance month-end close."""
    now = timezone.now()
    years = sorted(
        {y for y in (today.year - 1, today.year) if _year_end(y)[2] > now}
        | {
            next(
                y
                for y in range(today.year, today.year + 2)
                if _year_end(y)[1].date() >= today + timedelta(days=7)
            )
        }
    )
    freezes = []
    for year in years:
        name, start, end = _year_end(year)
        freeze, _ = FreezeWindow.objects.update_or_create(
            name=name,
            defaults={
                "start": start,
                "end": end,
                "all_services": True,
                "reason": "Peak trading and thin cover over the holidays: emergency changes and "
                "exceptions granted by the ITSM manager only.",
            },
        )
        freeze.services.clear()
        freezes.append(freeze)
    showcase = freezes[-1]

    # Month-end close: the last day of the month and the first two of the next, finance only.
    month_end = _month_end(today)
    if _at(month_end + timedelta(days=2), 8) <= now:
        month_end = _month_end(month_end + timedelta(days=1))
    freeze, _ = FreezeWindow.objects.update_or_create(
        name=f"Month-end close – finance services ({month_end:%B %Y})",
        defaults={
            "start": _at(month_end - timedelta(days=1), 18),
            "end": _at(month_end + timedelta(days=2), 8),
            "all_services": False,
            "reason": "Ledger close and settlement runs: no changes to payments or core "
            "banking until the finance team signs the close off.",
        },
    )
    freeze.services.set(
        [
            services_by_name[n]
            for n in ("Payments Gateway", "Core Banking Database")
            if n in services_by_name
        ]
    )
    freezes.append(freeze)
    return freezes, showcase


def _month_end(day: date) -> date:
    first_of_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next - timedelta(days=1)


def _window(
    spec: C, today: date, now: datetime, go_lives: dict, showcase: FreezeWindow, freezes: list
) -> tuple[datetime | None, datetime | None]:
    """The planned window of a slot:

    ("evening", d) 19:00-22:00 d days from today; ("day", d) 10:00-12:00; ("sat", d) the
    Saturday d days away or beyond (on the same side of today) 06:00-10:00; ("now",) began an
    hour ago, 3 h; ("overnight",) yesterday 19:00 to tomorrow 07:00; ("golive", code, hour,
    hours) on the project's go-live milestone; ("freeze", days, hour, hours) that many days
    into the showcase year-end freeze; () no window yet.

    Slots relative to today move out of any freeze by whole weeks (away from now), so the
    only changes in a freeze are the ones written to be there."""
    slot, *args = spec.when or (None,)
    if slot is None:
        return None, None
    if slot == "golive":
        code, hour, hours = args
        day = go_lives.get(code)
        if day is None:
            return None, None
        start = _at(day, hour)
        return start, start + timedelta(hours=hours)
    if slot == "freeze":
        days, hour, hours = args
        start = _at(timezone.localdate(showcase.start) + timedelta(days=days), hour)
        return start, start + timedelta(hours=hours)
    if slot == "now":
        start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        return start, start + timedelta(hours=3)
    if slot == "overnight":
        return _at(today - timedelta(days=1), 19), _at(today + timedelta(days=1), 7)
    (offset,) = args
    day = today + timedelta(days=offset)
    if slot == "sat":  # the Saturday on the same side of today
        shift = (day.weekday() - 5) % 7
        day = day - timedelta(days=shift) if offset < 0 else day + timedelta(days=(7 - shift) % 7)
    hour, hours = {"evening": (19, 3), "sat": (6, 4), "day": (10, 2)}[slot]
    start = _at(day, hour)
    step = timedelta(weeks=-1 if start < now else 1)
    for _ in range(8):
        end = start + timedelta(hours=hours)
        if not any(f.start < end and f.end > start for f in freezes):
            break
        start = _at(timezone.localdate(start) + step, hour)
    return start, start + timedelta(hours=hours)


def _history() -> models.QuerySet:
    """The demo's own way to its changes' trail: a second run clears it, and the rows the
    services just recorded are given the times they would have had. The application never
    alters a recorded move (ChangeTransition.objects refuses); only this data loader does."""
    return models.QuerySet(model=ChangeTransition)


def _seed_changes(ctx, cab, items, templates, showcase, today, now) -> list:
    people, projects = lookups(CHANGES)
    go_lives = dict(
        portfolio_selectors.milestones()
        .filter(project__in=projects.values(), kind=MilestoneKind.GO_LIVE)
        .values_list("project__code", "due_date")
    )
    existing = reset(CHANGES)
    made, freezes = [], list(FreezeWindow.objects.all())  # earlier years' too
    # The demo's history is not news, and its windows are in the past.
    with services.recording_history():
        for index, spec in enumerate(CHANGES):
            window = _window(spec, today, now, go_lives, showcase, freezes)
            found = (people, projects, items, templates)
            made.append(
                place(spec, existing.get(spec.title), window, found, ctx.users, cab, index, now)
            )
    return [ChangeRequest.objects.get(pk=c.pk) for c in made]


def lookups(specs) -> tuple[dict, dict]:
    """The implementers (by email before @) and projects (by code) the specs name."""
    people = {
        p.email.split("@")[0]: p
        for p in resources_selectors.people().filter(
            email__in=[f"{s.implementer}@example.org" for s in specs if s.implementer]
        )
    }
    codes = {s.project for s in specs if s.project}
    projects = {p.code: p for p in portfolio_selectors.projects().filter(code__in=codes)}
    return people, projects


def reset(specs) -> dict:
    """A second run: every demo change of `specs` becomes a draft without a window again (so
    collisions and freezes are judged as on the first run), and loses its history. Returns
    them by title."""
    demo = ChangeRequest.objects.filter(title__in=[s.title for s in specs])
    _history().filter(change__in=demo).delete()
    Approval.objects.filter(change__in=demo).delete()
    PostImplementationReview.objects.filter(change__in=demo).delete()
    demo.update(
        state=S.NEW,
        outcome="",
        approval_round=1,
        planned_start=None,
        planned_end=None,
        freeze_exception=False,
        freeze_exception_reason="",
        freeze_exception_by=None,
        risk_override="",
        risk_override_reason="",
    )
    existing = {}
    for change in demo.order_by("-pk"):
        existing[change.title] = change  # the oldest, should a title ever be doubled
    return existing


def place(spec: C, change, window, found, users, cab, index: int, now) -> ChangeRequest:
    """Raise the change of `spec` (or update `change`, its row from an earlier run) with its
    planned `window`, walk it through the services to its state and give its rows the times
    they would have had. `found`: (people, projects, items, templates) by key. Call inside
    services.recording_history()."""
    people, projects, items, templates = found
    start, end = window
    implementer = people.get(spec.implementer) if spec.implementer else None
    template = templates.get(spec.template) if spec.template else None
    fields = {
        "title": spec.title,
        "description": spec.description or (template.description if template else ""),
        "change_type": spec.type,
        "category": spec.category or (template.category if template else ""),
        "implementer": implementer,
        "team": implementer.team if implementer else None,
        "project": projects.get(spec.project),
        "template": template,
        "planned_start": start,
        "planned_end": end,
        "effort_hours": template.effort_hours if template else Decimal(spec.effort),
        "backout_plan": template.backout_plan if template else spec.backout,
        "test_plan": template.test_plan if template else spec.test,
    }
    on = [items[i] for i in spec.items] or list(template.items.all() if template else [])
    requester = users[spec.requester]
    if change is None:
        change = services.change_create(requester=requester, items=on, **fields)
    else:
        change = services.change_update(
            change=change, by=requester, items=on, requester=requester, **fields
        )
    events = _walk(spec, change, users, cab)
    _backdate(change, events, index, now)
    return change


@dataclass
class _Walk:
    """Moves one change with the services and notes each row it leaves, in order."""

    change: ChangeRequest
    cab: dict
    events: list

    def move(self, to: str, by, comment: str = "") -> None:
        self.change = services.change_transition(change=self.change, to=to, by=by, comment=comment)
        self.events.append(("transition", to))

    def decide(self, approver, decision: str, comment: str = "") -> None:
        before = self.change.state
        services.change_approve(
            change=self.change, approver=approver, decision=decision, comment=comment
        )
        self.change = ChangeRequest.objects.get(pk=self.change.pk)
        self.events.append(("approval", decision))
        if self.change.state != before:
            self.events.append(("transition", "auto"))  # the quorum moved it

    def eligible(self) -> list:
        """CAB members who may decide: not the requester, not the implementer."""
        change = self.change
        barred = {change.requester_id, getattr(change.implementer, "user_id", None)}
        return [u for u in self.cab.values() if u.pk not in barred]

    @property
    def doer(self):
        """Who carries out the work in the portal: the implementer if a user, else the
        requester."""
        person = self.change.implementer
        return person.user if person and person.user_id else self.change.requester


ORDER = [S.NEW, S.ASSESS, S.AUTHORIZE, S.SCHEDULED, S.IMPLEMENT, S.REVIEW, S.CLOSED]


def _walk(spec: C, change: ChangeRequest, users: dict, cab: dict) -> list:
    walk = _Walk(change, cab, [])
    target = spec.cancelled_from or spec.state
    reach = ORDER.index(target)
    requester, manager = change.requester, users["itsm_manager"]
    standard = spec.type == ChangeType.STANDARD
    if reach >= ORDER.index(S.ASSESS):
        walk.move(S.ASSESS, requester)
    if spec.rejected and reach >= ORDER.index(S.AUTHORIZE):
        walk.move(S.AUTHORIZE, requester)
        reason, answer = spec.rejected
        walk.decide(manager, Decision.REJECT, reason)
        walk.move(S.ASSESS, requester, answer)
    if not standard and reach >= ORDER.index(S.AUTHORIZE):
        walk.move(S.AUTHORIZE, requester)
    if reach >= ORDER.index(S.AUTHORIZE):
        exception = spec.exception
        if (
            not exception
            and reach >= ORDER.index(S.SCHEDULED)
            and spec.type != ChangeType.EMERGENCY
            and selectors.facts_for(walk.change).in_freeze
        ):
            exception = SAFETY_EXCEPTION
        if exception:
            walk.change = services.freeze_exception_grant(
                change=walk.change, by=manager, reason=exception
            )
    if not standard and reach >= ORDER.index(S.AUTHORIZE):
        approvers = walk.eligible()
        if reach == ORDER.index(S.AUTHORIZE):  # left waiting: some approvals, not enough
            # The demo's ITSM manager decides last, so his CAB queue shows every waiting one.
            approvers.sort(key=lambda u: u.username == "itsm_manager")
            _role, quorum = selectors.approval_needed(walk.change)
            for approver in approvers[: min(spec.approvals, quorum - 1)]:
                walk.decide(approver, Decision.APPROVE, _approval_comment(spec))
        else:
            for approver in approvers:
                if walk.change.state != S.AUTHORIZE:
                    break
                walk.decide(approver, Decision.APPROVE, "")
            if walk.change.state != S.SCHEDULED:
                raise RuntimeError(f"Demo change {spec.title!r} did not reach its quorum.")
    elif standard and reach >= ORDER.index(S.SCHEDULED):
        walk.move(S.SCHEDULED, requester)
    if spec.cancelled_from:
        by = manager if spec.cancelled_from == S.SCHEDULED else requester
        walk.move(S.CANCELLED, by, spec.cancel_reason)
        return walk.events
    if reach >= ORDER.index(S.IMPLEMENT):
        walk.move(S.IMPLEMENT, walk.doer)
    if reach >= ORDER.index(S.REVIEW) and not standard:
        walk.move(S.REVIEW, walk.doer)
    if spec.review and reach >= ORDER.index(S.REVIEW):
        outcome, incidents, notes = spec.review
        services.review_record(
            change=walk.change,
            by=requester if standard else manager,
            outcome=outcome,
            incidents_caused=incidents,
            notes=notes,
        )
        walk.events.append(("review", outcome))
    if reach >= ORDER.index(S.CLOSED):
        walk.move(S.CLOSED, requester if standard else manager)
    return walk.events


def _approval_comment(spec: C) -> str:
    if spec.when and spec.when[0] == "freeze":
        return "Fine technically, but not in the freeze: move it to January."
    return "Approved from my side; waiting for the rest of the CAB."


def _backdate(change: ChangeRequest, events: list, index: int, now: datetime) -> None:
    """Give the change's rows the times they would have had: raised days before its window
    (an emergency the same afternoon), assessed and approved in office hours in between,
    implemented in the window, reviewed the day after."""
    change.refresh_from_db()
    start, end = change.planned_start, change.planned_end
    lead = timedelta(days=5 + index % 6)
    if change.change_type == ChangeType.EMERGENCY:
        lead = timedelta(hours=5)  # raised the afternoon the advisory came out
    created = min(
        start - lead if start else now, now - timedelta(days=1 + index % 4, hours=index % 7)
    )
    office = _at(timezone.localdate(created), 9 + index % 7, index * 13 % 60)
    if (
        created.hour >= 9
        and office <= now - timedelta(hours=1)
        and (start is None or office <= start - timedelta(hours=3))
    ):
        created = office
    limit = min(start - timedelta(hours=2), now) if start else now
    planning = iter(
        _office_moments(
            created,
            limit,
            sum(
                1
                for table, what in events
                if table == "approval"
                or what in (S.NEW, S.ASSESS, S.AUTHORIZE, S.SCHEDULED, S.CANCELLED)
            ),
        )
    )
    moments, moment, review_at = [], created, None
    for table, what in events:
        if what == "auto":
            pass  # at the moment of the approval that reached the quorum
        elif table == "approval" or what in (
            S.NEW,
            S.ASSESS,
            S.AUTHORIZE,
            S.SCHEDULED,
            S.CANCELLED,
        ):
            moment = next(planning)
        elif what == S.IMPLEMENT:
            moment = start
        elif what == S.REVIEW:
            moment = end + timedelta(minutes=10)
        elif table == "review":
            next_day = _at(timezone.localdate(end) + timedelta(days=1), 11)
            moment = review_at = max(
                min(next_day, now - timedelta(minutes=20)), end + timedelta(minutes=20)
            )
        else:  # closed
            after = review_at or end
            moment = max(
                min(after + timedelta(hours=2), now - timedelta(minutes=5)),
                after + timedelta(minutes=30),
            )
        moments.append((table, moment))

    _history().bulk_update(
        list(_stamped(change.transitions.order_by("pk"), moments, "transition", "at")), ["at"]
    )
    Approval.objects.bulk_update(
        list(_stamped(change.approvals.order_by("pk"), moments, "approval", "decided_at")),
        ["decided_at"],
    )
    if review_at:
        PostImplementationReview.objects.filter(change=change).update(reviewed_at=review_at)
    ChangeRequest.objects.filter(pk=change.pk).update(created_at=created)


def _office_moments(created: datetime, limit: datetime, count: int) -> list[datetime]:
    """`count` increasing moments between `created` and `limit`, spread over the days in
    between and in office hours where there is room."""
    first = timezone.localdate(created)
    days = (timezone.localdate(limit) - first).days
    moments, previous = [], created
    for i in range(1, count + 1):
        day = first + timedelta(days=round(i * days / (count + 1)))
        moment = _at(day, 9) + timedelta(minutes=35 * i)
        if day == first:
            moment = max(moment, created + timedelta(minutes=20 * i))
        if moment >= limit:
            moment = created + (limit - created) * i / (count + 1)
        moment = max(moment, previous + timedelta(minutes=3))
        moments.append(moment)
        previous = moment
    return moments


def _stamped(queryset, moments, kind, attribute):
    wanted = [m for k, m in moments if k == kind]
    for row, moment in zip(queryset, wanted, strict=True):
        setattr(row, attribute, moment)
        yield row
