"""The change calendar: its days and events, the month and week pages, and the iCalendar feed."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from changes.calendar import (
    CHANGE,
    FREEZE,
    CalendarEvent,
    calendar_events,
    feed_token_for,
    month_grid,
    place_on_days,
    week_days,
)
from changes.models import CalendarFeedToken, ChangeRequest, FreezeWindow
from resources.snapshot import compute_and_publish
from tests.factories import (
    MilestoneFactory,
    PersonFactory,
    ProjectFactory,
    ServiceFactory,
    UserFactory,
)
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import ChangeFactory

CALENDAR = "/changes/calendar/"
FEED = "/changes/calendar.ics"
RESET = "/changes/calendar/feed/reset/"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def next_wednesday() -> date:
    """Wednesday of next week: inside the capacity horizon, and its week is whole."""
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=1, days=2)


def chip(html: str, change: ChangeRequest) -> str:
    """The opening tag of a change's chip on the page ('' when it is not there)."""
    found = re.search(rf'<a\b[^>]*data-testid="cal-change-{change.number}"[^>]*>', html)
    return found.group(0) if found else ""


# --- days and placement (no database) --------------------------------------------------------


def test_month_grid_runs_monday_to_sunday_with_neighbouring_days():
    grid = month_grid(2026, 2)  # 1 February 2026 is a Sunday
    assert grid[0][0] == date(2026, 1, 26) and grid[-1][-1] == date(2026, 3, 1)
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in grid)


def test_week_days_are_the_iso_week_of_the_day():
    assert week_days(date(2026, 3, 19)) == [date(2026, 3, 16) + timedelta(days=i) for i in range(7)]


def test_place_on_days_spreads_events_over_the_days_they_cover():
    days = week_days(date(2026, 3, 16))
    overnight = CalendarEvent(
        kind=CHANGE, key="CHG1", title="Patch", start=at(days[0], 22), end=at(days[1], 2)
    )
    to_midnight = CalendarEvent(
        kind=FREEZE, key="freeze-1", title="Freeze", start=at(days[2], 0), end=at(days[4], 0)
    )
    cells = place_on_days([overnight, to_midnight], days, today=days[1])
    assert [len(c.changes) for c in cells] == [1, 1, 0, 0, 0, 0, 0]
    assert "CHG1" in cells[1].continued and "CHG1" not in cells[0].continued
    # A freeze that ends at midnight does not shade the next day.
    assert [bool(c.freezes) for c in cells] == [False, False, True, True, False, False, False]
    assert cells[1].is_today and not cells[0].is_today


