"""The lessons of the demo's year (issue 16): what the changes and incidents of the four
quarters before this one taught (changes/demo_history.py, handover/demo_history.py), captured
a few days after each, and marked applied where a later change or project of that year used
them, so the dashboard's knowledge chart has lessons in every quarter. Nothing lands in the
current quarter (knowledge/demo.py tells that story).

Written through knowledge/demo.py's `_seed_lesson` (keyed by title: a second run updates each
in place); each mark is a real mark by a demo user in a real context, timed after the lesson
was published and before the change it was applied in was implemented."""

from dataclasses import replace
from datetime import datetime, timedelta

from django.utils import timezone

from changes import selectors as change_selectors
from handover.incidents import selectors as incident_selectors
from itsm_pmo.demo import quarter_start
from portfolio import selectors as portfolio_selectors

from . import services
from .demo import HIGH, MEDIUM, Cat, L, _seed_lesson
from .models import Lesson, LessonApplication

P1_CHANGE = "Self-service password reset go-live: enable AD password write-back"
P1 = "Staff locked out of their accounts after the password reset go-live"
P2 = "Mail to shared mailboxes not delivered after the sync agent upgrade"
CAPTURED_AFTER = 3  # days from the change's review or the incident's resolution

# Each lesson (its `days` is worked out from its source) and where it was applied:
# (username, "change" or "project", title or code).
LESSONS: list[tuple[L, list[tuple[str, str, str]]]] = [
    (
        L(
            "Check the backup proxies' certificates before upgrading Veeam",
            Cat.TECHNICAL,
            "engineer",
            "After the v12.1 upgrade two VM backup jobs failed the first night: the proxies "
            "still presented certificates the new server no longer trusted.",
            "Before a backup server upgrade, list the proxies' certificates and renew the ones "
            "the new release rejects; run one job per proxy in the window.",
            ("backup", "certificates", "upgrade"),
            MEDIUM,
            ("change", "Upgrade the Veeam backup server to v12.1"),
        ),
        [],
    ),
    (
        L(
            "Patch internet-facing servers first when an advisory is exploited",
            Cat.CHANGE,
            "cab_sec",
            "The OpenSSL advisory was exploited within a day; the SMTP relays face the "
            "internet and were patched the same evening as an emergency change.",
            "When an advisory is exploited in the wild, raise an emergency change for the "
            "internet-facing servers first, the same day; the rest follow the monthly cycle.",
            ("security", "emergency-change", "patching"),
            HIGH,
            ("change", "Emergency patch: OpenSSL vulnerability on the SMTP relays"),
        ),
        [("cab_sec", "change", "Emergency change: block the exploited MFA enrolment endpoint")],
    ),
    (
        L(
            "Attach the performance test results before a release goes to the CAB",
            Cat.CHANGE,
            "itsm_manager",
            "The CAB refused the payments API v4.0 release once: it came without performance "
            "results, and the week's slip cost a merchant's launch date.",
            "A release of a tier 1 service reaches the CAB with its performance test at peak "
            "attached; the requester checks it before moving the change to authorisation.",
            ("cab", "release", "performance"),
            MEDIUM,
            ("change", "Payments API v4.0 release"),
        ),
        [
            (
                "itsm_manager",
                "change",
                "Payments gateway migration: production namespace and network policies",
            )
        ],
    ),
    (
        L(
            "Check every plugin's support before a PHP upgrade",
            Cat.TECHNICAL,
            "engineer",
            "The intranet's PHP 8.3 upgrade was backed out: two plugins did not support it, "
            "which a look at their release notes would have shown.",
            "List the CMS's plugins and their supported PHP versions before raising the change; "
            "replace or pin the ones that lag.",
            ("intranet", "php", "backout"),
            MEDIUM,
            ("change", "Migrate the intranet CMS to PHP 8.3"),
        ),
        [],
    ),
    (
        L(
            "Test shared-mailbox delivery after a directory sync upgrade",
            Cat.TECHNICAL,
            "engineer",
            "The new directory sync agent dropped the shared mailboxes' delivery rules; "
            "nobody noticed until teams missed customers' mail the next morning (a P2).",
            "After any change to directory sync or mail routing, send a test message to each "
            "kind of mailbox (personal, shared, distribution list) in the window.",
            ("email", "directory-sync", "testing"),
            HIGH,
            ("incident", P2),
        ),
        [("engineer", "change", "Upgrade the SMTP relays to Postfix 3.9")],
    ),
    (
        L(
            "Restrict MFA enrolment to trusted networks",
            Cat.TECHNICAL,
            "cab_sec",
            "Attackers with phished passwords enrolled their own phones as second factors.",
            "Allow MFA enrolment only from the office network or with a service-desk code; "
            "alert on enrolments from new countries.",
            ("mfa", "security", "identity"),
            HIGH,
            ("incident", "MFA enrolment abused with phished passwords"),
        ),
        [("itsm_manager", "change", P1_CHANGE)],
    ),
    (
        L(
            "Track signing certificates' expiry like TLS certificates",
            Cat.TECHNICAL,
            "engineer",
            "The SSO signing certificate expired unnoticed: it was not in the certificate "
            "inventory, which only lists TLS certificates. Nobody could sign in for an afternoon.",
            "Put every signing and encryption certificate in the inventory with its owner, and "
            "alarm 60 days before expiry like the TLS ones.",
            ("certificates", "sso", "monitoring"),
            HIGH,
            ("incident", "Nobody can sign in: SSO signing certificate expired"),
        ),
        [("engineer", "change", P1_CHANGE)],
    ),
    (
        L(
            "Rehearse a password write-back against the real expiry policy",
            Cat.HANDOVER,
            "pmo_lead",
            "The password reset go-live wrote passwords back with 'must change at next "
            "sign-in' set: every password reset that evening expired, and staff were locked out "
            "the next morning (a P1, a major incident).",
            "Rehearse identity go-lives in the test domain with production's password and "
            "expiry policies, and sign in as a changed user before closing the window.",
            ("identity", "go-live", "rehearsal"),
            HIGH,
            ("incident", P1),
        ),
        [("pmo_lead", "project", "PRJ-0103")],
    ),
    (
        L(
            "Import tickets in batches, and rehearse the import at full volume",
            Cat.CHANGE,
            "itsm_manager",
            "The first go-live of the new service desk tool was backed out: the one-shot "
            "import stalled at 60 % and the queues went back to the old tool at 22:00.",
            "Rehearse a data migration with the full production volume; import in batches that "
            "can resume, and set the back-out point in the plan.",
            ("migration", "go-live", "service-desk"),
            MEDIUM,
            ("change", "Service desk tooling upgrade go-live: move the queues to the new platform"),
        ),
        [("itsm_manager", "change", "Service desk tooling upgrade go-live, second attempt")],
    ),
]


