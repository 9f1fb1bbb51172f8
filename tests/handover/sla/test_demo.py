"""The demo's live clocks tell their story: one at warning and due within the hour, one
breached, one paused, one fresh; every demo incident has its two timers."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from handover.incidents.sla.demo import LIVE
from handover.incidents.sla.models import SlaTimer
from handover.incidents.sla.selectors import breaching_within
from handover.models import Incident

pytestmark = pytest.mark.django_db


def test_the_demo_has_live_timers_at_each_stage():
    call_command("seed_demo")
    status = {
        t.incident.title: t.status
        for t in SlaTimer.objects.filter(
            kind="resolution", incident__title__in=[r[0] for r in LIVE]
        ).select_related("incident")
    }
    titles = [row[0] for row in LIVE]
    assert [status[t] for t in titles] == ["warning", "breached", "paused", "ok"]
    soon = breaching_within(Incident.objects.all(), timedelta(hours=1))
    assert titles[0] in set(soon.values_list("title", flat=True))
    assert not Incident.objects.filter(sla_timers__isnull=True).exists()
    assert SlaTimer.objects.count() == 2 * Incident.objects.count()
