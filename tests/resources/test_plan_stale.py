"""The capacity pages say when their picture is out of date: edits it does not show yet
(a run on its way, or the broker down and the sweep still to come)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from resources.models import PlanState
from resources.snapshot import compute_and_publish

pytestmark = pytest.mark.django_db
PAGES = ["/resources/", "/resources/conflicts/", "/resources/status/"]


@pytest.fixture
def published():
    compute_and_publish()
    PlanState.objects.filter(pk=1).update(dirty=False, dirty_since=None, queued_at=None)


def test_a_dirty_plan_is_shown_out_of_date_since_its_first_edit(published, page_clients):
    since = datetime(2026, 3, 2, 9, 41, tzinfo=ZoneInfo(settings.TIME_ZONE))
    PlanState.objects.filter(pk=1).update(dirty=True, dirty_since=since)
    pages = page_clients("pmo_lead")
    for path in PAGES:
        assert "Out of date since" in pages.get(path).text, path
    assert "09:41</time>" in pages.get("/resources/status/").text


def test_a_clean_plan_is_not_shown_out_of_date(published, page_clients):
    pages = page_clients("pmo_lead")
    for path in PAGES:
        assert "Out of date since" not in pages.get(path).text, path
