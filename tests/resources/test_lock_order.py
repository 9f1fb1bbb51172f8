"""A recompute and a writer never deadlock (PostgreSQL: SQLite has no row locks).

The writer here does what deleting a person does: it updates that person's conflict rows,
then marks the plan dirty (the plan state row), in one transaction. A recompute that locked
the plan state first and the conflicts second waited on the writer while the writer waited
on it, and PostgreSQL killed one of them ("deadlock detected"): a 500 after commit."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from resources.engine.calendar import monday_of
from resources.models import Allocation, Conflict
from resources.planning import mark_dirty
from resources.snapshot import compute_and_publish, exclusive_run
from tests.factories import PersonFactory, ProjectFactory

MONDAY = monday_of(timezone.localdate())


@pytest.mark.django_db(transaction=True)
def test_a_recompute_and_a_writer_of_conflicts_do_not_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    # given an over-booked person with an open conflict
    ana = PersonFactory(contracted_hours=Decimal(40))
    Allocation.objects.create(
        person=ana,
        kind="project",
        project=ProjectFactory(),
        hours_per_week=60,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=4),
    )
    compute_and_publish()
    assert Conflict.objects.filter(person=ana, resolved_at__isnull=True).exists()
    holds_conflicts, run_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer():
        from django.db import connection as own

        try:
            with transaction.atomic():
                Conflict.objects.filter(person=ana).update(acknowledgement="handled")
                holds_conflicts.set()
                run_started.wait(10)
                time.sleep(0.5)  # the run is now waiting for a lock
                mark_dirty()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.close()

    def recompute():
        from django.db import connection as own

        try:
            holds_conflicts.wait(10)
            run_started.set()
            with exclusive_run():
                compute_and_publish()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            own.close()

    # when both run at once
    threads = [threading.Thread(target=writer), threading.Thread(target=recompute)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # then both finish, and the writer's edit survived the run
    assert errors == []
    assert Conflict.objects.get(person=ana, resolved_at__isnull=True).acknowledgement == "handled"
