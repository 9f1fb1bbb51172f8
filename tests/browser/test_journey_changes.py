"""Journey: the ITSM manager opens the CAB queue, sees that the implementer is overbooked
that week, approves in place, and finds the change on the calendar."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from changes import services
from changes.models import ConfigurationItem
from resources.engine.calendar import monday_of
from resources.models import Allocation
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ServiceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def change_waiting_for_cab(role_user, in_process_tasks):
    role_user("itsm_manager")
    monday = monday_of(timezone.localdate()) + timedelta(weeks=1)
    elena = PersonFactory(name="Elena Novak", contracted_hours=Decimal(40))
    Allocation.objects.create(
        person=elena,
        kind="on_call",
        hours_per_week=36,
        start_date=monday,
        end_date=monday + timedelta(days=4),
    )
    requester = UserFactory(username="raj", first_name="Raj", last_name="Patel", roles=["engineer"])
    payments = ServiceFactory(name="Payments", tier=1)
    db = ConfigurationItem.objects.create(
        name="pay-db-cluster", kind="database", service=payments, criticality=1
    )
    start = timezone.make_aware(datetime.combine(monday + timedelta(days=3), time(20)))
    change = services.change_create(
        requester=requester,
        title="Patch the payments database cluster",
        items=[db],
        backout_plan="Fail back to the standby",
        test_plan="Payment smoke tests",
        implementer=elena,
        effort_hours=Decimal(6),
        planned_start=start,
        planned_end=start + timedelta(hours=3),
    )
    services.change_transition(change=change, to="assess", by=requester)
    services.change_transition(change=change, to="authorize", by=requester)
    compute_and_publish()
    return change


def test_journey_itsm_manager_approves_from_the_cab_queue(
    page, change_waiting_for_cab, sign_in, screenshot
):
    change = change_waiting_for_cab
    sign_in(page, "itsm_manager_user")
    page.goto("/changes/cab/")
    card = page.get_by_test_id(f"cab-card-{change.number}")
    expect(card).to_be_visible()
    # the implementer's week: 36 h on call plus the change's 6 h, on 40 h
    expect(card.get_by_test_id("implementer-load")).to_contain_text("Overbooked")
    expect(card.get_by_test_id("implementer-load")).to_contain_text("42.0 h booked of 40.0 h")
    expect(card.get_by_text("Touches a tier 1 service")).to_be_visible()
    screenshot(page, "changes-cab-queue")

    # approves in place, with a comment, from the keyboard-reachable form
    card.get_by_label(f"Comment on {change.number}").fill("Agreed: Omar shadows Elena")
    card.get_by_test_id("approve").click()
    decided = page.get_by_test_id(f"cab-decided-{change.number}")
    expect(decided).to_contain_text("You approved")
    expect(decided).to_contain_text("Scheduled")

    # and finds it on the calendar, in its week
    decided.get_by_role("link", name="See it on the calendar").click()
    chip = page.get_by_test_id(f"cal-change-{change.number}")
    expect(chip).to_be_visible()
    screenshot(page, "changes-calendar-week")
    page.goto(f"/changes/calendar/?date={change.planned_start:%Y-%m-%d}")
    expect(page.get_by_test_id(f"cal-change-{change.number}")).to_be_visible()
    screenshot(page, "changes-calendar-month")
