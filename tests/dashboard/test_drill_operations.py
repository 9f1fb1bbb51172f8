"""Every number of the operational-impact family drills down to the incident list, and the
list (the page's total and the API's `count`, one filterset) counts what the number counts.
Hand-made data sets, worked out by hand; the period is Q1 2026, "today" is after it.

Transition time drills to the handover list (another part's filter): not here."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from changes.models import ChangeRequest
from handover.incidents import selectors
from handover.models import Handover, WorkLog
from itsm_pmo.dashboard.metrics import (
    early_life_top_projects,
    operations_metrics,
    operations_tax,
    stability_metric,
)
from itsm_pmo.dashboard.period import Period, Scope
from tests.factories import (
    MilestoneFactory,
    ObjectiveFactory,
    PersonFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.handover.factories import HandoverFactory, IncidentFactory
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def incident(opened: datetime, resolved_after: timedelta | None = None, **fields):
    resolved = opened + resolved_after if resolved_after is not None else None
    return IncidentFactory(opened_at=opened, resolved_at=resolved, **fields)


def change_of(project=None) -> ChangeRequest:
    return ChangeRequest.objects.create(
        title="c", requester=UserFactory(), backout_plan="Roll back", project=project
    )


@pytest.fixture
def reader(page_clients, api_clients):
    """The list as an executive reads it: (page total, API count) for a drill's URL."""

    def counts(url: str) -> tuple[int, int]:
        page = page_clients("executive").get(url)
        assert page.status_code == 200, url
        query = urlsplit(url).query
        api = api_clients("executive").get(f"/api/handover/incidents/?{query}")
        assert api.status_code == 200, api.content
        return page.context["paginator"].count, api.json()["count"]

    return counts


@pytest.fixture
def data_set():
    """Opened in Q1 unless said; `alpha` serves the objective and is on service `s1`."""
    objective, s1 = ObjectiveFactory(), ServiceFactory()
    alpha, beta = ProjectFactory(code="ALPHA"), ProjectFactory(code="BETA")
    ProjectObjectiveFactory(project=alpha, objective=objective)
    by_beta, loose = change_of(beta), change_of()
    made = {
        "p1_alpha": incident(at(date(2026, 1, 2)), timedelta(hours=3), project=alpha, priority=1),
        "p1_alpha_s1": incident(
            at(date(2026, 2, 2)), timedelta(hours=5), project=alpha, priority=1, service=s1
        ),
        "p2_by_beta": incident(
            at(date(2026, 2, 3)), timedelta(hours=30), caused_by_change=by_beta, priority=2
        ),
        "p3_both": incident(
            at(date(2026, 2, 4)), None, caused_by_change=by_beta, project=alpha, priority=3
        ),
        "p4_loose": incident(
            at(date(2026, 2, 5)), timedelta(hours=1), caused_by_change=loose, priority=4
        ),
        "p4_nothing": incident(at(date(2026, 2, 6)), None, priority=4),
        # The last minutes of the last day are in; the first of the next day are not.
        "p5_last_day": incident(at(date(2026, 3, 31), 23, 30), None, project=alpha, priority=5),
        "next_day": incident(at(date(2026, 4, 1), 0, 0), None, project=alpha, priority=5),
        # Opened in the previous period, resolved in Q1 (a P1 resolved in it).
        "p1_previous": incident(
            at(date(2025, 12, 31), 22), timedelta(hours=4), project=beta, priority=1
        ),
        # Resolved after the period.
        "p1_resolved_later": incident(at(date(2026, 3, 31), 20), timedelta(hours=10), priority=1),
    }
    return {"objective": objective, "s1": s1, "alpha": alpha, "beta": beta, **made}


def drilled(metrics, key: str) -> str:
    return next(m for m in metrics if m.key == key).drill.url


def value_of(metrics, key: str):
    return next(m for m in metrics if m.key == key).value


# --- Incidents linked to projects and to their changes; time to resolve ------------------


def test_every_linked_and_resolution_drill_lists_as_many_incidents_as_counted(data_set, reader):
    metrics = operations_metrics(Q1)
    # On a project: p1_alpha, p1_alpha_s1, p3_both, p5_last_day → 4 (next_day is after Q1).
    assert value_of(metrics, "incidents_to_projects") == 4
    assert reader(drilled(metrics, "incidents_to_projects")) == (4, 4)
    # Caused by a project's change: p2_by_beta, p3_both → 2 (p4_loose's change has none).
    assert value_of(metrics, "incidents_through_changes") == 2
    assert reader(drilled(metrics, "incidents_through_changes")) == (2, 2)
    # Time to resolve: the list is the mean's denominator, the incidents resolved in Q1:
    # P1 p1_alpha, p1_alpha_s1, p1_previous → 3 (p1_resolved_later is resolved on 1 April);
    # P2 p2_by_beta; P4 p4_loose; none of P3 and P5 (no value, an empty list).
    expected = {1: 3, 2: 1, 3: 0, 4: 1, 5: 0}
    for priority, resolved in expected.items():
        assert reader(drilled(metrics, f"mttr_p{priority}")) == (resolved, resolved), priority
        assert (value_of(metrics, f"mttr_p{priority}") is None) == (resolved == 0)


