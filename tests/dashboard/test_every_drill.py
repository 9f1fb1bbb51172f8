"""Every number the dashboard shows as a count — each tile and each bar of a chart — opens a
list whose count is that number, on the demo data, for this quarter and the last 12 months,
and narrowed to an objective and a service. (Rates and means drill to the rows behind
their numerator or their mean; the family tests check those against hand-worked numbers.)"""

import pytest
from django.core.management import call_command

from itsm_pmo.dashboard import board
from itsm_pmo.dashboard.forms import preset_period
from itsm_pmo.dashboard.metrics import Drill
from itsm_pmo.dashboard.period import Period, Scope
from itsm_pmo.templatetags.dashboard import COUNTS
from portfolio.models import ProjectObjective
from resources.snapshot import compute_and_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # each GET renders its list (and its context)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    compute_and_publish()


def counted(sections: list[board.Section]) -> list[tuple[str, float, Drill]]:
    """(what, the number shown, the list behind it) for every count the page shows."""
    found = []
    for section in sections:
        for metric in section.tiles:
            if metric.unit in COUNTS and metric.value is not None and metric.drill:
                found.append((f"tile {metric.key}", metric.value, metric.drill))
        for chart in section.charts:
            if chart.unit not in COUNTS:
                continue
            for label, cells, row_drill in chart.rows():
                for n, (value, cell_drill) in enumerate(cells):
                    drill = cell_drill or row_drill
                    if drill and value is not None:
                        found.append((f"{chart.key} {label} #{n}", value, drill))
    return found


def list_count(response) -> int:
    """How many rows the list says it holds (all pages)."""
    context = response.context
    if context.get("people") is not None:
        return len(context["people"])  # the heatmap, asked for the people above capacity
    return context["paginator"].count


def every_drill(sections: list[board.Section]) -> list[Drill]:
    drills = [m.drill for s in sections for m in s.tiles if m.drill]
    for section in sections:
        for chart in section.charts:
            for _, cells, row_drill in chart.rows():
                drills += [d for d in [row_drill, *(d for _, d in cells)] if d]
        drills += [d for t in section.tables for _, d in t.rows if d]
    return drills


def test_no_drill_sends_a_filter_its_list_cannot_read(demo, page_clients):
    """A parameter a list does not know, or a value it refuses, would be ignored (the page
    says so): the list would be longer than the number."""
    from django.utils import timezone

    client = page_clients("executive")
    days = preset_period("last_12_months", timezone.localdate())
    link = ProjectObjective.objects.order_by("pk").first()
    period = Period(days.start, days.end, Scope(objective=link.objective_id))
    for drill in every_drill(board.build(period)):
        response = client.get(drill.url)
        assert response.status_code == 200, drill.url
        assert b'data-testid="drill-error"' not in response.content, drill.url
        assert b"Some filters were ignored" not in response.content, drill.url
        assert b"[invalid name]" not in response.content, drill.url  # a filter with no label


def follow_all(client, period: Period) -> list[str]:
    wrong = []
    for what, value, drill in counted(board.build(period)):
        response = client.get(drill.url)
        assert response.status_code == 200, (what, drill.url, response.status_code)
        if list_count(response) != value:
            wrong.append(f"{what}: shows {value}, {drill.url} lists {list_count(response)}")
    return wrong


@pytest.mark.parametrize("preset", ["this_quarter", "last_12_months"])
def test_each_count_opens_a_list_of_that_many_rows(demo, page_clients, preset):
    from django.utils import timezone

    period = preset_period(preset, timezone.localdate())
    assert counted(board.build(period)), "the demo shows no count at all"
    assert follow_all(page_clients("executive"), period) == []


def test_narrowed_counts_open_lists_narrowed_the_same_way(demo, page_clients):
    from django.utils import timezone

    link = ProjectObjective.objects.select_related("project").order_by("pk").first()
    service = link.project.services.first()
    days = preset_period("last_12_months", timezone.localdate())
    for scope in (Scope(objective=link.objective_id), Scope(service=service and service.pk)):
        period = Period(days.start, days.end, scope)
        assert follow_all(page_clients("executive"), period) == [], scope
