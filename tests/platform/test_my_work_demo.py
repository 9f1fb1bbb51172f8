"""The demo (seed_demo) gives every role's inbox something to show in the kinds of work the
issue names for it, the engineer owning readiness checks among them (issue 15)."""

import pytest

from itsm_pmo.demo import seed_demo
from itsm_pmo.home import inbox
from resources.selectors import person_for_user
from resources.snapshot import compute_and_publish

pytestmark = pytest.mark.django_db

NAMED = {
    "pmo_lead": {"proposals-to-score", "stage-moves", "benefits-to-review"},
    "itsm_manager": {"handovers-to-accept", "changes-to-decide", "incidents"},
    "engineer": {"readiness-checks", "incidents", "changes-to-implement"},
    "executive": {"red-projects", "breached-freezes", "critical-conflicts"},
}


def test_demo_every_role_has_work_of_each_kind_the_issue_names():
    # given the demo organisation and its capacity picture (published after the commit,
    # which a test's transaction never reaches)
    users = seed_demo(scale=1, password="demo").users
    compute_and_publish()
    # then each role's inbox holds entries of every kind named for it, something overdue or
    # due this week among them, and the engineer owns readiness checks
    for role, named in NAMED.items():
        shown = inbox(users[role])
        found = {group.source.kind for group in shown.groups}
        assert named <= found, (role, named - found)
        assert shown.tally.overdue + shown.tally.today + shown.tally.week, role
    engineer = person_for_user(users["engineer"])
    assert engineer.readiness_checks.exists()