def test_the_scope_narrows_the_numbers_and_their_lists_alike(data_set, reader):
    by_objective = operations_metrics(
        Period(Q1.start, Q1.end, Scope(objective=data_set["objective"].pk))
    )
    # Aligned: alpha. On a project: the four on alpha → 4. Through a change: p3_both (on
    # alpha) → 1; p2_by_beta is on no project and beta serves no objective.
    assert value_of(by_objective, "incidents_to_projects") == 4
    assert reader(drilled(by_objective, "incidents_to_projects")) == (4, 4)
    assert value_of(by_objective, "incidents_through_changes") == 1
    assert reader(drilled(by_objective, "incidents_through_changes")) == (1, 1)
    # P1 resolved in Q1 on the objective: p1_alpha, p1_alpha_s1 (p1_previous is beta's) → 2.
    assert reader(drilled(by_objective, "mttr_p1")) == (2, 2)
    by_service = operations_metrics(Period(Q1.start, Q1.end, Scope(service=data_set["s1"].pk)))
    assert value_of(by_service, "incidents_to_projects") == 1
    assert reader(drilled(by_service, "incidents_to_projects")) == (1, 1)
    assert "objective=" in drilled(by_objective, "mttr_p1")


# --- Post-implementation stability and early-life support --------------------------------


def went_live(code: str, go_live: date, done: bool = True, els=None):
    made = ProjectFactory(code=code, name=code.title(), support_team=TeamFactory())
    MilestoneFactory(project=made, due_date=go_live, completed_on=go_live if done else None)
    if els:
        handover = HandoverFactory(project=made)
        Handover.objects.filter(pk=handover.pk).update(els_started_on=els[0], els_ended_on=els[1])
    return made


@pytest.fixture
def go_lives():
    """As tests/dashboard/test_stability_metrics.py: alpha went live on 10 January, with
    early-life support until 10 February; delta on 20 December, its support still running."""
    alpha = went_live("ALPHA", date(2026, 1, 10), els=(date(2026, 1, 10), date(2026, 2, 10)))
    went_live("BETA", date(2026, 3, 20), done=False)
    gamma = went_live("GAMMA", date(2026, 4, 5))
    delta = went_live("DELTA", date(2025, 12, 20), els=(date(2025, 12, 20), None))
    change = change_of(alpha)
    made = {
        "day_0": IncidentFactory(project=alpha, priority=1, opened_at=at(date(2026, 1, 10), 9)),
        "day_29_by_change": IncidentFactory(
            caused_by_change=change, priority=2, opened_at=at(date(2026, 2, 8), 23)
        ),
        "day_30": IncidentFactory(project=alpha, priority=1, opened_at=at(date(2026, 2, 9), 0)),
        "p3": IncidentFactory(project=alpha, priority=3, opened_at=at(date(2026, 1, 15))),
        "after_els": IncidentFactory(project=alpha, priority=4, opened_at=at(date(2026, 2, 11))),
        "gamma": IncidentFactory(project=gamma, priority=1, opened_at=at(date(2026, 4, 6))),
        "delta_p1": IncidentFactory(project=delta, priority=1, opened_at=at(date(2026, 1, 5))),
    }
    return {"alpha": alpha, "delta": delta, **made}


def test_the_stability_drill_lists_the_serious_incidents_after_the_go_lives(go_lives, reader):
    # alpha: day 0 (P1) and day 29 through its change (P2) → 2; day 30 and the P3 do not count.
    metric = stability_metric(Q1)
    assert metric.value == 2
    assert metric.drill.params["priority_max"] == "2"
    assert reader(metric.drill.url) == (2, 2)
    # The previous period's: delta's P1 of 5 January → 1.
    previous = stability_metric(Q1.previous())
    assert reader(previous.drill.url) == (previous.value, previous.value) == (1, 1)


def test_after_go_live_without_the_priority_keeps_every_priority(go_lives, reader):
    # Days 0 to 29 of alpha's go-live (10 January – 8 February), any priority: day 0, the P3
    # of 15 January, day 29 → 3; day 30 and the P4 of 11 February (day 32) are out.
    url = "/incidents/?after_go_live=30&go_live_after=2026-01-01&go_live_before=2026-03-31"
    assert reader(url) == (3, 3)


