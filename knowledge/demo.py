"""Demo knowledge base: what the organisation learned from the demo's own story, and the
runbooks and known errors operations keep.

Lessons come from the backed-out payments API release and the incidents it caused, the
payments cut-over still in early-life support, the core banking upgrade that overloads the
Database team, the closed password-reset and service-desk projects, the year-end and month-end
freezes, the overbooked Kubernetes implementer and more. Most are published, a few drafts wait
for a publisher, two are archived. Every "applied" count is a real mark by a demo user in a
real context (a project, a change or a handover), so the numbers are honest; the proposals on
the payments gateway (open banking, mobile banking) meet the lessons of its earlier failure.

Written through the services (lesson_create, lesson_transition, lesson_mark_applied, ...), so
states and publication dates agree; only timestamps are moved back afterwards. Keyed by title:
a second run updates each lesson and article in place and re-links it to the rebuilt demo
incidents and handovers (handover.demo recreates them on every run)."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from changes import selectors as change_selectors
from handover import selectors as handover_selectors
from handover.incidents import selectors as incident_selectors
from portfolio import selectors as portfolio_selectors
from portfolio.choices import Stage

from . import services
from .choices import ArticleKind, Impact, KnowledgeState, LessonCategory
from .models import SOURCE_FIELDS, Article, Lesson, LessonApplication
from .permissions import may_publish_lessons

Cat, K, ST = LessonCategory, ArticleKind, KnowledgeState
HIGH, MEDIUM, LOW = Impact.HIGH, Impact.MEDIUM, Impact.LOW
DRAFT, ARCHIVED = ST.DRAFT, ST.ARCHIVED

V42 = "Payments API v4.2 release"
CUTOVER = "Payments gateway cut-over to the Kubernetes platform"
CARD_P1 = "Card payments declined after the v4.2 release"
REFUND_P2 = "Refund API timing out (connection pool exhausted)"


@dataclass(frozen=True)
class L:
    """One demo lesson. `source` is (kind, key): a project or handover by project code, a
    change or incident by title. `days`: published (a draft: written) that many days ago;
    `applied`: how many marks by demo users it has."""

    title: str
    category: str
    author: str
    what: str
    rec: str
    tags: tuple[str, ...] = ()
    impact: str = MEDIUM
    source: tuple[str, str] | None = None
    service: str | None = None  # None: the source's service
    state: str = ST.PUBLISHED
    days: int = 30
    applied: int = 0


LESSONS = [
    # --- The payments gateway: the backed-out v4.2 release, its incidents, the cut-over.
    L(
        "Load-test every payments API release at twice the peak",
        Cat.CHANGE,
        "itsm_manager",
        "The v4.2 release was load-tested at average traffic only. Twenty-five minutes into the "
        "evening peak card authorisations started timing out at the HSM and the release was "
        "rolled back to v4.1 at 20:10, after two P2 incidents and a P1.",
        "- Every release of the payments API brings a load test at **twice the peak** with "
        "production-like data, attached to the change before the CAB.\n"
        "- The DBA signs off the connection limits the new release needs.\n"
        "- No release goes out the evening before a settlement run.",
        ("load-testing", "release", "payments", "cab"),
        HIGH,
        ("change", V42),
        days=9,
        applied=7,
    ),
    L(
        "Size connection pools against the database's connection limit",
        Cat.TECHNICAL,
        "engineer",
        "v4.2 opened 20 connections per pod and the autoscaler went to 24 pods at peak: 480 "
        "connections against a `max_connections` of 400. The refund API timed out as soon as "
        "the pool was exhausted.",
        "Work out *pods × pool size × maximum replicas* before a release and keep it under 80 % "
        "of the database's limit; put pgbouncer in front and alarm at 80 % of the pool.",
        ("database", "connection-pool", "postgresql", "payments"),
        HIGH,
        ("incident", REFUND_P2),
        days=7,
        applied=5,
    ),
    L(
        "Alarm on HSM response time, not only on the error rate",
        Cat.TECHNICAL,
        "cab_ops",
        "Card authorisations slowed down at the HSM for twenty minutes before the error rate "
        "moved; the first alert came from a merchant calling the service desk.",
        "Add a latency alarm on the HSM calls (p95 over 300 ms for five minutes) and page the "
        "payments on-call; error-rate alarms fire far too late for a timeout.",
        ("monitoring", "hsm", "alerting", "payments"),
        HIGH,
        ("incident", CARD_P1),
        days=7,
        applied=3,
    ),
    L(
        "Write the back-out trigger into the change, not on the bridge",
        Cat.CHANGE,
        "itsm_manager",
        "During the v4.2 release the bridge spent 25 minutes debating whether to roll back "
        "while authorisations kept failing.",
        "Every normal change states its back-out trigger (*error rate over 2 % for 10 minutes*, "
        "say) and who decides. When the trigger fires, the implementer backs out without a "
        "debate.",
        ("backout", "major-incident", "cab"),
        HIGH,
        ("change", V42),
        days=8,
        applied=3,
    ),
    L(
        "Keep the old payments servers warm until early-life support ends",
        Cat.CHANGE,
        "engineer",
        "The cut-over's back-out plan switched the load-balancer pool back to the DC1 servers. "
        "We only could because the servers were kept running for a month after go-live.",
        "Keep the old platform warm and routable until the handover's early-life support exit "
        "criteria are met; raise the decommission change only after early-life support ends.",
        ("cutover", "decommission", "payments"),
        MEDIUM,
        ("change", CUTOVER),
        "Payments Gateway",
        days=5,
        applied=4,
    ),
    L(
        "Egress allow-list missed when the payments gateway moved to the new cluster",
        Cat.TECHNICAL,
        "engineer",
        "Two merchants saw timeouts for twenty minutes after the cut-over: the new cluster's "
        "egress allow-list did not include the card scheme endpoints the old servers reached "
        "directly.",
        "Before a migration to a new cluster or network, list every outbound destination from "
        "the old servers' firewall logs (30 days) and test each from the new platform during "
        "the rehearsal.",
        ("kubernetes", "network-policy", "migration", "payments"),
        MEDIUM,
        ("change", CUTOVER),
        "Payments Gateway",
        days=6,
        applied=2,
    ),
    L(
        "Tell merchants before a payments release, not after",
        Cat.COMMUNICATION,
        "pmo_lead",
        "Merchants learned about the v4.2 refund API from their own failed calls; the account "
        "managers heard about the back-out from the merchants.",
        "Announce payments releases to merchants five working days ahead with the window and "
        "the fallback; send the all-clear or the back-out notice within the hour.",
        ("merchants", "release-notes", "payments"),
        MEDIUM,
        ("incident", CARD_P1),
        days=6,
        applied=2,
    ),
    L(
        "One voice to the business during a major incident",
        Cat.COMMUNICATION,
        "itsm_manager",
        "During the card payments P1 three engineers updated three different business "
        "contacts with three different estimates.",
        "Name an incident communicator on the bridge at minute one: every update to the "
        "business goes through them, every 30 minutes, even when there is no news.",
        ("major-incident", "communication", "bridge"),
        MEDIUM,
        ("incident", CARD_P1),
        days=5,
        applied=3,
    ),
    L(
        "Keep payments releases out of the month-end close",
        Cat.SCHEDULING,
        "itsm_manager",
        "The first date proposed for v4.3 was the last business day of the month, inside the "
        "finance close when settlement runs cannot be interrupted.",
        "Check the month-end freeze of the finance services in the change calendar before "
        "proposing a date for anything on the payments gateway or core banking.",
        ("freeze", "month-end", "payments"),
        MEDIUM,
        None,
        "Payments Gateway",
        days=4,
        applied=4,
    ),
    L(
        "Sequence changes on the same service instead of stacking them",
        Cat.CHANGE,
        "cab_ops",
        "The v4.3 release and a PostgreSQL patch on the payments database were planned for the "
        "same evening; had either failed, nobody could have told which caused it.",
        "One change per service per window. When the calendar shows a collision, the CAB asks "
        "which goes first and moves the other to the next window.",
        ("collision", "change-calendar", "payments"),
        MEDIUM,
        None,
        "Payments Gateway",
        days=3,
        applied=2,
    ),
    L(
        "Give third-party providers a sandbox months before a regulator's deadline",
        Cat.VENDOR,
        "pmo_lead",
        "For the first PSD2 APIs the sandbox opened six weeks before the regulator's deadline; "
        "third-party providers found the consent flow broken in week five and the deadline "
        "was met with a waiver.",
        "Open a sandbox with test data at least four months before the deadline, publish the "
        "API specification first, and track which providers have completed an end-to-end test.",
        ("regulatory", "api", "third-party", "payments"),
        HIGH,
        None,
        "Payments Gateway",
        days=240,
        applied=1,
    ),
    L(
        "Plan early-life support effort from the last go-live's incident rate",
        Cat.HANDOVER,
        "pmo_lead",
        "The payments handover planned 40 hours a week of early-life support. Five incidents "
        "in the first week used the whole budget by Wednesday.",
        "Size early-life support from the incident rate of the last comparable go-live on the "
        "service, not from a default; review the effort at the first weekly check-in.",
        ("early-life-support", "hypercare", "capacity"),
        MEDIUM,
        ("handover", "PRJ-0102"),
        days=6,
        applied=1,
    ),
    L(
        "Check settlement files end to end after a platform move",
        Cat.TECHNICAL,
        "engineer",
        "After the cut-over the settlement file reached the bank two hours late: the new "
        "cluster's scheduler ran in UTC while the old servers ran in local time.",
        "Add the settlement file's arrival at the bank to the cut-over test plan and check the "
        "time zone of every scheduled job on the new platform.",
        ("settlement", "scheduling", "timezone", "payments"),
        MEDIUM,
        ("incident", "Settlement file late to the bank"),
        state=DRAFT,
        days=3,
    ),
    # --- Core banking: the upgrade, its rehearsals and the overloaded Database team.
    L(
        "Rehearse a database upgrade with production volumes",
        Cat.TECHNICAL,
        "itsm_manager",
        "The first rehearsal used a 10 % copy and took an hour. The second, with a full "
        "production copy restored to the standby, took 5 h 40 min of an 8 h window.",
        "Rehearse at least twice with production volumes, time every step, and keep the "
        "measured time under 75 % of the window; if it is not, split the change.",
        ("rehearsal", "oracle", "upgrade", "core-banking"),
        HIGH,
        ("change", "Core banking upgrade rehearsal: restore production copy to DC2"),
        days=20,
        applied=3,
    ),
    L(
        "Do not plan hypercare on a team already at 85 %",
        Cat.RESOURCING,
        "pmo_lead",
        "The core banking handover planned a person-week of early-life support from the "
        "Database team, which the heatmap already showed at 85 % with the upgrade itself. "
        "The support-overload conflict appeared the day the handover was opened.",
        "Look at the receiving team's load for the weeks of early-life support before fixing "
        "the go-live; borrow a DBA from another team or stagger the go-lives.",
        ("hypercare", "capacity", "database-team", "heatmap"),
        HIGH,
        ("project", "PRJ-0104"),
        days=12,
        applied=4,
    ),
    L(
        "Name a second DBA for every critical go-live",
        Cat.RESOURCING,
        "pmo_lead",
        "One DBA knew the core banking upgrade scripts and was also on call for the whole "
        "Oracle estate the same week.",
        "A second named person rehearses with the first and can run the runbook alone; the "
        "on-call rota is changed so neither is on call during the go-live week.",
        ("single-point-of-failure", "on-call", "database-team"),
        MEDIUM,
        ("project", "PRJ-0104"),
        days=15,
        applied=2,
    ),
    L(
        "Put extended-support end dates on the portfolio roadmap",
        Cat.SCHEDULING,
        "pmo_lead",
        "The core banking upgrade started five months before extended support ended, which "
        "left no slack for a third rehearsal or a slipped vendor patch.",
        "Keep a register of end-of-support dates for every mission-critical service and "
        "propose the upgrade project 18 months ahead.",
        ("end-of-support", "roadmap"),
        MEDIUM,
        ("project", "PRJ-0104"),
        days=60,
        applied=2,
    ),
    L(
        "Check the standby's hardware before an upgrade window",
        Cat.TECHNICAL,
        "cab_ops",
        "Two failed disks on the DC2 standby shelf were found during the upgrade rehearsal; a "
        "fail-over in that state would have run on a degraded array.",
        "Add a hardware health check of the standby to the readiness checks a week before "
        "any database upgrade, and replace failed parts before the window.",
        ("standby", "storage", "core-banking"),
        MEDIUM,
        None,
        "Core Banking Database",
        days=10,
        applied=1,
    ),
    L(
        "Standby backup failures went unnoticed for three nights",
        Cat.TECHNICAL,
        "engineer",
        "The backup job of the core banking standby failed three nights in a row; the failure "
        "mails went to a team mailbox nobody reads at night.",
        "Route backup failures of mission-critical databases to the on-call rota as incidents, "
        "not mails, and show the last good backup on the service's dashboard.",
        ("backup", "alerting", "core-banking"),
        HIGH,
        ("incident", "Backup job failed for the core banking standby"),
        state=DRAFT,
        days=1,
    ),
    L(
        "A backup nobody restored is not a backup",
        Cat.TECHNICAL,
        "itsm_manager",
        "When the HR database had to be restored last spring, the newest usable backup was "
        "eleven days old: the nightly job had been writing empty files since a path change.",
        "Restore a critical database from backup every quarter, time it, and check the data; "
        "record the restore time in the service's runbook.",
        ("backup", "restore", "dr"),
        HIGH,
        None,
        "Backup Service",
        days=150,
        applied=3,
    ),
    L(
        "A yearly manual fail-over test keeps the DR plan honest",
        Cat.TECHNICAL,
        "cab_ops",
        "The yearly fail-over test found two undocumented manual steps.",
        "Run the fail-over test once a year with the runbook in hand.",
        ("dr", "failover"),
        MEDIUM,
        None,
        "Core Banking Database",
        state=ARCHIVED,
        days=400,
        applied=2,
    ),
    # --- Customer portal pilot and the closed handovers.
    L(
        "Close mandatory readiness checks two weeks before go-live",
        Cat.HANDOVER,
        "itsm_manager",
        "The password-reset runbook and the service-desk training were signed off the day "
        "before go-live; the desk took the first calls with a draft runbook.",
        "Plan every mandatory readiness check to close two weeks before go-live; a check still "
        "open at week -1 goes to the go/no-go meeting as a blocker.",
        ("readiness", "go-live", "runbook"),
        HIGH,
        ("handover", "PRJ-0106"),
        days=70,
        applied=5,
    ),
    L(
        "The project drafts the runbook, operations own it",
        Cat.HANDOVER,
        "itsm_manager",
        "The service-desk tooling runbook was written by the project and never opened by the "
        "desk until the first incident, when half of it turned out to be about the test "
        "environment.",
        "The receiving team reviews the runbook in readiness review and "
        "becomes its owner at acceptance; the project answers their questions until closure.",
        ("runbook", "ownership", "handover"),
        MEDIUM,
        ("handover", "PRJ-0117"),
        days=75,
        applied=3,
    ),
    L(
        "Train the service desk before go-live, not during early-life support",
        Cat.HANDOVER,
        "itsm_manager",
        "Desk analysts learned the new ticketing tool from the incidents of its first week.",
        "Training is a mandatory readiness check; book it in week -3 with the real screens, "
        "and give the desk a one-page what-changed note.",
        ("training", "service-desk", "readiness"),
        MEDIUM,
        ("project", "PRJ-0117"),
        days=80,
        applied=4,
    ),
    L(
        "A pilot go-live still needs the full runbook",
        Cat.HANDOVER,
        "engineer",
        "The portal pilot's readiness review treats the runbook as optional because only 500 "
        "customers are in the pilot.",
        "Five hundred real customers are production: the pilot needs the same runbook, "
        "monitoring and on-call as the full launch.",
        ("pilot", "runbook", "go-live"),
        MEDIUM,
        ("project", "PRJ-0101"),
        state=DRAFT,
        days=2,
    ),
    L(
        "Test WAF rules with real customer journeys before switching www",
        Cat.TECHNICAL,
        "cab_sec",
        "A new WAF policy in blocking mode stopped customers uploading documents larger than "
        "8 MB on the old portal.",
        "Run the WAF policy in detection mode for a week with real traffic, review what it "
        "would have blocked, then switch to blocking outside business hours.",
        ("waf", "customer-portal", "security"),
        MEDIUM,
        None,
        "Customer Portal",
        days=120,
        applied=1,
    ),
    L(
        "Load-test the portal against the payments API it calls",
        Cat.TECHNICAL,
        "engineer",
        "The portal's load test stubbed the payments API, so nobody measured how many calls a "
        "page makes to it; the pilot's first estimate was three times too low.",
        "Load-test a new front end against the real APIs behind it (in the test environment) "
        "and share the expected call rate with the API's owners.",
        ("load-testing", "api", "customer-portal"),
        MEDIUM,
        None,
        "Customer Portal",
        days=18,
        applied=1,
    ),
    # --- Identity: the self-service password reset project and MFA.
    L(
        "Password reset mails rejected by the SMTP relay's sender policy",
        Cat.TECHNICAL,
        "engineer",
        "After go-live the reset mails were sent from a new address that the SMTP relay's "
        "sender policy did not allow; they were dropped without a bounce.",
        "When a new application sends mail, add its sender to the relay policy and SPF record "
        "in the build, and test delivery to an external mailbox before go-live.",
        ("email", "smtp", "identity"),
        MEDIUM,
        ("incident", "Password reset emails not arriving"),
        days=65,
        applied=2,
    ),
    L(
        "Count desk calls before and after, or the benefit is a guess",
        Cat.COMMUNICATION,
        "pmo_lead",
        "The password-reset business case promised 18 % fewer desk calls, but nobody had "
        "counted reset calls by category before go-live.",
        "Baseline the benefit's measure before the project starts, with the same report you "
        "will use at the benefits review.",
        ("benefits", "baseline"),
        LOW,
        ("project", "PRJ-0106"),
        days=60,
        applied=2,
    ),
    L(
        "Tell staff about MFA changes a week ahead, with screenshots",
        Cat.COMMUNICATION,
        "cab_sec",
        "Number matching went live with a one-line mail; the desk took 140 calls on the "
        "first morning.",
        "Announce sign-in changes a week ahead with screenshots of the new prompt, and again "
        "the day before; brief the desk first.",
        ("mfa", "identity", "staff-communication"),
        MEDIUM,
        ("change", "Enable MFA number matching for all staff"),
        days=1,
        applied=1,
    ),
    L(
        "Check every relying party after a Keycloak upgrade",
        Cat.TECHNICAL,
        "cab_sec",
        "The test plan of a previous Keycloak upgrade checked only the customer portal; the "
        "HR system's SAML sign-in broke and was found by payroll the next morning.",
        "List every relying party (portal, intranet, HR, ticketing) in the test plan and sign "
        "in to each after the upgrade.",
        ("keycloak", "sso", "test-plan"),
        MEDIUM,
        ("change", "Upgrade Keycloak to 25.0.6"),
        days=14,
        applied=1,
    ),
    # --- Service desk tooling.
    L(
        "Rebuild the search index after a ticketing tool upgrade",
        Cat.TECHNICAL,
        "itsm_manager",
        "After the ticketing upgrade the desk's search returned nothing for a day: the "
        "upgrade had dropped the search index and nobody rebuilt it.",
        "Add *rebuild and check the search index* to the upgrade runbook and to the test plan "
        "(search for a known ticket number).",
        ("search", "upgrade", "service-desk"),
        MEDIUM,
        ("incident", "Service desk tool search returns nothing"),
        days=78,
        applied=2,
    ),
    L(
        "A virtual agent answers only from curated articles",
        Cat.VENDOR,
        "pmo_lead",
        "The vendor's chatbot demo answered from the whole knowledge base, including retired "
        "articles, and gave customers an outdated password policy.",
        "Feed a chatbot or virtual agent only published, owned articles with a review date; "
        "retire its answer when the article is archived.",
        ("chatbot", "virtual-agent", "knowledge"),
        MEDIUM,
        None,
        "Service Desk Tooling",
        days=45,
        applied=1,
    ),
    # --- Network and certificates.
    L(
        "Branch VPN drops traced to the firewall's idle timeout",
        Cat.TECHNICAL,
        "cab_ops",
        "Branch staff lost the VPN every 30 minutes: the firewall's idle timeout was shorter "
        "than the client's keep-alive interval after a profile change.",
        "Keep the VPN client's keep-alive under the firewall's idle timeout and check both in "
        "the test plan of any firewall profile change.",
        ("vpn", "firewall", "network"),
        MEDIUM,
        ("incident", "VPN drops every 30 minutes for branch staff"),
        days=4,
        applied=1,
    ),
    L(
        "Order branch hardware before the design sign-off",
        Cat.VENDOR,
        "pmo_lead",
        "In the first wave of the branch refresh the switches arrived eleven weeks late and "
        "the installation teams stood idle.",
        "Place hardware orders with long lead times as soon as the model is chosen, with a "
        "cancellation clause, and track the delivery date as a milestone.",
        ("procurement", "lead-time", "network"),
        MEDIUM,
        ("project", "PRJ-0105"),
        days=200,
        applied=2,
    ),
    L(
        "Ask the vendor for a hotfix before scheduling a reboot",
        Cat.VENDOR,
        "cab_ops",
        "A core switch reboot was scheduled to clear a memory leak; the vendor's hotfix freed "
        "the memory without any outage and the change was cancelled.",
        "Open a vendor case before any corrective reboot of a core device; the CAB asks for "
        "the case number.",
        ("vendor", "network", "outage-avoided"),
        LOW,
        ("change", "Reboot DC1 core switch A to clear a memory leak"),
        days=4,
        applied=1,
    ),
    L(
        "Do not renew a certificate and upgrade firmware on the same device in one morning",
        Cat.CHANGE,
        "itsm_manager",
        "The www certificate renewal and the load balancer firmware upgrade were scheduled for "
        "the same Saturday morning on the same pair.",
        "The CAB treats work on one configuration item as one window: renew the certificate "
        "first, upgrade the firmware the week after.",
        ("collision", "certificate", "f5"),
        MEDIUM,
        ("change", "TLS certificate renewal – www.example-bank.com"),
        days=3,
        applied=2,
    ),
    L(
        "Track certificate expiry dates in the CMDB, not in a calendar",
        Cat.TECHNICAL,
        "cab_sec",
        "The HSM's TLS and scheme certificates expire on 31 December, inside the year-end "
        "freeze; the date lived only in one engineer's calendar.",
        "Record every certificate's expiry on its configuration item, alert 60 days ahead, "
        "and renew before any freeze that would cover the expiry date.",
        ("certificate", "expiry", "hsm", "freeze"),
        HIGH,
        ("change", "Renew the payment HSM certificates before they expire"),
        days=11,
        applied=3,
    ),
    L(
        "Know which devices run a vulnerable release within the hour",
        Cat.TECHNICAL,
        "cab_sec",
        "When the PAN-OS advisory came out it took three hours to confirm which firewalls ran "
        "the vulnerable release, because the inventory was a spreadsheet.",
        "Keep software versions of every network device and server in the CMDB, fed by a "
        "scanner, so an advisory is answered with a query, not a phone round.",
        ("vulnerability", "inventory", "scanning", "emergency-change"),
        HIGH,
        ("change", "Emergency patch: PAN-OS vulnerability under active exploitation"),
        days=5,
        applied=2,
    ),
    # --- Kubernetes and the overbooked implementer.
    L(
        "An overbooked implementer is a change risk",
        Cat.RESOURCING,
        "itsm_manager",
        "The Kubernetes 1.31 changes all name the same platform engineer, who is already "
        "over-allocated in the weeks of the upgrade.",
        "Before approving, the CAB looks at the implementer's load in the change's week and "
        "asks for a second implementer when it is over 100 %.",
        ("overbooked", "implementer", "cab", "kubernetes"),
        HIGH,
        ("project", "PRJ-0113"),
        days=6,
        applied=3,
    ),
    L(
        "Upgrade Kubernetes one minor version at a time",
        Cat.TECHNICAL,
        "engineer",
        "Skipping a minor version on the test cluster left deprecated APIs in two Helm charts "
        "that only failed at deploy time.",
        "Upgrade one minor version at a time, test cluster first, and run a deprecated-API "
        "scan of every chart before each step.",
        ("kubernetes", "upgrade", "helm"),
        MEDIUM,
        ("project", "PRJ-0113"),
        days=25,
        applied=2,
    ),
    L(
        "Memory requests, not limits, decide when a node pool is full",
        Cat.TECHNICAL,
        "engineer",
        "The node pool reached 95 % memory although usage was at 60 %: the scheduler counts "
        "requests, and several teams request far more than they use.",
        "Review requests against usage every month and set the autoscaler on requests; add "
        "nodes by the standard change before 85 %.",
        ("kubernetes", "capacity", "autoscaling"),
        MEDIUM,
        ("incident", "Kubernetes node pool at 95 % memory"),
        state=DRAFT,
        days=1,
    ),
    L(
        "Switch pod security to enforce only after a week of warn",
        Cat.CHANGE,
        "engineer",
        "In the test cluster, enforcing the restricted profile at once stopped three "
        "team deployments that ran as root.",
        "Run a week in warn mode, send each team its warnings, and enforce only when the "
        "warnings are gone.",
        ("kubernetes", "pod-security", "security"),
        MEDIUM,
        ("change", "Kubernetes 1.31 go-live: enforce pod security standards"),
        days=8,
        applied=1,
    ),
    # --- Freezes, CAB and the calendar.
    L(
        "Check the year-end freeze before fixing a go-live date",
        Cat.SCHEDULING,
        "pmo_lead",
        "Last year two go-lives were planned for the week before Christmas and had to move to "
        "January, each losing a month.",
        "Look at the change calendar's freezes when the go-live milestone is set, not when "
        "the change is raised; aim for early December or mid-January.",
        ("freeze", "year-end", "go-live", "planning"),
        HIGH,
        None,
        None,
        days=300,
        applied=6,
    ),
    L(
        "A freeze exception needs the business reason",
        Cat.CHANGE,
        "itsm_manager",
        'The intranet move came to the CAB inside the year-end freeze with "it is a small '
        'change" as the only reason.',
        "Ask for an exception only when waiting costs the business more than the risk (an "
        "expiring certificate, a regulatory date), and say so in one sentence.",
        ("freeze", "exception", "cab"),
        MEDIUM,
        ("change", "Move the intranet CMS onto Kubernetes"),
        days=2,
        applied=2,
    ),
    L(
        "Cancel superseded changes early so the calendar stays honest",
        Cat.CHANGE,
        "itsm_manager",
        "The HR database migration stayed in assessment for weeks after the HR replacement "
        "project made it pointless, and it blocked a slot on the calendar.",
        "When a project supersedes a change, the change's requester cancels it the same week "
        "with the project's reference.",
        ("change-calendar", "housekeeping"),
        LOW,
        ("change", "Migrate HR database to the shared SQL cluster"),
        days=7,
        applied=1,
    ),
    L(
        "The weekly CAB is fast enough for emergency changes",
        Cat.CHANGE,
        "itsm_manager",
        "Emergency changes waited for the Thursday CAB.",
        "Keep emergencies for the weekly CAB unless a service is down.",
        ("cab", "emergency"),
        LOW,
        None,
        None,
        state=ARCHIVED,
        days=380,
        applied=1,
    ),
    # --- Vendors, HR, email, data.
    L(
        "Start the replacement a year before the vendor ends support",
        Cat.VENDOR,
        "pmo_lead",
        "The HR system vendor announced the end of support with fourteen months' notice; "
        "procurement alone took six.",
        "When a vendor announces end of support, raise the replacement proposal within a "
        "month and plan procurement into the timeline.",
        ("end-of-support", "procurement", "vendor"),
        MEDIUM,
        ("project", "PRJ-0111"),
        days=90,
        applied=1,
    ),
    L(
        "Monday payroll batch overlaps the login peak",
        Cat.TECHNICAL,
        "engineer",
        "The HR system was slow every Monday from 8:30: the weekly payroll export ran at 8:00 "
        "and held locks while everyone signed in.",
        "Move heavy batches out of the business day's first hours and check the batch "
        "calendar when users report slowness at fixed times.",
        ("batch", "performance", "hr"),
        LOW,
        ("incident", "HR system slow on Monday mornings"),
        days=10,
    ),
    L(
        "Agree the licence count at design sign-off",
        Cat.VENDOR,
        "pmo_lead",
        "The email migration paused for licensing talks after two waves, with half of the "
        "mailboxes moved and two systems to run.",
        "Fix the licence count and price for the whole migration before the first wave; a "
        "pause half-way costs more than a generous licence.",
        ("licensing", "migration", "vendor"),
        MEDIUM,
        ("project", "PRJ-0110"),
        days=50,
        applied=1,
    ),
    L(
        "Show the age of the data on every dashboard",
        Cat.TECHNICAL,
        "pmo_lead",
        "The payments dashboard showed yesterday's figures as if they were today's after the "
        "nightly load failed; two reports to the board used them.",
        "Every dashboard and report shows when its data was last loaded, and turns amber when "
        "the nightly load is late; reporting databases get a freshness check.",
        ("dashboards", "reporting", "data-quality"),
        MEDIUM,
        None,
        "Data Warehouse",
        days=3,
        applied=2,
    ),
    L(
        "Agree one definition per measure before merging reporting databases",
        Cat.COMMUNICATION,
        "pmo_lead",
        "The finance and risk reporting databases counted active customers differently; the "
        "first merged board report showed 40,000 customers fewer than the month before and "
        "took two weeks to explain.",
        "Before consolidating reporting databases or building dashboards on them, have each "
        "business measure defined once, with an owner, and reconcile old and new figures for a "
        "month.",
        ("data-definitions", "reporting", "data-warehouse"),
        HIGH,
        None,
        "Data Warehouse",
        days=130,
        applied=1,
    ),
    L(
        "App store review adds days to every mobile release",
        Cat.VENDOR,
        "pmo_lead",
        "The mobile banking app v2 missed its launch date by nine days: the store review asked "
        "twice for changes to the permissions text for push notifications.",
        "Plan two weeks for the app store reviews in the mobile app's timeline, submit a beta "
        "early, and keep the backend APIs backwards compatible with the previous app version.",
        ("mobile-app", "app-store", "release"),
        MEDIUM,
        None,
        "Customer Portal",
        days=210,
        applied=1,
    ),
    L(
        "Run the old and new schedulers side by side when moving ETL jobs",
        Cat.TECHNICAL,
        "engineer",
        "The move of 140 nightly ETL jobs to Airflow runs with the old scheduler still "
        "installed until Friday.",
        "Keep the old scheduler's jobs paused but ready for a week, compare the row counts of "
        "both for every job, and switch back per job, not all at once.",
        ("etl", "airflow", "migration", "reporting"),
        MEDIUM,
        ("change", "Migrate nightly ETL jobs to Airflow 2.10"),
        "Data Warehouse",
        state=DRAFT,
        days=0,
    ),
]

# title, kind, owner, service, source incident, state, next review (days from today),
# published (days ago), body
ARTICLES = [
    (
        "Payments gateway: fail back to the DC1 servers",
        K.RUNBOOK,
        "engineer",
        "Payments Gateway",
        None,
        ST.PUBLISHED,
        90,
        7,
        """\
