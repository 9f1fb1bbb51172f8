"""The handover page says why acceptance is held back once, and its state log shows moves
between two states only: opening is "Opened in Planning", never "Planning → Planning"."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import F

from handover import services
from handover.choices import HandoverState
from handover.models import HandoverTransition
from itsm_pmo.models import OPENED

from .factories import HandoverFactory
from .handover_helpers import days, force_state, settle_checks

pytestmark = pytest.mark.django_db

REASON = "Mandatory checks still open: Runbook published."


def _in_review_with_the_runbook_open():
    handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
    settle_checks(handover)
    handover.checks.filter(criterion__name="Runbook published").update(status="in_progress")
    return handover


@pytest.mark.parametrize("role", ["itsm_manager", "pmo_lead", "engineer", "executive"])
def test_detail_states_why_acceptance_is_held_back_once(page_clients, role):
    # given a handover in review with one mandatory check open
    handover = _in_review_with_the_runbook_open()
    # when each role opens it
    html = page_clients(role).get(f"/handover/{handover.pk}/").content.decode()
    # then the reason is on the page exactly once
    assert html.count(REASON) == 1


def test_detail_the_held_back_acceptance_points_to_the_reason(page_clients):
    handover = _in_review_with_the_runbook_open()
    html = page_clients("itsm_manager").get(f"/handover/{handover.pk}/").content.decode()
    button = re.search(r"<button[^>]*data-testid=\"move-accepted\"[^>]*>", html).group(0)
    assert "disabled" in button and 'aria-describedby="mandatory-open"' in button
    # a PMO lead is told in addition that acceptance is not theirs, beside the button
    html = page_clients("pmo_lead").get(f"/handover/{handover.pk}/").content.decode()
    button = re.search(r"<button[^>]*data-testid=\"move-accepted\"[^>]*>", html).group(0)
    assert 'aria-describedby="why-accepted mandatory-open"' in button
    assert html.count("Only an ITSM manager accepts a handover.") == 1


def test_detail_acceptance_open_once_the_checks_are_settled(page_clients):
    handover = _in_review_with_the_runbook_open()
    settle_checks(handover)
    html = page_clients("itsm_manager").get(f"/handover/{handover.pk}/").content.decode()
    button = re.search(r"<button[^>]*data-testid=\"move-accepted\"[^>]*>", html).group(0)
    assert "disabled" not in button and "Mandatory checks still open" not in html


def test_opening_is_recorded_as_opened_not_as_a_move_to_itself(page_clients, role_user):
    # given a handover opened by a PMO lead, then moved to readiness review and back
    lead = role_user("pmo_lead")
    handover = HandoverFactory(go_live=days(30), by=lead)
    services.handover_transition(handover=handover, to="readiness_review", by=lead)
    services.handover_transition(handover=handover, to="planning", by=lead, comment="Not yet.")
    # then the trail opens with OPENED, and no record goes from a state to itself
    trail = list(handover.transitions.order_by("at", "pk").values_list("from_state", "to_state"))
    assert trail == [
        (OPENED, "planning"),
        ("planning", "readiness_review"),
        ("readiness_review", "planning"),
    ]
    assert not HandoverTransition.objects.filter(from_state=F("to_state")).exists()
    # and the page's log says so in words
    html = page_clients("executive").get(f"/handover/{handover.pk}/").content.decode()
    log = html[html.index('data-testid="state-log"') :]
    assert "Opened in Planning" in log and "Planning → Planning" not in log
    assert "Planning → Readiness review" in log and "Readiness review → Planning" in log
    # the API's log too
    api = page_clients("executive").get(f"/api/handover/handovers/{handover.pk}/transitions/")
    assert [(row["from_state"], row["to_state"]) for row in api.json()][-1] == ("", "planning")


def test_migration_turns_recorded_self_moves_into_openings():
    # given an opening recorded the old way (planning → planning), bypassing the model's check
    handover = HandoverFactory(go_live=days(30))
    HandoverTransition.objects.bulk_create(
        [HandoverTransition(handover=handover, from_state="planning", to_state="planning")]
    )
    # when the data migration runs
    name = "0008_opening_is_not_a_move"
    migration = importlib.import_module(f"handover.migrations.{name}")
    state = MigrationLoader(connection).project_state(("handover", name))
    migration.opening_is_not_a_move(state.apps, None)
    # then it is an opening
    assert list(handover.transitions.values_list("from_state", "to_state")) == [
        (OPENED, "planning")
    ]