def test_each_early_life_segment_lists_its_incidents(go_lives, reader):
    segments = early_life_top_projects(Q1)
    # alpha: day 0, the P3, day 29 (through its change), day 30 → 4; delta: 5 January → 1.
    assert [(s.label, s.value) for s in segments] == [("ALPHA Alpha", 4), ("DELTA Delta", 1)]
    for segment in segments:
        assert reader(segment.drill.url) == (segment.value, segment.value), segment.label


# --- The operations tax ------------------------------------------------------------------


def logged(incident_, day: date, hours: str) -> None:
    WorkLog.objects.create(
        incident=incident_, person=PersonFactory(), day=day, hours=Decimal(hours)
    )


def test_each_tax_bar_lists_the_incidents_its_hours_were_logged_on(reader):
    alpha = ProjectFactory(code="ALPHA", name="Alpha", support_team=TeamFactory())
    beta = ProjectFactory(code="BETA", name="Beta", support_team=TeamFactory())
    on_alpha, by_beta = (
        IncidentFactory(project=alpha),
        IncidentFactory(caused_by_change=change_of(beta)),
    )
    straddling = IncidentFactory(project=alpha)
    logged(on_alpha, date(2026, 1, 5), "3.5")
    logged(on_alpha, date(2026, 3, 31), "1.5")
    logged(by_beta, date(2026, 2, 1), "4")
    # Worked before and after Q1, not in it: not one of alpha's Q1 incidents.
    logged(straddling, date(2025, 12, 31), "2")
    logged(straddling, date(2026, 4, 1), "2")
    logged(IncidentFactory(), date(2026, 2, 1), "8")  # on no project: no bar
    total, bars = operations_tax(Q1)
    # alpha 3.5 + 1.5 = 5 h on one incident; beta 4 h on one.
    assert [(s.label, s.value) for s in bars] == [("ALPHA Alpha", 5.0), ("BETA Beta", 4.0)]
    assert [reader(s.drill.url) for s in bars] == [(1, 1), (1, 1)]


# --- Each new filter: an allowed and an excluded row -------------------------------------


@pytest.mark.parametrize(
    ("query", "allowed", "excluded"),
    [
        ("linked=project", "p1_alpha", "p2_by_beta"),
        ("linked=project_change", "p2_by_beta", "p4_loose"),
        ("opened_after=2026-01-01&opened_before=2026-03-31", "p5_last_day", "next_day"),
        ("opened_after=2026-01-01", "p1_alpha", "p1_previous"),
        (
            "resolved_after=2026-01-01&resolved_before=2026-03-31",
            "p1_previous",
            "p1_resolved_later",
        ),
        ("priority_max=2", "p2_by_beta", "p3_both"),
        ("objective={objective}", "p3_both", "p2_by_beta"),
        ("service={s1}", "p1_alpha_s1", "p1_alpha"),
        ("for_project={beta}", "p2_by_beta", "p3_both"),  # p3_both counts for alpha, its own
    ],
)
def test_each_filter_keeps_its_rows_and_leaves_the_others(
    data_set, page_clients, query, allowed, excluded
):
    ids = {key: value.pk for key, value in data_set.items()}
    page = page_clients("executive").get("/incidents/?" + query.format(**ids))
    shown = {i.pk for i in page.context["object_list"]}
    assert data_set[allowed].pk in shown
    assert data_set[excluded].pk not in shown


def test_worked_means_a_work_log_on_a_day_in_the_range(page_clients):
    inside, outside = IncidentFactory(), IncidentFactory()
    logged(inside, date(2026, 2, 1), "1")
    # A log before the range and one after it: neither is in it.
    logged(outside, date(2025, 12, 31), "1")
    logged(outside, date(2026, 4, 1), "1")
    page = page_clients("executive").get(
        "/incidents/?worked_after=2026-01-01&worked_before=2026-03-31"
    )
    assert [i.pk for i in page.context["object_list"]] == [inside.pk]


def test_during_early_life_keeps_the_days_of_support_only(go_lives, page_clients):
    page = page_clients("executive").get(
        f"/incidents/?during=early_life&for_project={go_lives['alpha'].pk}"
    )
    shown = {i.pk for i in page.context["object_list"]}
    assert go_lives["day_0"].pk in shown  # the first day of support
    assert go_lives["after_els"].pk not in shown  # the day after it ended