## When to use it

During early-life support of the Kubernetes cut-over, when the payments API on prod-k8s-01 is
failing and a fix will take longer than 30 minutes. The decision is the incident manager's.

## Before you start

1. Open a P1 incident and join the bridge.
2. Check that the DC1 pool is healthy on the F5: all members green.

## Steps

1. On the external F5 pair, switch the virtual server `vs_payments_api` to the DC1 pool:

   ```
   tmsh modify ltm virtual vs_payments_api pool pool_payments_dc1
   tmsh save sys config
   ```

2. Watch the authorisation rate on the payments dashboard: it recovers within two minutes.
3. Scale the Kubernetes deployment to zero so nothing writes twice:

   ```
   kubectl -n payments scale deployment payments-api --replicas=0
   ```

## Afterwards

- Record the fail-back on the incident and on the cut-over change.
- Do not fail forward again without a CAB decision.
""",
    ),
    (
        "TLS certificate renewal on the F5 load balancers",
        K.RUNBOOK,
        "cab_ops",
        "Corporate Network",
        None,
        ST.PUBLISHED,
        -6,
        200,
        """\
## Scope

Certificates served by the external F5 pair: www, api.payments and the partner endpoints.

## Steps

1. Generate the CSR on the F5 (2048-bit RSA or P-256) and send it to the CA.
2. Import the signed certificate and its chain:

   ```
   tmsh install sys crypto cert www-2026 from-local-file /var/tmp/www-2026.crt
   ```

