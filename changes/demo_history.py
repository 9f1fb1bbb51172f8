"""The demo's year of change history for the executive view (issue 16): the changes of the
four quarters before this one, raised, approved, implemented, reviewed and closed, so that the
dashboard's change success rate, failure rate, lead time, emergency share and CAB refusals have
values to compare quarter by quarter. The current quarter's story (changes/demo.py) is left as
it is: nothing here lands in it.

Fixed tables, no randomness: walked through the real services and backdated as
changes/demo.py does (`place`), keyed by title, so a second run rewalks each change in place.

The story: a steady year (successful rates in the eighties) until the quarter of the
self-service password reset (PRJ-0106) and service desk tooling (PRJ-0117) go-lives: the
password write-back locked staff out (a P1, handover/demo_history.py), the ticket migration was
backed out once and the telephony integration failed. Two changes were refused by the CAB
once before they were approved; the email directory-sync upgrade caused a P2 a quarter
earlier.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from itsm_pmo.demo import quarter_start
from portfolio import selectors as portfolio_selectors
from portfolio.choices import MilestoneKind

from . import services
from .choices import ChangeState, ChangeType, Outcome
from .demo import CAB, FIREWALL, NODES, PATCH, PGPATCH, TLS, C, _at, lookups, place, reset

S, T = ChangeState, ChangeType
OK, ISSUES = Outcome.SUCCESSFUL, Outcome.WITH_ISSUES
DONE = S.CLOSED

# The changes behind the P1 and the P2 (handover/demo_history.py logs the incidents).
P1_CHANGE = "Self-service password reset go-live: enable AD password write-back"
P2_CHANGE = "Upgrade the directory sync agent of the email tenant"

# A window: ("q", quarters back, day of the quarter (0: its first), hour, hours) or
# ("golive", project code, days from its go-live milestone, hour, hours). Days 8 to 75 of a
# quarter keep clear of the year-end freeze and of the quarter's ends.
HISTORY: list[tuple[tuple, C]] = [
    # --- Four quarters back: a steady quarter.
    (
        ("q", 4, 9, 19, 3),
        C(
            "Upgrade Keycloak to 23.0.7",
            T.NORMAL,
            DONE,
            ("Identity provider (Keycloak)",),
            (),
            implementer="security-2",
            category="Identity",
            description="Security release for the admin console.",
            review=(OK, 0, "Sign-in checked for portal, intranet and HR."),
        ),
    ),
    (
        ("q", 4, 16, 6, 4),
        C(
            "Expand SAN aggregate aggr_prod_01 by 20 TB",
            T.NORMAL,
            DONE,
            ("SAN storage array (NetApp AFF A400)",),
            (),
            implementer="platform-5",
            category="Storage",
            review=(OK, 0, "Aggregate at 64 %; rebalancing done overnight."),
        ),
    ),
    (
        ("q", 4, 22, 10, 2),
        C(
            "Scale prod-k8s-01 worker node pool from 18 to 21 nodes",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="platform-2",
            template=NODES,
            review=(OK, 0, "Three nodes added."),
        ),
    ),
    (
        ("q", 4, 27, 10, 2),
        C(
            "TLS certificate renewal – sso.example-bank.com",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="network-5",
            template=TLS,
            review=(OK, 0, "New certificate served; synthetic checks green."),
        ),
    ),
    (
        ("q", 4, 33, 19, 3),
        C(
            "Emergency patch: OpenSSL vulnerability on the SMTP relays",
            T.EMERGENCY,
            DONE,
            ("SMTP relay servers",),
            (),
            requester="cab_sec",
            implementer="platform-4",
            category="Security",
            effort="2",
            description="Vendor advisory for the TLS library; the relays face the internet.",
            review=(OK, 0, "Both relays patched by 21:00; no mail queued."),
        ),
    ),
    (
        ("q", 4, 41, 19, 3),
        C(
            "Upgrade the Veeam backup server to v12.1",
            T.NORMAL,
            DONE,
            ("Backup server (Veeam)",),
            (),
            implementer="platform-4",
            category="Backup",
            review=(ISSUES, 0, "Two jobs failed the first night (proxy certificates); rerun."),
        ),
    ),
    (
        ("q", 4, 48, 10, 2),
        C(
            "Add firewall rule: data warehouse to core banking (ETL)",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="network-3",
            template=FIREWALL,
            review=(OK, 0, "Rule live; the nightly load connected."),
        ),
    ),
    (
        ("q", 4, 55, 6, 4),
        C(
            "Patch the core banking Oracle RAC with release update 19.21",
            T.NORMAL,
            DONE,
            ("Core banking Oracle RAC cluster",),
            (),
            implementer="database-2",
            category="Database",
            effort="6",
            review=(OK, 0, "Rolling patch, one node at a time; no downtime."),
        ),
    ),
    # --- Three quarters back: the payments v4.0 release refused once, an intranet back-out.
    (
        ("q", 3, 10, 19, 3),
        C(
            "Upgrade Keycloak to 24.0.5",
            T.NORMAL,
            DONE,
            ("Identity provider (Keycloak)",),
            (),
            implementer="security-2",
            category="Identity",
            review=(OK, 0, "No sign-in errors."),
        ),
    ),
    (
        ("q", 3, 17, 19, 3),
        C(
            "Payments API v4.0 release",
            T.NORMAL,
            DONE,
            ("Payments API",),
            (),
            implementer="application-development-2",
            category="Release",
            effort="5",
            description="Instant payments for merchants.",
            rejected=(
                "No performance test results attached: bring them.",
                "Performance test at peak attached.",
            ),
            review=(ISSUES, 0, "Released; one merchant's settlement file needed a rerun."),
        ),
    ),
    (
        ("q", 3, 24, 19, 3),
        C(
            "Migrate the intranet CMS to PHP 8.3",
            T.NORMAL,
            DONE,
            ("Intranet CMS (WordPress)",),
            (),
            implementer="application-development-5",
            category="Release",
            review=(
                Outcome.BACKED_OUT,
                0,
                "Two plugins do not support PHP 8.3; back on 8.1 within the window.",
            ),
        ),
    ),
    (
        ("q", 3, 30, 19, 3),
        C(
            "Data warehouse: PostgreSQL 15.6 minor patch",
            T.STANDARD,
            DONE,
            ("Reporting data warehouse (PostgreSQL)",),
            (),
            implementer="database-3",
            template=PGPATCH,
            review=(OK, 0, "Replicas and primary patched; loads ran on time."),
        ),
    ),
    (
        ("q", 3, 36, 6, 4),
        C(
            "Replace the power supplies of the DC1 perimeter firewalls",
            T.NORMAL,
            DONE,
            ("DC1 perimeter firewall cluster (Palo Alto)",),
            (),
            implementer="network-2",
            category="Network",
            review=(OK, 0, "One node at a time; no session lost."),
        ),
    ),
    (
        ("q", 3, 43, 19, 3),
        C(
            "Upgrade the SD-WAN controllers to 20.12",
            T.NORMAL,
            DONE,
            ("Branch SD-WAN controllers",),
            (),
            implementer="network-2",
            category="Network",
            review=(OK, 0, "All 42 branches reconnected within 4 minutes."),
        ),
    ),
    (
        ("q", 3, 50, 10, 2),
        C(
            "Enable DNSSEC validation on the internal resolvers",
            T.NORMAL,
            DONE,
            ("Internal DNS and DHCP (Infoblox)",),
            (),
            implementer="network-5",
            category="Network",
            review=(OK, 0, "Validation on; no resolution failures in a week."),
        ),
    ),
    (
        ("q", 3, 57, 10, 2),
        C(
            "Add firewall rule: HR system to the payroll bureau test site (SFTP)",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="network-3",
            template=FIREWALL,
            review=(OK, 0, "Test export transferred."),
        ),
    ),
    (
        ("q", 3, 64, 19, 3),
        C(
            "Upgrade the data warehouse to PostgreSQL 15",
            T.NORMAL,
            DONE,
            ("Reporting data warehouse (PostgreSQL)",),
            (),
            implementer="database-3",
            category="Database",
            effort="8",
            review=(OK, 0, "Upgraded with pg_upgrade in 40 minutes."),
        ),
    ),
    # --- Two quarters back: the directory-sync upgrade that caused a P2.
    (
        ("q", 2, 9, 10, 2),
        C(
            "Scale prod-k8s-01 worker node pool from 21 to 24 nodes",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="platform-2",
            template=NODES,
            review=(OK, 0, "Three nodes added."),
        ),
    ),
    (
        ("q", 2, 15, 19, 3),
        C(
            "Upgrade Harbor to 2.10",
            T.NORMAL,
            DONE,
            ("Container registry (Harbor)",),
            (),
            implementer="platform-2",
            category="Platform",
            review=(OK, 0, "Registry and scanners upgraded; pulls unaffected."),
        ),
    ),
    (
        ("q", 2, 20, 19, 3),
        C(
            "Payments DB cluster: PostgreSQL 15.7 minor patch",
            T.STANDARD,
            DONE,
            ("Payments DB cluster (PostgreSQL 15)",),
            (),
            implementer="database-2",
            template=PGPATCH,
            review=(OK, 0, "Switchover in 9 seconds."),
        ),
    ),
    (
        ("q", 2, 26, 19, 3),
        C(
            P2_CHANGE,
            T.NORMAL,
            DONE,
            ("Email and collaboration tenant (SaaS)",),
            (),
            implementer="security-3",
            category="Identity",
            effort="3",
            description="The vendor ends support for the old agent next month.",
            review=(
                ISSUES,
                1,
                "Upgraded; the new agent dropped the shared mailboxes' delivery rules (a P2).",
            ),
        ),
    ),
    (
        ("q", 2, 31, 17, 2),
        C(
            "Emergency change: block the exploited MFA enrolment endpoint",
            T.EMERGENCY,
            DONE,
            ("MFA service (SaaS)",),
            (),
            requester="cab_sec",
            implementer="security-3",
            category="Security",
            effort="1",
            description="Attackers enrol their own devices with phished passwords.",
            review=(OK, 0, "Endpoint blocked; enrolment only from the office network."),
        ),
    ),
    (
        ("q", 2, 38, 6, 4),
        C(
            "Replace failed disks in the SAN storage array",
            T.NORMAL,
            DONE,
            ("SAN storage array (NetApp AFF A400)",),
            (),
            implementer="platform-5",
            category="Storage",
            review=(OK, 0, "Two disks replaced; reconstruction done in 6 hours."),
        ),
    ),
    (
        ("q", 2, 45, 6, 4),
        C(
            "Patch the core banking Oracle RAC with release update 19.23",
            T.NORMAL,
            DONE,
            ("Core banking Oracle RAC cluster",),
            (),
            implementer="database-2",
            category="Database",
            effort="6",
            review=(OK, 0, "Rolling patch; no downtime."),
        ),
    ),
    (
        ("q", 2, 52, 10, 2),
        C(
            "Add firewall rule: SD-WAN monitoring to the NOC collector",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="network-3",
            template=FIREWALL,
            review=(OK, 0, "Collector receives every branch."),
        ),
    ),
    (
        ("q", 2, 60, 19, 3),
        C(
            "Upgrade the CI runners to GitLab 17",
            T.NORMAL,
            DONE,
            ("CI/CD pipelines (GitLab runners)",),
            (),
            implementer="platform-2",
            category="Platform",
            review=(OK, 0, "Every team's pipelines green the next morning."),
        ),
    ),
    (
        ("q", 2, 66, 19, 3),
        C(
            "Linux kernel update – HR system servers",
            T.STANDARD,
            DONE,
            ("HR system application servers",),
            (),
            implementer="platform-4",
            template=PATCH,
            review=(OK, 0, "Both nodes patched and rebooted."),
        ),
    ),
    # --- The quarter before this one: the go-lives that went wrong, and the payments
    # migration's groundwork.
    (
        ("q", 1, 12, 19, 3),
        C(
            "Upgrade Keycloak to 25.0.2",
            T.NORMAL,
            DONE,
            ("Identity provider (Keycloak)",),
            (),
            implementer="security-2",
            category="Identity",
            review=(OK, 0, "No sign-in errors."),
        ),
    ),
    (
        ("golive", "PRJ-0106", -20, 19, 3),
        C(
            "Self-service password reset: load staff mobile numbers from HR",
            T.NORMAL,
            DONE,
            ("HR system database",),
            (),
            implementer="database-3",
            project="PRJ-0106",
            category="Data",
            review=(OK, 0, "Numbers loaded for 96 % of staff."),
        ),
    ),
    (
        ("golive", "PRJ-0117", -7, 18, 4),
        C(
            "Service desk tooling upgrade go-live: move the queues to the new platform",
            T.NORMAL,
            DONE,
            ("ITSM ticketing platform (SaaS)",),
            (),
            implementer="application-development-4",
            project="PRJ-0117",
            category="Release",
            effort="8",
            review=(
                Outcome.BACKED_OUT,
                0,
                "The ticket import stalled at 60 %; queues back on the old tool at 22:00.",
            ),
        ),
    ),
    (
        ("golive", "PRJ-0117", 0, 18, 4),
        C(
            "Service desk tooling upgrade go-live, second attempt",
            T.NORMAL,
            DONE,
            ("ITSM ticketing platform (SaaS)",),
            (),
            implementer="application-development-4",
            project="PRJ-0117",
            category="Release",
            effort="8",
            review=(OK, 0, "Import in batches of 10,000; every queue live by 21:30."),
        ),
    ),
    (
        ("golive", "PRJ-0117", 3, 19, 3),
        C(
            "Service desk tooling upgrade: contact centre telephony integration",
            T.NORMAL,
            DONE,
            ("Contact centre telephony (CCaaS)",),
            (),
            implementer="application-development-4",
            project="PRJ-0117",
            category="Integration",
            review=(
                Outcome.FAILED,
                0,
                "Calls did not open tickets; agents log them by hand until the vendor's fix.",
            ),
        ),
    ),
    (
        ("golive", "PRJ-0106", -1, 19, 3),
        C(
            P1_CHANGE,
            T.NORMAL,
            DONE,
            ("Active Directory domain controllers", "Identity provider (Keycloak)"),
            (),
            implementer="security-2",
            project="PRJ-0106",
            category="Identity",
            effort="4",
            description="Go-live: resets in the portal write the new password back to AD.",
            review=(
                ISSUES,
                1,
                "Live, but the write-back expired every staff password changed that evening: "
                "staff were locked out the next morning (a P1).",
            ),
        ),
    ),
    (
        ("q", 1, 40, 19, 3),
        C(
            "Payments gateway migration: production namespace and network policies",
            T.NORMAL,
            DONE,
            ("Production Kubernetes cluster (prod-k8s-01)",),
            (),
            implementer="platform-2",
            project="PRJ-0102",
            category="Platform",
            review=(OK, 0, "Namespace ready, dark."),
        ),
    ),
    (
        ("q", 1, 47, 10, 2),
        C(
            "Payments gateway migration: open the egress to the card schemes",
            T.NORMAL,
            DONE,
            ("DC1 perimeter firewall cluster (Palo Alto)",),
            (),
            implementer="network-3",
            project="PRJ-0102",
            category="Network",
            rejected=(
                "Which destinations? Bring the list from the old servers' firewall logs.",
                "The list of the three card schemes' endpoints attached.",
            ),
            review=(OK, 0, "Connections tested from the new namespace."),
        ),
    ),
    (
        ("q", 1, 53, 17, 2),
        C(
            "Emergency fix: replace the expired SSO signing certificate",
            T.EMERGENCY,
            DONE,
            ("Identity provider (Keycloak)",),
            (),
            requester="cab_sec",
            implementer="security-2",
            category="Security",
            effort="1",
            description="The signing certificate expired at 14:00: nobody signs in to anything.",
            review=(OK, 0, "New certificate at 17:40; sign-in back for everyone."),
        ),
    ),
    (
        ("q", 1, 60, 19, 3),
        C(
            "Data warehouse: PostgreSQL 15.8 minor patch",
            T.STANDARD,
            DONE,
            ("Reporting data warehouse (PostgreSQL)",),
            (),
            implementer="database-3",
            template=PGPATCH,
            review=(OK, 0, "Loads ran on time."),
        ),
    ),
    (
        ("q", 1, 66, 10, 2),
        C(
            "Add firewall rule: payments namespace to the HSM pair",
            T.STANDARD,
            DONE,
            (),
            (),
            implementer="network-3",
            template=FIREWALL,
            project="PRJ-0102",
            review=(OK, 0, "HSM reachable from the namespace."),
        ),
    ),
    (
        ("q", 1, 72, 19, 3),
        C(
            "Upgrade the SMTP relays to Postfix 3.9",
            T.NORMAL,
            DONE,
            ("SMTP relay servers",),
            (),
            implementer="platform-4",
            category="Email",
            review=(ISSUES, 0, "Statements queued for an hour until a TLS setting was fixed."),
        ),
    ),
]


def seed(ctx) -> None:
    now = timezone.now()
    current = quarter_start(0)
    specs = [spec for _, spec in HISTORY]
    people, projects = lookups(specs)
    go_lives = dict(
        portfolio_selectors.milestones()
        .filter(project__in=projects.values(), kind=MilestoneKind.GO_LIVE)
        .order_by("due_date")
        .values_list("project__code", "due_date")
    )
    found = (people, projects, ctx.made["configuration_items"], ctx.made["change_templates"])
    cab = {username: ctx.users[username] for username in CAB}
    existing = reset(specs)
    made = []
    with services.recording_history():
        for index, (when, spec) in enumerate(HISTORY):
            window = _window(when, current, go_lives)
            change = existing.get(spec.title)
            made.append(place(spec, change, window, found, ctx.users, cab, index, now))
    ctx.made["change_history"] = made
    ctx.counts["changes"] = ctx.counts.get("changes", 0) + len(made)


def _window(when: tuple, current: date, go_lives: dict) -> tuple[datetime, datetime]:
    """The planned window of a history change: always before the current quarter (a go-live
    that is not, or a project without one, is moved to just before it), so that its review,
    the day after, is before it too."""
    slot, key, offset, hour, hours = when
    if slot == "q":
        day = quarter_start(key) + timedelta(days=offset)
    else:
        day = go_lives.get(key, current) + timedelta(days=offset)
    day = min(day, current - timedelta(days=3))
    start = _at(day, hour)
    return start, start + timedelta(hours=hours)