def test_after_go_live_keeps_days_0_to_29(go_lives, page_clients):
    page = page_clients("executive").get(
        "/incidents/?after_go_live=30&go_live_after=2026-01-01&go_live_before=2026-03-31"
    )
    shown = {i.pk for i in page.context["object_list"]}
    assert go_lives["day_29_by_change"].pk in shown
    assert go_lives["day_30"].pk not in shown


# --- What the page says, and what it costs -----------------------------------------------


def test_the_page_says_which_drill_filters_are_on_and_links_to_clear_them(data_set, page_clients):
    page = page_clients("executive").get(
        "/incidents/?state=new&opened_after=2026-01-01&opened_before=2026-03-31&during=early_life"
    )
    drill = page.context["filterset"].drill
    assert drill.phrases == ["Opened 1 Jan – 31 Mar 2026", "Opened: during early-life support"]
    text = page.content.decode()
    assert 'data-testid="drill-filters"' in text and "during early-life support" in text
    # Clearing them keeps the bar's own filter; the bar's form carries them on, hidden.
    assert drill.clear_query == "state=new"
    assert '<input type="hidden" name="during" value="early_life">' in text
    plain = page_clients("executive").get("/incidents/?state=new").content.decode()
    assert 'data-testid="drill-filters"' not in plain


def test_the_list_reads_a_fixed_number_of_queries_with_every_drill_filter(
    go_lives, page_clients, django_assert_num_queries
):
    client = page_clients("executive")
    client.get("/incidents/?q=warm-up")  # the session's first page
    url = (
        f"/incidents/?for_project={go_lives['alpha'].pk}&during=early_life&after_go_live=30"
        "&go_live_after=2026-01-01&go_live_before=2026-03-31&priority_max=2&linked=project"
        "&opened_after=2026-01-01&opened_before=2026-03-31"
    )
    # The list's 16 (the user, their permissions, the count, the rows and their service-level
    # timers, the navigation's counts, the header's unread notifications, the group and
    # category filters' choices) and the project named by `for_project` (checked, then named
    # in "Filtered by").
    with django_assert_num_queries(17):
        page = client.get(url)
    # Of alpha's P1–P2 in its early-life support and 30 days: day 0 and day 29; `linked=project`
    # keeps day 0 only (day 29 is on no project, caused by alpha's change).
    assert [i.pk for i in page.context["object_list"]] == [go_lives["day_0"].pk]
    grow_alpha = go_lives["alpha"]
    for n in range(10):
        IncidentFactory(project=grow_alpha, priority=1, opened_at=at(date(2026, 1, 11 + n)))
    with django_assert_num_queries(17):
        page = client.get(url + "&q=")
    assert page.context["paginator"].count == 11


def test_serious_after_go_live_is_one_query_whatever_the_number_of_go_lives():
    def with_go_lives(n: int, month: int) -> int:
        for k in range(n):
            made = went_live(f"P{n}-{k}", date(2026, month, 1 + k))
            IncidentFactory(project=made, priority=1, opened_at=at(date(2026, month, 15)))
        counted: dict[int, int] = {}
        first, last = date(2026, month, 1), date(2026, month, 28)
        queries = queries_for(lambda: counted.update(selectors.serious_after_go_live(first, last)))
        assert sum(counted.values()) == n  # each go-live's P1 of the 15th
        return queries

    assert with_go_lives(1, 2) == with_go_lives(10, 3) == 1


def test_stability_early_life_and_the_tax_honour_the_scope(go_lives, reader):
    objective = ObjectiveFactory()
    ProjectObjectiveFactory(project=go_lives["delta"], objective=objective)
    scoped = Period(Q1.start, Q1.end, Scope(objective=objective.pk))
    # Only delta serves the objective: none of alpha's incidents is in the scope. Stability:
    # alpha's go-live is in Q1 (a value), but its incidents are out → 0; previous: delta's → 1.
    stability = stability_metric(scoped)
    assert (stability.value, stability.previous) == (0, 1)
    assert reader(stability.drill.url) == (0, 0)
    assert reader(stability_metric(scoped.previous()).drill.url) == (1, 1)
    # Early-life support: delta's incident of 5 January → 1, and its list.
    segments = early_life_top_projects(scoped)
    assert [(s.label, s.value) for s in segments] == [("DELTA Delta", 1)]
    assert reader(segments[0].drill.url) == (1, 1)
    # The tax: delta's support (still running, 10 h a week, the handover's default) over the
    # 90 days of Q1 → 90 × 10 ÷ 7 = 128.6 h; alpha's support is out of the scope.
    total, bars = operations_tax(scoped)
    assert [(s.label, s.value) for s in bars] == [("DELTA Delta", 128.6)]
    assert total.value == 128.6
