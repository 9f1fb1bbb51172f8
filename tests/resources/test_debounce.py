"""When the worker runs a queued recompute at once, and when it waits for edits to pause."""

from datetime import timedelta

import pytest
from django.utils import timezone

from resources.models import PlanState
from resources.planning import mark_dirty
from resources.tasks import _still_busy

pytestmark = pytest.mark.django_db


def test_a_lone_edit_is_recomputed_at_once():
    # given one edit since the last run
    mark_dirty()
    # then the run does not wait for the quiet period
    assert _still_busy() is False


def test_a_burst_of_edits_waits_until_it_pauses(settings):
    settings.RECOMPUTE_QUIET_SECONDS = 5
    # given a second edit right after the first
    mark_dirty()
    state = PlanState.objects.get(pk=1)
    PlanState.objects.filter(pk=1).update(dirty_since=state.dirty_since - timedelta(seconds=1))
    mark_dirty()
    # then the run waits
    assert _still_busy() is True
    # and once the burst has been quiet for the period, it runs
    PlanState.objects.filter(pk=1).update(changed_at=timezone.now() - timedelta(seconds=6))
    assert _still_busy() is False


def test_a_burst_that_never_pauses_waits_no_longer_than_the_patience(settings):
    settings.RECOMPUTE_QUIET_SECONDS = 5
    settings.RECOMPUTE_MAX_WAIT_SECONDS = 30
    now = timezone.now()
    PlanState.objects.update_or_create(
        pk=1,
        defaults={"dirty": True, "changed_at": now, "dirty_since": now - timedelta(seconds=31)},
    )
    assert _still_busy() is False
