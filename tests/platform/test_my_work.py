"""My work: one inbox per person from every app (issue 15). Each role finds the kinds of work
its role does, and only those; entries are ordered overdue first, then due soonest; the
count in the navigation is the inbox's; the page and the count do not grow with the data."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from changes.choices import ChangeState
from handover.choices import CheckStatus, HandoverState
from itsm_pmo import home
from itsm_pmo.home import Band, Clock, Tally, inbox, inbox_tally, navigation_tally
from portfolio.choices import Stage
from resources.choices import ConflictKind, Severity
from resources.models import Conflict, PlanState, Snapshot
from tests.changes.factories import ChangeFactory, advance
from tests.factories import (
    CriterionFactory,
    MilestoneFactory,
    PersonFactory,
    ProjectFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.handover.factories import HandoverFactory, IncidentFactory
from tests.handover.handover_helpers import days, force_state
from tests.knowledge.factories import ArticleFactory, LessonFactory
from tests.portfolio.factories import BenefitFactory
from tests.support.queries import assert_constant_queries, count_queries, queries_for

pytestmark = pytest.mark.django_db

ROLES = ("pmo_lead", "itsm_manager", "engineer", "executive")
# The kinds of work each role's inbox holds, and how many entries of each the world below
# makes for them (the rows it makes that must not show are left out of these counts).
EXPECTED = {
    "pmo_lead": {
        "proposals-to-score": 1,
        "stage-moves": 2,
        "benefits-to-review": 1,
        "lessons-to-publish": 1,
    },
    "itsm_manager": {"changes-to-decide": 1, "handovers-to-accept": 1, "lessons-to-publish": 1},
    "engineer": {
        "readiness-checks": 1,
        "incidents": 2,
        "changes-to-implement": 2,
        "articles-to-review": 1,
    },
    "executive": {"red-projects": 1, "breached-freezes": 1, "critical-conflicts": 1},
}


# Projects that other rows hang off, in a stage that asks nothing of the PMO lead by itself.
APPROVED = {"project__stage": Stage.APPROVED}
CLOSED = {"project__stage": Stage.CLOSED}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def publish_snapshot() -> Snapshot:
    snapshot = Snapshot.objects.create(
        status="published", week_start=timezone.localdate(), weeks=4, computed_at=timezone.now()
    )
    PlanState.objects.update_or_create(pk=1, defaults={"current": snapshot})
    return snapshot


def conflict(snapshot, kind, severity, week: date, n: int, **fields) -> Conflict:
    return Conflict.objects.create(
        key=f"{kind}:{n}:{week}",
        kind=kind,
        severity=severity,
        subject_type="person",
        subject_id=n,
        subject_label=f"Subject {n}",
        period_start=week,
        period_end=week + timedelta(days=6),
        message=f"Conflict {n}",
        first_seen=snapshot.pk,
        **fields,
    )


@pytest.fixture
def world(role_user):
    """One entry of each kind for the role that does it, beside rows that must not show: a
    settled check, a check of an accepted handover, a resolved incident, another team's
    incident, a change next month, a realised benefit, a green project, an acknowledged or a
    far-off critical conflict, a published lesson, an article reviewed months ahead."""
    users = {role: role_user(role) for role in ROLES}
    team = TeamFactory(name="Platform")
    me = PersonFactory(user=users["engineer"], team=team, name="Elena")
    colleague = PersonFactory(team=team)
    CriterionFactory(name="Value")
    # engineer: a readiness check (mandatory, go-live in 20 days: due in 6)
    handover = HandoverFactory(go_live=days(20), project__code="PRJ-CHECK", **APPROVED)
    handover.checks.filter(criterion__name="Runbook published").update(owner=me)
    handover.checks.filter(criterion__name="Service desk briefed").update(
        owner=me, status=CheckStatus.DONE
    )
    accepted = force_state(HandoverFactory(go_live=days(5), **APPROVED), HandoverState.ACCEPTED)
    accepted.checks.filter(criterion__name="Runbook published").update(owner=me)
    # engineer: incidents assigned to them and in their team's queue
    own_service = ServiceFactory(owning_team=team)
    IncidentFactory(title="Mine", assignee=me, impact=1, urgency=2)
    IncidentFactory(title="Team queue", service=own_service)
    IncidentFactory(title="Colleague's", service=own_service, assignee=colleague)
    IncidentFactory(title="Elsewhere")
    IncidentFactory(title="Resolved one", assignee=me, state="resolved")
    # engineer: changes to implement (one this week, one being implemented, one next month)
    advance(ChangeFactory(title="Patch now", implementer=me, days=3), ChangeState.SCHEDULED)
    advance(ChangeFactory(title="Going on", implementer=me, days=1), ChangeState.IMPLEMENT)
    advance(ChangeFactory(title="Next month", implementer=me, days=30), ChangeState.SCHEDULED)
    # engineer: an article due for review, and one months ahead
    ArticleFactory(owner=users["engineer"], next_review=days(-1), title="Runbook to re-read")
    ArticleFactory(owner=users["engineer"], next_review=days(90))
    # ITSM manager: a handover in readiness review and a change waiting for the CAB
    force_state(HandoverFactory(go_live=days(9), **APPROVED), HandoverState.READINESS_REVIEW)
    advance(ChangeFactory(title="Waits for the CAB", implemented=True), ChangeState.AUTHORIZE)
    # PMO lead and ITSM manager: a draft lesson (and a published one)
    LessonFactory(author=users["engineer"], title="Draft lesson")
    LessonFactory(published=True)
    # PMO lead: a proposal to score, a start that waits, a scored-out proposal is not asked
    ProjectFactory(code="PRJ-SCORE", stage=Stage.PROPOSED)
    ProjectFactory(code="PRJ-START", stage=Stage.APPROVED, start_date=days(-2))
    ProjectFactory(code="PRJ-LATER", stage=Stage.APPROVED, start_date=days(40))
    flight = ProjectFactory(code="PRJ-LIVE", stage=Stage.IN_FLIGHT)
    MilestoneFactory(project=flight, due_date=days(3))
    # PMO lead: a benefit due, one realised, one reviewed next year
    BenefitFactory(review_date=days(2), description="Due benefit", **CLOSED)
    BenefitFactory(review_date=days(-3), realised="−20 %", realised_on=days(-3), **CLOSED)
    BenefitFactory(review_date=days(300), **CLOSED)
    # executive: a red project, a breached freeze, a critical conflict (and some that are not)
    ProjectFactory(code="PRJ-RED", stage=Stage.IN_FLIGHT, health="red")
    ProjectFactory(code="PRJ-GREEN", stage=Stage.IN_FLIGHT, health="green")
    ProjectFactory(code="PRJ-RED-SHUT", stage=Stage.CLOSED, health="red")
    snapshot = publish_snapshot()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    conflict(snapshot, ConflictKind.CHANGE_IN_FREEZE, Severity.HIGH, monday + timedelta(7), 1)
    conflict(snapshot, ConflictKind.OVERALLOCATION, Severity.CRITICAL, monday, 2)
    conflict(snapshot, ConflictKind.OVERALLOCATION, Severity.HIGH, monday, 3)
    conflict(snapshot, ConflictKind.OVERALLOCATION, Severity.CRITICAL, monday + timedelta(42), 4)
    conflict(
        snapshot,
        ConflictKind.OVERALLOCATION,
        Severity.CRITICAL,
        monday,
        5,
        acknowledged_at=timezone.now(),
    )
    return users


def kinds(user) -> dict[str, int]:
    shown = inbox(user)
    return {group.source.kind: group.tally.total for group in shown.groups}


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_my_work_each_role_finds_its_kinds_of_work_and_only_those(world, role):
    # when the role's inbox is read
    found = kinds(world[role])
    # then it holds exactly the kinds its role does, with the entries meant for it
    assert found == EXPECTED[role]


def test_my_work_without_a_role_holds_nothing(django_user_model):
    newcomer = django_user_model.objects.create_user("newcomer")
    assert inbox(newcomer).groups == [] and inbox_tally(newcomer).total == 0


def test_my_work_entries_open_the_object_and_say_what_to_do(world):
    engineer = inbox(world["engineer"])
    entries = {e.item.title: e.item for g in engineer.groups for e in g.entries}
    check = entries["Runbook published · PRJ-CHECK"]
    assert re.fullmatch(r"/handover/\d+/#check-\d+", check.url)
    assert check.action.startswith("Do it and add the evidence by ")
    mine = next(item for title, item in entries.items() if title.endswith(" Mine"))
    assert mine.url.startswith("/incidents/") and mine.action.startswith("Start work; resolve by")
    queue = next(item for title, item in entries.items() if title.endswith(" Team queue"))
    assert queue.action == "Take it or assign it"
    manager = inbox(world["itsm_manager"])
    decide = next(g for g in manager.groups if g.source.kind == "changes-to-decide")
    assert decide.entries[0].item.action.startswith("Approve or reject before ")
    accept = next(g for g in manager.groups if g.source.kind == "handovers-to-accept")
    assert accept.entries[0].item.action.startswith("Chase ")  # its mandatory checks are open


def test_my_work_kinds_with_nothing_waiting_are_listed_as_clear(world, role_user):
    # given a second engineer with nothing of their own
    other = UserFactory(username="engineer_two", roles=["engineer"])
    shown = inbox(other)
    assert shown.groups == []
    assert [g.source.kind for g in shown.clear] == [
        "incidents",
        "changes-to-implement",
        "readiness-checks",
        "articles-to-review",
    ]


# --- urgency ---------------------------------------------------------------------------------


def test_clock_bands_by_day_and_by_moment():
    # given a clock on a Wednesday at 14:00
    now = at(date(2026, 12, 9), 14)
    clock = Clock(now=now)
    today = date(2026, 12, 9)
    # then a day before today is overdue, today is today, six days on is within the week
    assert clock.band(today - timedelta(days=1)) == Band.OVERDUE
    assert clock.band(today) == Band.TODAY
    assert clock.band(today + timedelta(days=6)) == Band.WEEK
    assert clock.band(today + timedelta(days=7)) == Band.LATER
    assert clock.band(None) == Band.UNDATED
    # and a moment earlier today is already overdue, one later today is today
    assert clock.band(now - timedelta(minutes=1)) == Band.OVERDUE
    assert clock.band(now + timedelta(hours=9)) == Band.TODAY
    assert clock.band(at(today + timedelta(days=1), 0)) == Band.WEEK
    assert clock.when(today - timedelta(days=3)) == "3 days overdue"
    assert clock.when(now - timedelta(hours=2)) == "overdue since 12:00"
    assert clock.when(today + timedelta(days=1)) == "tomorrow"
    assert clock.when(date(2027, 1, 8)) == "Fri 08 Jan 2027"


def test_tally_of_a_queryset_counts_as_the_bands_in_memory(world):
    # given incidents due at moments in every band (P1 4 h, P3 3 days, P5 10 days)
    from handover.incidents.selectors import waiting_for

    me = world["engineer"].person
    now = timezone.now()
    for hours_ago, impact, urgency in [(5, 1, 1), (1, 1, 1), (0, 2, 2), (0, 3, 3), (300, 3, 3)]:
        opened = now - timedelta(hours=hours_ago)
        IncidentFactory(assignee=me, impact=impact, urgency=urgency, opened_at=opened)
    clock = Clock.current()
    rows = waiting_for(world["engineer"])
    # then one aggregate query gives the tally the rows give one by one
    with count_queries() as queries:
        counted = Tally.of_queryset(rows, clock)
    assert len(queries) == 1
    assert counted == Tally.of([row.due for row in rows], clock)
    assert counted.overdue >= 2 and counted.later >= 1 and counted.total == rows.count()


def test_my_work_orders_overdue_first_then_due_soonest(world):
    # given the engineer's incidents: one overdue, one due in 3 days, one due in 4 hours
    me = world["engineer"].person
    now = timezone.now()
    IncidentFactory(title="Soon", assignee=me, impact=1, urgency=1, opened_at=now)  # P1: 4 h
    late = now - timedelta(hours=30)
    IncidentFactory(title="Late", assignee=me, impact=1, urgency=1, opened_at=late)
    shown = inbox(world["engineer"], shown=10)
    incidents = next(g for g in shown.groups if g.source.kind == "incidents")
    titles = [e.item.title.split(" ", 1)[1] for e in incidents.entries]
    dues = [e.item.due for e in incidents.entries]
    # then the overdue one leads, and the rest follow by due moment
    assert titles[0] == "Late" and incidents.entries[0].band == Band.OVERDUE
    assert dues == sorted(dues)
    assert titles.index("Soon") < titles.index("Team queue")
    # and the groups lead with those holding something overdue (the article, the incidents)
    bands = [g.entries[0].band for g in shown.groups]
    assert bands == sorted(bands)
    overdue = [g.source.kind for g in shown.groups if g.entries[0].band == Band.OVERDUE]
    assert overdue == ["incidents", "articles-to-review"]  # by the kinds' own order


# --- the count in the navigation -------------------------------------------------------------


COUNT = re.compile(r'data-testid="my-work-count"[^>]*>(\d+)<')


def nav_count(html: str) -> int:
    found = COUNT.search(html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("role", ROLES)
def test_my_work_count_in_the_navigation_is_the_inbox(world, page_clients, role):
    client = page_clients(role)
    expected = sum(EXPECTED[role].values())
    # on the home page, the count is the entries it shows (each group shows them all here)
    html = client.get("/").content.decode()
    assert nav_count(html) == expected == html.count('data-testid="inbox-entry"')
    # and on any other page the same count
    assert nav_count(client.get("/resources/teams/").content.decode()) == expected


def test_my_work_count_says_when_something_is_overdue(world, page_clients):
    html = page_clients("engineer").get("/changes/").content.decode()
    badge = re.search(r'<span class="badge[^"]*"[^>]*data-testid="my-work-count"', html).group(0)
    assert "text-bg-danger" in badge  # the article's review was due yesterday
    html = page_clients("itsm_manager").get("/changes/").content.decode()
    badge = re.search(r'<span class="badge[^"]*"[^>]*data-testid="my-work-count"', html).group(0)
    assert "text-bg-primary" in badge


def test_my_work_count_is_kept_until_a_table_it_read_changes(world, settings):
    # given the count kept (as in production), and the engineer's count read once
    settings.MY_WORK_COUNT_SECONDS = 60
    engineer = world["engineer"]
    first = navigation_tally(engineer)
    # when read again: no query at all
    assert queries_for(lambda: navigation_tally(engineer)) == 0
    # when an incident is assigned to them: the next read counts it
    IncidentFactory(assignee=engineer.person)
    assert navigation_tally(engineer).total == first.total + 1


def test_my_work_count_on_a_kept_page_follows_the_inbox(world, page_clients, settings):
    # given the page cache and the count kept, and a page the engineer opened (kept for them)
    settings.PAGE_CACHE_SECONDS = settings.MY_WORK_COUNT_SECONDS = 60
    client = page_clients("engineer")
    before = nav_count(client.get("/resources/teams/").content.decode())
    assert queries_for(lambda: client.get("/resources/teams/")) <= 2  # answered again, kept
    # when an incident is assigned to them (writing no table the page itself reads)
    from handover.models import Incident

    known = Incident.objects.first()
    IncidentFactory(
        assignee=world["engineer"].person, service=known.service, reporter=known.reporter
    )
    # then the page is not answered from the cache with the old count
    assert nav_count(client.get("/resources/teams/").content.decode()) == before + 1


def test_my_work_count_is_not_read_by_fragments(world, page_clients):
    # a partial page (no navigation) never computes the count
    client = page_clients("engineer")
    with count_queries() as queries:
        client.get("/resources/status/", HTTP_HX_REQUEST="true")
    assert not any("handover_incident" in q["sql"] for q in queries.captured_queries)


# --- bounded -------------------------------------------------------------------------------


def more_of_everything(world):
    """Ten more rows of every kind of work, for every role."""
    me = world["engineer"].person
    team_service = ServiceFactory(owning_team=me.team)
    snapshot = Snapshot.objects.get(pk=PlanState.objects.get(pk=1).current_id)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    for n in range(10):
        handover = HandoverFactory(go_live=days(10 + n), **APPROVED)
        handover.checks.update(owner=me)
        force_state(
            HandoverFactory(go_live=days(12 + n), **APPROVED), HandoverState.READINESS_REVIEW
        )
        IncidentFactory(assignee=me, opened_at=timezone.now() - timedelta(hours=n * 7))
        IncidentFactory(service=team_service)
        advance(ChangeFactory(implementer=me, days=2), ChangeState.SCHEDULED)
        advance(ChangeFactory(implemented=True, days=4 + n), ChangeState.AUTHORIZE)
        ArticleFactory(owner=world["engineer"], next_review=days(-n))
        LessonFactory()
        ProjectFactory(stage=Stage.PROPOSED)
        ProjectFactory(stage=Stage.APPROVED, start_date=days(-n))
        ProjectFactory(stage=Stage.IN_FLIGHT, health="red")
        BenefitFactory(review_date=days(n), **CLOSED)
        conflict(snapshot, ConflictKind.CHANGE_IN_FREEZE, Severity.HIGH, monday, 100 + n)
        conflict(snapshot, ConflictKind.OVERALLOCATION, Severity.CRITICAL, monday, 200 + n)


@pytest.mark.parametrize("role", ROLES)
def test_my_work_home_runs_as_many_queries_with_more_data(world, page_clients, settings, role):
    settings.PAGE_CACHE_SECONDS = 0  # rendered every time, not answered again
    client = page_clients(role)
    client.get("/")  # the session and the permissions, as on a page already open
    assert_constant_queries(lambda: client.get("/"), lambda: more_of_everything(world))
    # and each group still shows its first few, with its full count
    html = client.get("/").content.decode()
    assert html.count('data-testid="inbox-entry"') <= home.SHOWN * len(EXPECTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_my_work_count_runs_as_many_queries_with_more_data(world, role):
    user = world[role]
    inbox_tally(user)  # the permissions, as on a page
    assert_constant_queries(lambda: inbox_tally(user), lambda: more_of_everything(world))


def test_my_work_count_costs_few_queries_on_every_page(world, page_clients, settings):
    # given the count kept (as in production) and read once
    settings.MY_WORK_COUNT_SECONDS = 60
    client = page_clients("itsm_manager")
    client.get("/changes/calendar/")
    # then another page reads no query of the inbox's
    with count_queries() as queries:
        client.get("/knowledge/?q=backup")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "changes_approvalpolicy" not in sql and "handover_readinesscheck" not in sql


# --- a whole kind of work --------------------------------------------------------------------


def test_my_work_list_shows_a_whole_kind_a_page_at_a_time(world, page_clients):
    more_of_everything(world)
    client = page_clients("engineer")
    # given more incidents than the home page shows
    html = client.get("/").content.decode()
    assert "/my-work/incidents/" in html and "See all 22" in html
    # when the whole kind is opened
    page = client.get("/my-work/incidents/").content.decode()
    # then every entry is there, most urgent first, with its count
    assert page.count('data-testid="inbox-entry"') == 22 and ">22</span> waiting" in page
    bands = re.findall(r'data-band="([^"]+)"', page)
    order = [b.label for b in Band]
    assert bands == sorted(bands, key=order.index)


def test_my_work_list_paginates_in_constant_queries(world, page_clients, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = page_clients("engineer")
    client.get("/my-work/articles-to-review/")

    def grow():
        for n in range(30):
            ArticleFactory(owner=world["engineer"], next_review=days(-n))

    assert_constant_queries(lambda: client.get("/my-work/articles-to-review/"), grow)
    first = client.get("/my-work/articles-to-review/").content.decode()
    second = client.get("/my-work/articles-to-review/?page=2").content.decode()
    assert first.count('data-testid="inbox-entry"') == home.PAGE_SIZE
    assert second.count('data-testid="inbox-entry"') == 31 - home.PAGE_SIZE


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        ("engineer", "incidents", 200),
        ("engineer", "changes-to-decide", 404),  # not an engineer's work
        ("itsm_manager", "changes-to-decide", 200),
        ("executive", "proposals-to-score", 404),
        ("pmo_lead", "proposals-to-score", 200),
        ("pmo_lead", "no-such-kind", 404),
        ("anonymous", "incidents", 302),
    ],
)
def test_my_work_list_is_the_users_own_kinds_only(world, page_clients, role, kind, status):
    assert page_clients(role).get(f"/my-work/{kind}/").status_code == status