3. Update the client SSL profile to the new certificate; keep the old one for 30 days.
4. Check the served chain from outside:

   ```
   openssl s_client -connect www.example-bank.com:443 -servername www.example-bank.com
   ```

## Back-out

Re-bind the previous certificate in the client SSL profile.
""",
    ),
    (
        "Core banking: restore a production copy to the DC2 standby",
        K.RUNBOOK,
        "itsm_manager",
        "Core Banking Database",
        None,
        ST.PUBLISHED,
        150,
        20,
        """\
## Purpose

Rehearsals of the core banking upgrade, and recovery when the standby must be rebuilt.

## Timings (second rehearsal)

| step | time |
| --- | --- |
| RMAN restore | 3 h 55 min |
| recovery and open | 1 h 10 min |
| checks | 35 min |

## Steps

1. Stop redo apply on the standby and take it out of the Data Guard configuration.
2. Restore from the latest level-0 backup:

   ```
   RMAN> RESTORE DATABASE;
   RMAN> RECOVER DATABASE UNTIL TIME "SYSDATE-1/24";
   ```

3. Open with `RESETLOGS` and run the ledger totals check from the runbook's appendix.
4. Re-instantiate the standby from the primary when the rehearsal is done.
""",
    ),
    (
        "Payments DB cluster: planned Patroni switchover",
        K.RUNBOOK,
        "engineer",
        "Payments Gateway",
        None,
        ST.PUBLISHED,
        -12,
        180,
        """\
