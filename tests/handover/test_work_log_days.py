"""Work logged on an incident (issue 15): the day defaults to today and cannot be in the future,
through the page, the API and the service alike; the page's refusals stand next to their
fields, with what was typed kept."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from handover.incidents import services
from handover.models import WorkLog
from tests.factories import PersonFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident():
    reporter = UserFactory(username="reporter", roles=["engineer"])
    return services.incident_log(
        reporter=reporter, title="Checkout down", service=ServiceFactory(name="Payments")
    )


@pytest.fixture
def engineer(role_user):
    user = role_user("engineer")
    PersonFactory(user=user)
    return user


def _today():
    return timezone.localdate()


def _field_errors(html: str, name: str) -> list[str]:
    return re.findall(rf'data-testid="error-{name}">([^<]*)<', html)


def test_work_form_proposes_today_and_offers_no_later_day(page_clients, engineer, incident):
    # when the engineer opens the incident
    html = page_clients("engineer").get(incident.get_absolute_url()).content.decode()
    # then the day is today, and the date picker stops at today
    day_input = re.search(r'<input[^>]*name="day"[^>]*>', html).group(0)
    assert f'value="{_today().isoformat()}"' in day_input
    assert f'max="{_today().isoformat()}"' in day_input


def test_work_page_refuses_a_future_day_next_to_the_field(page_clients, engineer, incident):
    client = page_clients("engineer")
    tomorrow = _today() + timedelta(days=1)
    # when time is logged for tomorrow
    refused = client.post(
        f"{incident.get_absolute_url()}work/",
        {"day": tomorrow.isoformat(), "hours": "2.5", "note": "Traced it"},
    )
    # then the page says why beside the day, keeps what was typed, and saves nothing
    assert refused.status_code == 400
    html = refused.content.decode()
    assert _field_errors(html, "day") == [
        f"{tomorrow:%-d %b}{'' if tomorrow.year == _today().year else f' {tomorrow:%Y}'} "
        "is in the future: give today or an earlier day."
    ]
    assert 'value="2.5"' in html and 'value="Traced it"' in html
    assert not WorkLog.objects.exists()


def test_work_page_logs_today_and_earlier_days(page_clients, engineer, incident):
    client = page_clients("engineer")
    url = f"{incident.get_absolute_url()}work/"
    for day in (_today(), _today() - timedelta(days=3)):
        answer = client.post(url, {"day": day.isoformat(), "hours": "1"})
        assert answer.status_code == 302
    assert sorted(WorkLog.objects.values_list("day", flat=True)) == [
        _today() - timedelta(days=3),
        _today(),
    ]


def test_work_page_shows_each_missing_field_next_to_it(page_clients, engineer, incident):
    refused = page_clients("engineer").post(
        f"{incident.get_absolute_url()}work/", {"day": "", "hours": ""}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert _field_errors(html, "day") == ["This field is required."]
    assert _field_errors(html, "hours") == ["This field is required."]
    assert not WorkLog.objects.exists()


def test_work_api_refuses_a_future_day_naming_it(api_clients, engineer, incident):
    api = api_clients("engineer")
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    refused = api.post(
        "/api/handover/worklogs/",
        {"incident": incident.pk, "hours": "1", "day": tomorrow},
        format="json",
    )
    assert refused.status_code == 400
    assert "in the future" in refused.json()["fields"]["day"][0]
    assert not WorkLog.objects.exists()
    # today, and a day omitted (today), are taken
    for body in ({"day": _today().isoformat()}, {}):
        made = api.post(
            "/api/handover/worklogs/",
            {"incident": incident.pk, "hours": "1", **body},
            format="json",
        )
        assert made.status_code == 201, made.json()
        assert made.json()["day"] == _today().isoformat()


def test_work_service_refuses_a_future_day(engineer, incident):
    with pytest.raises(ValidationError) as refused:
        services.work_log(
            incident=incident, by=engineer, hours=Decimal(1), day=_today() + timedelta(days=1)
        )
    assert "day" in refused.value.message_dict
    assert not WorkLog.objects.exists()
    made = services.work_log(incident=incident, by=engineer, hours=Decimal(1))
    assert made.day == _today()
