"""Two sweeps at once (two beats, or a slow run overlapping the next tick) escalate a breach
once: rows are claimed under SKIP LOCKED and each mark is a conditional update."""

from datetime import timedelta

import pytest

from handover.incidents.sla.models import SlaEvent
from handover.incidents.sla.services import sla_sweep
from tests.support.race import race, skip_unless_postgresql

MIN = timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_breach_once(desk):
    skip_unless_postgresql()
    # given three P1 incidents past their resolution target
    late = [desk.start(desk.log(ago=250 * MIN, title=f"Late {n}")) for n in range(3)]
    # when four sweeps run at the same moment
    results = race([sla_sweep] * 4)
    # then no sweep failed and each incident was escalated once in all
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["breached"] for r in results) == len(late)
    for incident in late:
        kinds = list(SlaEvent.objects.filter(incident=incident).values_list("kind", flat=True))
        assert sorted(kinds) == ["breach", "escalated_itsm", "escalated_manager"]