## Steps

1. Check replication lag is under 5 seconds on both replicas:

   ```
   patronictl -c /etc/patroni.yml list
   ```

2. Pause the settlement jobs if a run is due within the hour.
3. Switch over to the healthiest replica:

   ```
   patronictl -c /etc/patroni.yml switchover --candidate pg-pay-02 --force
   ```

4. Check pgbouncer reconnected: `SHOW POOLS;` shows the new primary.

## Watch out

- The refund API holds long connections: restart its pods if errors persist after 2 minutes.
""",
    ),
    (
        "Scale the Kubernetes worker node pool",
        K.HOW_TO,
        "engineer",
        "Kubernetes Platform",
        None,
        ST.PUBLISHED,
        120,
        60,
        """\
A **standard change** (template *Scale Kubernetes node pool*): no CAB, within 12 to 48 nodes.

1. Raise the standard change from the template.
2. Change the pool size in Terraform and apply:

   ```
   terraform apply -var worker_count=27
   ```

3. Check the new nodes are `Ready` and pending pods are scheduled.

Scale on **memory requests**, not on usage: see the lesson on node-pool capacity.
""",
    ),
    (
        "Ask for a freeze exception",
        K.HOW_TO,
        "itsm_manager",
        None,
        None,
        ST.PUBLISHED,
        60,
        40,
        """\