def seed(ctx) -> None:
    now, today = timezone.now(), timezone.localdate()
    users = ctx.users
    services_by_name = {s.name: s for s in portfolio_selectors.service_catalogue()}
    # Captured before the current quarter: at least one day before it begins.
    at_least = (today - quarter_start(0)).days + 1 + CAPTURED_AFTER
    made = []
    for spec, marks in LESSONS:
        source = _source_moment(spec)
        if source is None:
            continue
        days = max((today - timezone.localdate(source)).days - CAPTURED_AFTER, at_least)
        lesson = _seed_lesson(replace(spec, days=days), 0, users, services_by_name, now)
        _mark(lesson, marks, users)
        made.append(lesson)
    ctx.counts["lessons"] = ctx.counts.get("lessons", 0) + len(made)


def _source_moment(spec: L) -> datetime | None:
    """When the lesson's source ended: the change's review, the incident's resolution."""
    kind, title = spec.source or ("", "")
    if kind == "change":
        found = change_selectors.changes().filter(title=title).order_by("pk").first()
        return found.review.reviewed_at if found and hasattr(found, "review") else None
    found = incident_selectors.incidents().filter(title=title).order_by("-pk").first()
    return found.resolved_at if found else None


def _mark(lesson: Lesson, marks: list[tuple[str, str, str]], users: dict) -> None:
    """Mark the lesson applied in each context, a day after it was published or when the
    change was raised (whichever is later), and before the current quarter."""
    published = Lesson.objects.values_list("published_at", flat=True).get(pk=lesson.pk)
    end = timezone.make_aware(datetime.combine(quarter_start(0), datetime.min.time()))
    for username, kind, key in marks:
        if kind == "change":
            found = change_selectors.changes().filter(title=key).order_by("pk").first()
            since = found.created_at if found else published
        else:
            found = portfolio_selectors.projects().filter(code=key).first()
            since = published
        if found is None:
            continue
        context = services.application_context(**{kind: found})
        services.lesson_mark_applied(lesson=lesson, by=users[username], context=context)
        moment = min(max(since, published) + timedelta(days=1), end - timedelta(hours=6))
        LessonApplication.objects.filter(lesson=lesson, context=context).update(applied_at=moment)
