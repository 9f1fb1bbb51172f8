"""Every number of the capacity family drills down to a list that counts what it counts: a
team's utilisation to its row of the heatmap, the people above 100 % to as many people on
the heatmap, each conflict segment to as many conflicts on the conflict list. The hand-made
published snapshot of tests/dashboard/test_capacity_metrics.py, worked out by hand there."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.capacity import burnout_metric, open_conflicts, team_utilisation
from resources.models import Conflict
from tests.dashboard.test_capacity_metrics import current, person, weeks  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def heatmap(page_clients, url: str):
    page = page_clients("executive").get(url)
    assert page.status_code == 200, url
    return page


def test_each_team_share_drills_to_that_team_alone(current, page_clients):  # noqa: F811
    shares = team_utilisation()
    assert [s.team for s in shares] == ["Apps", "Ops"]
    for share in shares:
        page = heatmap(page_clients, share.drill.url)
        assert page.context["team_count"] == 1
        shown = [row.name for group in page.context["groups"] for row in group.rows]
        assert shown == [share.team]
        assert page.context["filterset"].drill.phrases == [f"Team: {share.team}"]


def test_the_people_above_capacity_drill_shows_as_many_people(current, page_clients):  # noqa: F811
    metric = burnout_metric()
    page = heatmap(page_clients, metric.drill.url)
    people = page.context["people"]
    # "three" (3 weeks running) and "leave" (4 weeks without capacity) → 2, as the metric.
    assert metric.value == len(people) == 2
    at_risk = {current["people"]["three"].pk, current["people"]["leave"].pk}
    assert {row.pk for row in people} == at_risk
    html = page.content.decode()
    assert html.count('data-testid="heatmap-person"') == 2
    assert page.context["filterset"].drill.phrases == [
        "Booked: above 100 %",
        "Weeks running: for 3+ weeks running",
    ]
    assert 'data-testid="drill-filters"' in html


@pytest.mark.parametrize(
    ("run", "allowed", "excluded"),
    [
        (3, "three", "twice"),  # two runs of two weeks are not three running
        (3, "leave", "full"),  # hours without capacity are above it; 100 % is not
        (2, "twice", "late"),  # "late" is above in week 11 only of the 12
    ],
)
def test_the_run_of_weeks_keeps_its_people_and_leaves_the_others(
    current,  # noqa: F811
    page_clients,
    run,
    allowed,
    excluded,
):
    page = heatmap(page_clients, f"/resources/?above=100&weeks_running={run}")
    shown = {row.pk for row in page.context["people"]}
    assert current["people"][allowed].pk in shown
    assert current["people"][excluded].pk not in shown


def test_the_other_filters_narrow_the_people_to_their_teams(current, page_clients):  # noqa: F811
    three = current["people"]["three"]
    page = heatmap(page_clients, f"/resources/?above=100&weeks_running=3&team={three.team_id}")
    assert [row.pk for row in page.context["people"]] == [three.pk]


def test_each_conflict_segment_lists_as_many_conflicts(current, page_clients):  # noqa: F811
    # An acknowledged conflict is still one of the snapshot's: counted, and listed.
    Conflict.objects.filter(key="B").update(acknowledged_at=timezone.now())
    segments = open_conflicts()
    assert [(s.label, s.value) for s in segments] == [
        ("Over-allocation – High", 2),
        ("Skill gap – Critical", 1),
    ]
    for segment in segments:
        page = page_clients("executive").get(segment.drill.url)
        assert page.context["paginator"].count == segment.value, segment.label
        query = urlsplit(segment.drill.url).query
        api = page_clients("executive").get(f"/api/resources/conflicts/?{query}")
        assert api.json()["count"] == segment.value


def test_the_people_drill_reads_a_fixed_number_of_queries(
    current,  # noqa: F811
    page_clients,
    django_assert_num_queries,
):
    client = page_clients("executive")
    client.get("/resources/?q=warm-up")  # the session's first page
    s3 = current["snapshots"][2]
    # The user and permissions, the plan's status, the navigation's counts, the conflict
    # summary, the person loads read once for who is above and once for their rows, the
    # header's unread notifications: 14,
    # whatever the number of people above.
    with django_assert_num_queries(14):
        client.get("/resources/?above=100&weeks_running=3")
    for _ in range(10):
        person(s3, weeks(40), weeks(50))
    from django.core.cache import cache

    cache.clear()
    client.get("/resources/?q=warm-up-again")
    with django_assert_num_queries(14):
        page = client.get("/resources/?above=100&weeks_running=3&q=")
    assert len(page.context["people"]) == 12