## When

A change must happen inside the year-end or month-end freeze and cannot wait.

## How

1. Raise the change as usual, with its window inside the freeze.
2. In the exception request, give the **business** reason in one sentence: what happens if
   it waits (an expiring certificate, a regulator's date).
3. The ITSM manager grants or refuses it; only then can the CAB approve.

Emergency changes do not need an exception, but they are reviewed after the freeze.
""",
    ),
    (
        "Write a back-out plan the CAB will accept",
        K.HOW_TO,
        "itsm_manager",
        None,
        None,
        ST.PUBLISHED,
        100,
        90,
        """\
A back-out plan answers three questions:

- **When** do we back out? A measurable trigger, e.g. *error rate over 2 % for 10 minutes*.
- **Who** decides? A name, not a role.
- **How** long does it take? Tested in a rehearsal, not guessed.

Example:

> Trigger: authorisation errors over 2 % for 10 minutes. Decision: the implementer.
> Action: blue/green switch back to v4.1 on the load balancer (3 minutes, rehearsed).
""",
    ),
    (
        "Refund API times out under peak load (connection pool exhausted)",
        K.KNOWN_ERROR,
        "engineer",
        "Payments Gateway",
        REFUND_P2,
        ST.PUBLISHED,
        30,
        8,
        """\
## Symptom

Refund calls time out after 30 s at peak; the API logs `pool exhausted`.

## Cause

Each pod opens up to 20 connections; at 24 pods that is more than the database's
`max_connections` allows.

## Workaround

Scale the payments API to 6 pods during peak hours and raise the pgbouncer pool:

```
kubectl -n payments scale deployment payments-api --replicas=6
```

## Fix

v4.3 sizes the pool from the replica count (change *Payments API v4.3 release*).
""",
    ),
    (
        "Card authorisations time out at the HSM after an API release",
        K.KNOWN_ERROR,
        "cab_ops",
        "Payments Gateway",
        CARD_P1,
        ST.PUBLISHED,
        45,
        8,
        """\
## Symptom

Card authorisations decline with `HSM timeout`; the error rate rises only after latency has
been high for several minutes.

## Cause

The API release exhausted database connections; authorisation threads waited and the HSM
sessions timed out.

## Workaround

1. Fail back to the previous release (blue/green switch).
2. Restart the HSM client sessions: `systemctl restart hsm-proxy` on both proxies.
""",
    ),
    (
        "Branch VPN drops every 30 minutes",
        K.KNOWN_ERROR,
        "cab_ops",
        "Corporate Network",
        "VPN drops every 30 minutes for branch staff",
        ST.PUBLISHED,
        90,
        5,
        """\
## Symptom

Branch staff lose the VPN every 30 minutes, on the minute.

## Cause

The firewall's idle timeout (1800 s) is shorter than the client's keep-alive after the
October profile change.

## Fix

Set the keep-alive to 600 s in the client profile and push it:

```
set global-protect portal branch-portal client-config keep-alive 600
```
""",
    ),
    (
        "Password reset emails rejected by the SMTP relay",
        K.KNOWN_ERROR,
        "engineer",
        "Identity & SSO",
        "Password reset emails not arriving",
        ST.PUBLISHED,
        20,
        64,
        """\
## Symptom

Users ask for a reset and receive no mail; no bounce either.

## Cause

The sender `no-reply@id.example-bank.com` was not in the relay's sender policy.

## Fix

Add the sender to the relay policy and the SPF record; test with an external mailbox.
""",
    ),
    (
        "Service desk search returns nothing after an upgrade",
        K.KNOWN_ERROR,
        "itsm_manager",
        "Service Desk Tooling",
        "Service desk tool search returns nothing",
        ST.DRAFT,
        150,
        0,
        """\
## Symptom

Searching tickets or articles returns no results, even by ticket number.

## Fix

Rebuild the search index from the admin console (*System → Search → Rebuild*) and search
for a known ticket number to check.
""",
    ),
    (
        "Restore a VM from tape (legacy backup)",
        K.RUNBOOK,
        "itsm_manager",
        "Backup Service",
        None,
        ST.ARCHIVED,
        30,
        400,
        """\
Superseded by the Veeam restore runbook: tapes are no longer written.

1. Request the tape from the offsite store (24 h).
2. Load it in the library and restore with the legacy console.
""",
    ),
]

APPLIERS = {  # who marks a lesson applied in each kind of context, most likely first
    "project": ("pmo_lead", "engineer", "itsm_manager"),
    "change": ("engineer", "itsm_manager", "cab_ops", "cab_sec"),
    "handover": ("itsm_manager", "pmo_lead", "engineer"),
}
ENDED = (Stage.CLOSED, Stage.REJECTED)


def seed(ctx) -> None:
    now = timezone.now()
    users = ctx.users
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    lessons, service_of = [], {}
    for copy in range(ctx.scale):
        for spec in LESSONS:
            # A copy has no copied incident, change or handover to take the service from:
            # it keeps the original's.
            lesson = _seed_lesson(
                spec, copy, users, services_by_name, now, service_of.get(spec.title)
            )
            service_of.setdefault(spec.title, lesson.service)
            lessons.append(lesson)
    articles = [
        _seed_article(row, copy, users, services_by_name, now)
        for copy in range(ctx.scale)
        for row in ARTICLES
    ]
    ctx.made.update(lessons=lessons, articles=articles)
    ctx.counts.update(lessons=len(lessons), articles=len(articles))


def _user(users: dict, username: str):
    return users.get(username) or users["itsm_manager"]


def _publisher(users: dict, author):
    """The author when they may publish, otherwise the ITSM manager."""
    return author if may_publish_lessons(author) else users["itsm_manager"]


def _source(spec: L, copy: int) -> dict:
    """The lesson's source as fields (all four, so a second run replaces the old one)."""
    fields = dict.fromkeys(SOURCE_FIELDS)
    if spec.source is None:
        return fields
    kind, key = spec.source
    if copy:  # copies of the organisation only have copies of the projects
        if kind == "project":
            fields["project"] = (
                portfolio_selectors.projects().filter(code=f"{key}-{copy + 1}").first()
            )
        return fields
    fields[kind] = {
        "project": lambda: portfolio_selectors.projects().filter(code=key).first(),
        "handover": lambda: handover_selectors.handovers().filter(project__code=key).first(),
        "change": lambda: change_selectors.changes().filter(title=key).order_by("pk").first(),
        "incident": lambda: (
            incident_selectors.incidents().filter(title=key).order_by("-pk").first()
        ),
    }[kind]()
    return fields


def _seed_lesson(
    spec: L, copy: int, users: dict, services_by_name: dict, now, original_service=None
) -> Lesson:
    title = spec.title if copy == 0 else f"{spec.title} ({copy + 1})"
    author = _user(users, spec.author)
    publisher = _publisher(users, author)
    source = _source(spec, copy)
    service = services_by_name.get(spec.service) if spec.service else original_service
    if service is None and any(source.values()):
        kind, obj = next((kind, obj) for kind, obj in source.items() if obj)
        service_id = services.service_of_source(kind, obj)
        service = portfolio_selectors.service_catalogue().filter(pk=service_id).first()
    fields = {
        "what_happened": spec.what,
        "recommendation": spec.rec,
        "category": spec.category,
        "impact": spec.impact,
        "service": service,
        **source,
    }
    lesson = Lesson.objects.filter(title=title).order_by("pk").first()
    if lesson is None:
        lesson = services.lesson_create(author=author, tags=spec.tags, title=title, **fields)
    else:
        lesson = services.lesson_update(lesson=lesson, by=author, tags=spec.tags, **fields)
        Lesson.objects.filter(pk=lesson.pk).update(author=author)

    # Marks are honest: rebuilt by the service, on a published lesson, in real contexts.
    LessonApplication.objects.filter(lesson=lesson).delete()
    Lesson.objects.filter(pk=lesson.pk).update(applied_count=0)
    lesson.refresh_from_db()
    marks = _contexts(lesson, spec.applied) if copy == 0 else []
    if marks and lesson.state != ST.PUBLISHED:
        lesson = services.lesson_transition(lesson=lesson, to=ST.PUBLISHED, by=publisher)
    for username, context in marks:
        services.lesson_mark_applied(lesson=lesson, by=_user(users, username), context=context)
    if lesson.state != spec.state:
        lesson = services.lesson_transition(
            lesson=lesson, to=spec.state, by=publisher, comment="Demo knowledge base."
        )
    _backdate_lesson(lesson, spec, now)
    return lesson


def _contexts(lesson: Lesson, count: int) -> list[tuple[str, str]]:
    """`count` (user, context) pairs where the lesson was plausibly applied: open projects,
    changes and handovers on its service (any, for a lesson without a service)."""
    if not count:
        return []
    on_service = (
        Q(services=lesson.service_id)
        if lesson.service_id
        else Q(stage__in=(Stage.APPROVED, Stage.IN_FLIGHT))
    )
    projects = (
        portfolio_selectors.projects()
        .filter(on_service)
        .exclude(stage__in=ENDED)
        .exclude(pk=lesson.project_id or 0)
        .distinct()
        .order_by("code")[:4]
    )
    changes = (
        change_selectors.changes()
        .exclude(state__in=("closed", "cancelled"))
        .filter(Q(items__service=lesson.service_id) if lesson.service_id else Q(state="authorize"))
        .exclude(pk=lesson.change_id or 0)
        .distinct()
        .order_by("pk")[:4]
    )
    handovers = (
        handover_selectors.handovers()
        .exclude(state="closed")
        .filter(Q(service=lesson.service_id) if lesson.service_id else Q(state="readiness_review"))
        .exclude(pk=lesson.handover_id or 0)
        .order_by("pk")[:2]
    )
    places = (
        [("project", services.application_context(project=p)) for p in projects]
        + [("change", services.application_context(change=c)) for c in changes]
        + [("handover", services.application_context(handover=h)) for h in handovers]
    )
    random.Random(lesson.title).shuffle(places)
    pairs = [
        (APPLIERS[kind][round_], context)
        for round_ in range(4)
        for kind, context in places
        if round_ < len(APPLIERS[kind])
    ]
    return pairs[:count]


def _at(moment: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(moment), time(hour)))