# --- the page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_page_role_rule(page_clients):
    for query in ("", "?view=week"):
        assert_matrix(
            page_clients,
            "get",
            CALENDAR + query,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    no_role = Client()
    no_role.force_login(UserFactory())
    assert no_role.get(CALENDAR).status_code == 403


@pytest.mark.django_db
def test_month_view_shows_changes_freezes_go_lives_and_conflicts(page_clients):
    # given a change inside a freeze (a conflict once the engine has run), one after it and
    # a project going live the same week
    day = next_wednesday()
    FreezeWindow.objects.create(
        name="Quarter-end freeze", start=at(day, 0), end=at(day + timedelta(days=1), 0)
    )
    frozen = ChangeFactory(
        title="Patch the ledger", planned_start=at(day, 20), implementer=PersonFactory()
    )
    calm = ChangeFactory(title="Rotate certificates", planned_start=at(day + timedelta(days=2), 10))
    project = ProjectFactory(code="PRJ-CAL", name="New ledger")
    MilestoneFactory(project=project, due_date=day + timedelta(days=1))
    compute_and_publish()
    # when
    response = page_clients("itsm_manager").get(f"{CALENDAR}?date={day:%Y-%m-%d}")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    frozen_chip, calm_chip = chip(html, frozen), chip(html, calm)
    assert frozen_chip and calm_chip
    assert f'href="{frozen.get_absolute_url()}"' in frozen_chip
    assert "is-conflicted" in frozen_chip and "is-conflicted" not in calm_chip
    assert "Quarter-end freeze" in frozen_chip  # the conflict message, in the title
    assert "Quarter-end freeze" in html and "is-frozen" in html
    assert "PRJ-CAL go-live" in html and f'href="{project.get_absolute_url()}"' in html
    assert "Subscribe" in html and "/changes/calendar.ics?token=" in html


@pytest.mark.django_db
def test_week_view_shows_only_that_weeks_changes(page_clients):
    day = next_wednesday()
    this_week = ChangeFactory(title="This week", planned_start=at(day, 9))
    next_week = ChangeFactory(title="Next week", planned_start=at(day + timedelta(weeks=1), 9))
    html = (
        page_clients("engineer").get(f"{CALENDAR}?view=week&date={day:%Y-%m-%d}").content.decode()
    )
    assert chip(html, this_week) and not chip(html, next_week)
    assert "09:00–11:00" in html


@pytest.mark.django_db
def test_a_busy_day_of_the_month_shows_a_few_changes_and_links_the_rest_to_its_week(
    page_clients,
):
    # given more changes on one day than a month's cell shows
    from changes.views.calendar import MONTH_CELL_CHANGES

    day = next_wednesday()
    busy = [
        ChangeFactory(title=f"Busy {n}", planned_start=at(day, 8 + n))
        for n in range(MONTH_CELL_CHANGES + 2)
    ]
    client = page_clients("engineer")

    # when the month and the week are opened
    month = client.get(f"{CALENDAR}?view=month&date={day:%Y-%m-%d}").content.decode()
    week = client.get(f"{CALENDAR}?view=week&date={day:%Y-%m-%d}").content.decode()

    # then the month shows the soonest few and says how many more, the week shows them all
    assert [bool(chip(month, c)) for c in busy] == [True] * MONTH_CELL_CHANGES + [False] * 2
    assert f'data-testid="cal-more-{day:%Y-%m-%d}">+2 more</a>' in month
    assert f"view=week&amp;date={day:%Y-%m-%d}" in month
    assert all(chip(week, c) for c in busy)


@pytest.mark.django_db
def test_cancelled_changes_are_not_on_the_calendar(page_clients):
    day = next_wednesday()
    kept = ChangeFactory(title="Kept", planned_start=at(day, 9))
    dropped = ChangeFactory(title="Dropped", planned_start=at(day, 11))
    ChangeRequest.objects.filter(pk=dropped.pk).update(state="cancelled")
    html = page_clients("engineer").get(f"{CALENDAR}?date={day:%Y-%m-%d}").content.decode()
    assert chip(html, kept) and not chip(html, dropped)
    assert [e.key for e in calendar_events(day, day)] == [kept.number]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?date=2026-13-45", "?date=yesterday", "?view=year", "?date=0001-01-01"]
)
def test_a_bad_query_is_refused_with_a_reason(page_clients, query):
    response = page_clients("engineer").get(CALENDAR + query)
    assert response.status_code == 400
    assert "This calendar cannot be shown." in response.content.decode()


@pytest.mark.django_db
def test_an_empty_month_says_so(page_clients):
    html = page_clients("executive").get(f"{CALENDAR}?date=2031-05-01").content.decode()
    assert "Nothing on the calendar." in html and "May 2031" in html


@pytest.mark.django_db
def test_calendar_page_queries_do_not_grow_with_the_data(page_clients):
    day = next_wednesday()
    # one of each kind to begin with: a prefetch runs only when there is something to fetch
    ChangeFactory(title="First", planned_start=at(day, 9), implementer=PersonFactory())
    FreezeWindow.objects.create(name="Freeze", start=at(day, 0), end=at(day, 6))
    MilestoneFactory(due_date=day)
    compute_and_publish()
    client = page_clients("itsm_manager")
    url = f"{CALENDAR}?date={day:%Y-%m-%d}"
    client.get(url)  # the first visit makes the user's feed token

    def grow():
        for i in range(8):
            ChangeFactory(
                title=f"More {i}",
                planned_start=at(day + timedelta(days=i % 3), 8 + i),
                implementer=PersonFactory(),
                project=ProjectFactory(),
            )
            MilestoneFactory(due_date=day + timedelta(days=i % 5))
        freeze = FreezeWindow.objects.create(
            name="Service freeze", start=at(day, 0), end=at(day, 23), all_services=False
        )
        freeze.services.set([ServiceFactory(), ServiceFactory()])

    for path in (url, url + "&view=week"):
        assert_constant_queries(lambda path=path: client.get(path), grow)


# --- the feed --------------------------------------------------------------------------------


