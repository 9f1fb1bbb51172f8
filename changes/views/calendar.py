"""The change calendar page (month and week) and its iCalendar feed for calendar clients."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.http import require_POST, require_safe

from ..calendar import (
    calendar_events,
    feed_events,
    feed_ical,
    feed_owner,
    feed_token_for,
    feed_token_reset,
    month_grid,
    place_on_days,
    week_days,
)
from ..choices import ChangeState

MODES = ("month", "week")
# Far enough for any plan, and near enough that a grid and its neighbours stay valid dates.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Changes a month's day shows, soonest first; a busy day says how many more and links to its
# week, which lists them all (at enterprise size a month holds hundreds of windows).
MONTH_CELL_CHANGES = 4


class BadCalendarQuery(ValueError):
    """A query string the calendar cannot show; its message is for the user."""


def parse_query(params) -> tuple[str, date | None]:
    """(mode, day) from `view` and `date`; day None means today."""
    mode = params.get("view") or "month"
    if mode not in MODES:
        raise BadCalendarQuery(f"Unknown view “{mode}”: use view=month or view=week.")
    raw = params.get("date") or ""
    if not raw:
        return mode, None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise BadCalendarQuery(
            f"“{raw}” is not a date: use YYYY-MM-DD, e.g. date=2026-03-16."
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise BadCalendarQuery(f"The calendar covers {EARLIEST.year} to {LATEST.year}.")
    return mode, day


class ChangeCalendarView(PermissionRequiredMixin, View):
    """Changes, freezes and go-lives of a month or a week, with the user's feed link."""

    permission_required = "changes.view_changerequest"
    template_name = "changes/calendar.html"

    def get(self, request):
        try:
            mode, day = parse_query(request.GET)
        except BadCalendarQuery as exc:
            return render(
                request,
                self.template_name,
                {"error": str(exc), "today_url": self.url("month")},
                status=400,
            )
        today = timezone.localdate()
        day = day or today
        context = self.month(day, today) if mode == "month" else self.week(day, today)
        token = feed_token_for(request.user)
        feed_path = f"{reverse('changes:calendar_feed')}?{urlencode({'token': token.key})}"
        feed_url = request.build_absolute_uri(feed_path)
        context.update(
            mode=mode,
            day=day,
            weekdays=WEEKDAYS,
            feed_url=feed_url,
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
            today_url=self.url(mode),
            month_url=self.url("month", day),
            week_url=self.url("week", day),
            states=[
                (value, label)
                for value, label in ChangeState.choices
                if value != ChangeState.CANCELLED
            ],
        )
        return render(request, self.template_name, context)

    @staticmethod
    def url(mode: str, day: date | None = None) -> str:
        query = {"view": mode, **({"date": day.isoformat()} if day else {})}
        return f"{reverse('changes:calendar')}?{urlencode(query)}"

    def month(self, day: date, today: date) -> dict:
        first = day.replace(day=1)
        days = [d for week in month_grid(first.year, first.month) for d in week]
        events = calendar_events(days[0], days[-1])
        cells = place_on_days(events, days, month=first.month, today=today)
        for cell in cells:
            cell.limit = MONTH_CELL_CHANGES
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=31)).replace(day=1)
        return {
            "heading": date_format(first, "F Y"),
            "span": "month",
            "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
            "has_events": any(not c.is_empty for c in cells),
            "prev_url": self.url("month", previous),
            "next_url": self.url("month", following),
        }

    def week(self, day: date, today: date) -> dict:
        days = week_days(day)
        cells = place_on_days(calendar_events(days[0], days[-1]), days, today=today)
        monday, sunday = days[0], days[-1]
        return {
            "heading": f"Week {monday.isocalendar().week}, "
            f"{date_format(monday, 'j M')} – {date_format(sunday, 'j M Y')}",
            "span": "week",
            "days": cells,
            "has_events": any(not c.is_empty for c in cells),
            "prev_url": self.url("week", monday - timedelta(weeks=1)),
            "next_url": self.url("week", monday + timedelta(weeks=1)),
        }


@login_not_required  # calendar clients cannot sign in: the token in the URL stands for the user
@require_safe  # GET, and HEAD for clients that check before they fetch
def calendar_feed(request):
    """The change calendar as iCalendar, 60 days back to 180 days ahead, for the token's user."""
    owner = feed_owner(request.GET.get("token", ""))
    if owner is None:
        raise Http404("No such calendar feed.")
    events = feed_events(user=owner, today=timezone.localdate())
    body = feed_ical(events, absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="changes.ics"'
    # The URL is a secret: keep shared caches from storing what it returns.
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def calendar_feed_reset(request):
    """Replace the user's feed key, e.g. after the URL was shared by mistake."""
    feed_token_reset(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address. The old one no longer "
        "works: subscribe again with the address below.",
    )
    return redirect("changes:calendar")