def _backdate_lesson(lesson: Lesson, spec: L, now) -> None:
    """Written a few days before it was published, marked applied in the days after."""
    moment = min(_at(now - timedelta(days=spec.days), 10 + len(spec.title) % 7), now)
    published = None if spec.state == ST.DRAFT else moment
    written = moment - timedelta(days=2 if published else 0, hours=3)
    Lesson.objects.filter(pk=lesson.pk).update(created_at=written, published_at=published)
    applications = list(LessonApplication.objects.filter(lesson=lesson).order_by("pk"))
    for n, application in enumerate(applications, start=1):
        application.applied_at = moment + (now - moment) * n / (len(applications) + 1)
    LessonApplication.objects.bulk_update(applications, ["applied_at"])


def _seed_article(row, copy: int, users: dict, services_by_name: dict, now) -> Article:
    title, kind, owner_name, service_name, incident_title, state, review, days, body = row
    title = title if copy == 0 else f"{title} ({copy + 1})"
    owner = _user(users, owner_name)
    incident = (
        incident_selectors.incidents().filter(title=incident_title).order_by("-pk").first()
        if incident_title and copy == 0
        else None
    )
    fields = {
        "body": body,
        "kind": kind,
        "service": services_by_name.get(service_name),
        "incident": incident,
    }
    article = Article.objects.filter(title=title).order_by("pk").first()
    if article is None:
        article = services.article_create(owner=owner, title=title, **fields)
    else:
        article = services.article_update(article=article, by=owner, **fields)
    if article.state != state:
        article = services.article_transition(
            article=article, to=state, by=users["itsm_manager"], comment="Demo knowledge base."
        )
    # A negative review date is overdue: the list's "review due" shows it.
    moment = _at(now - timedelta(days=days), 9)
    Article.objects.filter(pk=article.pk).update(
        owner=owner,
        next_review=timezone.localdate() + timedelta(days=review),
        created_at=moment - timedelta(days=1),
        published_at=None if state == ST.DRAFT else min(moment, now),
    )
    return article
