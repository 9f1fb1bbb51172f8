"""Dates show the year when it is not the current one (issue 15): one filter, `day` (and
`day_time`), used wherever a page shows a date; `12 Mar` this year, `12 Mar 2025` another.
The templates are read from disk, so a date written later with `|date:"j M"` fails here."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from itsm_pmo.dates import short_date
from tests.factories import ProjectFactory

# Formats a page may still give `date`: for machines (ISO), or a part of a date whose other
# parts the page shows around it (a calendar's day number, a month heading, a clock time).
MACHINE_OR_PART = {"c", "Y-m-d", "H:i", "D H:i", "j", "l", "D", "M", "F", "Y", "M Y", "F Y"}
DATE_FILTER = re.compile(r"""\|date:(["'])(.*?)\1""")


def _this_year() -> int:
    return timezone.localdate().year


def test_a_date_of_this_year_shows_without_the_year():
    day = date(_this_year(), 3, 12)
    assert short_date(day) == "12 Mar"
    assert short_date(day, weekday=True) == f"{day:%a} 12 Mar"


def test_a_date_of_another_year_shows_the_year():
    assert short_date(date(_this_year() - 1, 3, 12)) == f"12 Mar {_this_year() - 1}"
    assert short_date(date(_this_year() + 1, 1, 2)) == f"2 Jan {_this_year() + 1}"


def test_a_date_time_shows_local_time_and_the_year_of_its_local_day():
    # 23:30 UTC on 31 December is the next day in a zone east of UTC: that day's year counts.
    with timezone.override("Europe/Helsinki"):
        moment = datetime(_this_year() - 1, 12, 31, 23, 30, tzinfo=UTC)
        assert short_date(moment, time=True) == "1 Jan 01:30"
    with timezone.override("Europe/London"):
        assert short_date(moment, time=True) == f"31 Dec {_this_year() - 1} 23:30"


def test_nothing_shows_nothing():
    assert short_date(None) == ""


def test_the_filters_render_in_templates():
    html = Template('{{ a|day }} · {{ b|day:"weekday" }} · {{ c|day_time }}').render(
        Context(
            {
                "a": date(2001, 5, 4),
                "b": date(_this_year(), 5, 4),
                "c": timezone.make_aware(datetime(_this_year(), 5, 4, 9, 5)),
            }
        )
    )
    assert html == f"4 May 2001 · {date(_this_year(), 5, 4):%a} 4 May · 4 May 09:05"


def _templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".html", ".txt"))


def test_every_template_shows_dates_through_the_filter():
    found = []
    for path in _templates():
        for match in DATE_FILTER.finditer(path.read_text()):
            if match.group(2) not in MACHINE_OR_PART:
                found.append(f"{path.name}: |date:{match.group(1)}{match.group(2)}{match.group(1)}")
    assert len(_templates()) > 50
    assert not found, "use |day or |day_time, which show the year when it is not this one:\n" + (
        "\n".join(found)
    )


@pytest.mark.django_db
def test_the_project_page_shows_the_year_of_another_years_dates(page_clients):
    this_year = _this_year()
    project = ProjectFactory(start_date=date(this_year - 1, 3, 2), end_date=date(this_year, 6, 5))
    html = page_clients("pmo_lead").get(project.get_absolute_url()).content.decode()
    assert f"2 Mar {this_year - 1} – 5 Jun" in html
    assert f"5 Jun {this_year}" not in html