def parse(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_feed_serves_the_calendar_to_a_token_without_a_session():
    # given
    today = timezone.localdate()
    change = ChangeFactory(
        title="Patch the ledger",
        planned_start=at(today + timedelta(days=3), 20),
        implementer=PersonFactory(name="Ana Silva"),
    )
    old = ChangeFactory(title="Old one", planned_start=at(today - timedelta(days=61), 20))
    far = ChangeFactory(title="Far one", planned_start=at(today + timedelta(days=182), 20))
    cancelled = ChangeFactory(title="Cancelled", planned_start=at(today + timedelta(days=4), 20))
    ChangeRequest.objects.filter(pk=cancelled.pk).update(state="cancelled")
    freeze = FreezeWindow.objects.create(
        name="Year-end freeze", start=at(today, 0), end=at(today + timedelta(days=2), 0)
    )
    go_live = MilestoneFactory(due_date=today + timedelta(days=10))
    token = feed_token_for(UserFactory(roles=["executive"]))
    # when a calendar client, which has no session, asks for it
    response = Client().get(f"{FEED}?token={token.key}")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse(response)
    entry = events[f"{change.number}@itsm-pmo"]
    assert str(entry["SUMMARY"]) == f"{change.number} Patch the ledger"
    assert entry.decoded("DTSTART") == change.planned_start
    assert entry.decoded("DTEND") == change.planned_end
    description = str(entry["DESCRIPTION"])
    assert "Ana Silva" in description and "New" in description
    assert f"http://testserver{change.get_absolute_url()}" in description
    assert f"freeze-{freeze.pk}@itsm-pmo" in events
    assert events[f"go-live-{go_live.pk}@itsm-pmo"].decoded("DTSTART") == go_live.due_date
    for absent in (old, far, cancelled):
        assert f"{absent.number}@itsm-pmo" not in events


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?token=", "?token=not-a-token"])
def test_feed_without_a_valid_token_gives_nothing(query):
    change = ChangeFactory(title="Secret", planned_start=at(timezone.localdate(), 20))
    feed_token_for(UserFactory(roles=["engineer"]))
    response = Client().get(FEED + query)
    assert response.status_code == 404
    assert change.number not in response.content.decode()


@pytest.mark.django_db
def test_feed_of_a_user_who_may_not_see_changes_is_refused():
    change = ChangeFactory(title="Secret", planned_start=at(timezone.localdate(), 20))
    token = feed_token_for(UserFactory())  # signed up, no role yet
    response = Client().get(f"{FEED}?token={token.key}")
    assert response.status_code == 403
    assert change.number not in response.content.decode()


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_the_data():
    today = timezone.localdate()
    ChangeFactory(title="First", planned_start=at(today, 9))
    token = feed_token_for(UserFactory(roles=["engineer"]))
    client = Client()

    def grow():
        for i in range(8):
            ChangeFactory(
                title=f"More {i}",
                planned_start=at(today + timedelta(days=i), 9),
                implementer=PersonFactory(),
                project=ProjectFactory(),
            )
            MilestoneFactory(due_date=today + timedelta(days=i))

    assert_constant_queries(lambda: client.get(f"{FEED}?token={token.key}"), grow)


@pytest.mark.django_db
def test_reset_replaces_the_token_and_the_old_address_stops_working(page_clients, role_user):
    client = page_clients("engineer")
    old = feed_token_for(role_user("engineer")).key
    response = client.post(RESET)
    assert response.status_code == 302 and response["Location"] == CALENDAR
    new = CalendarFeedToken.objects.get(user=role_user("engineer")).key
    assert new != old
    assert Client().get(f"{FEED}?token={old}").status_code == 404
    assert Client().get(f"{FEED}?token={new}").status_code == 200
    assert new in client.get(CALENDAR).content.decode()


@pytest.mark.django_db
def test_reset_takes_a_post_from_a_signed_in_user_only(page_clients):
    assert_matrix(
        page_clients,
        "get",
        RESET,
        anonymous=302,
        pmo_lead=405,
        itsm_manager=405,
        engineer=405,
        executive=405,
    )
    assert_matrix(
        page_clients,
        "post",
        RESET,
        {},
        anonymous=302,
        pmo_lead=302,
        itsm_manager=302,
        engineer=302,
        executive=302,
    )
    assert Client().post(RESET)["Location"].startswith("/accounts/login/")
