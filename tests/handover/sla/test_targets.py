"""The targets per priority: seeded by the migration, editable in the admin (which recomputes
every timer), refused when not positive."""

from datetime import timedelta

import pytest

from handover.incidents.sla.models import SlaTarget, SlaTimer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MIN = timedelta(minutes=1)


def test_the_migration_seeds_a_target_per_priority():
    targets = {
        t.priority: (t.response_minutes, t.resolution_minutes) for t in SlaTarget.objects.all()
    }
    assert targets == {1: (15, 240), 2: (30, 480), 3: (240, 1800), 4: (480, 3000), 5: (1200, 6000)}


def test_changing_a_target_in_the_admin_recomputes_the_timers(
    desk, client, in_process_tasks, django_capture_on_commit_callbacks
):
    # given a P1 opened ten minutes ago (resolution due in 4 h)
    incident = desk.log(ago=10 * MIN)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    target = SlaTarget.objects.get(priority=1)
    # when an administrator sets P1's resolution to 2 hours
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/admin/handover/slatarget/{target.pk}/change/",
            {"priority": 1, "response_minutes": 15, "resolution_minutes": 120},
        )
    assert answer.status_code == 302
    # then the incident is due two hours after it opened
    timer = SlaTimer.objects.get(incident=incident, kind="resolution")
    assert timer.due_at == incident.opened_at + 120 * MIN


def test_a_target_of_zero_minutes_is_refused(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    target = SlaTarget.objects.get(priority=2)
    answer = client.post(
        f"/admin/handover/slatarget/{target.pk}/change/",
        {"priority": 2, "response_minutes": 0, "resolution_minutes": 480},
    )
    assert answer.status_code == 200 and "response_minutes" in answer.content.decode()
    assert SlaTarget.objects.get(priority=2).response_minutes == 30
