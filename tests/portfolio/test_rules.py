"""The rules every door to a project shares, on plain values (no database)."""

from dataclasses import dataclass

import pytest

from portfolio.rules import (
    CurrentLink,
    ObjectiveLink,
    objective_link_problems,
    objective_links_after,
    owner_problem,
)


@dataclass(frozen=True)
class Thing:
    pk: int
    name: str
    active: bool = True

    def __str__(self):
        return self.name


A, B = Thing(1, "A"), Thing(2, "B")
OLD = Thing(9, "Old", active=False)


@pytest.mark.parametrize(
    ("links", "current", "after"),
    [
        # new links: the percent given, or 100 %
        ([ObjectiveLink(A, 60), ObjectiveLink(B)], {}, {1: 60, 2: 100}),
        # an existing link given without a percent keeps its own
        ([ObjectiveLink(A)], {1: CurrentLink(True, 40)}, {1: 40}),
        # an active link not listed goes
        ([ObjectiveLink(B, 10)], {1: CurrentLink(True, 40)}, {2: 10}),
        # a retired link stays, listed (unchanged) or not
        ([], {9: CurrentLink(False, 80)}, {9: 80}),
        ([ObjectiveLink(OLD, 80)], {9: CurrentLink(False, 80)}, {9: 80}),
        ([ObjectiveLink(OLD)], {9: CurrentLink(False, 80)}, {9: 80}),
    ],
)
def test_rules_objective_links_after_a_save(links, current, after):
    assert objective_link_problems(links, current) == []
    assert objective_links_after(links, current) == after


@pytest.mark.parametrize(
    ("links", "current", "problem"),
    [
        ([ObjectiveLink(A, 1), ObjectiveLink(A, 2)], {}, "“A” is listed twice."),
        ([ObjectiveLink(A, 101)], {}, "101 for “A” is not a percent from 0 to 100."),
        ([ObjectiveLink(A, -1)], {}, "-1 for “A” is not a percent from 0 to 100."),
        ([ObjectiveLink(A, True)], {}, "True for “A” is not a percent from 0 to 100."),
        ([ObjectiveLink(OLD, 50)], {}, "“Old” is no longer an active objective."),
        ([ObjectiveLink(OLD, 50)], {9: CurrentLink(False, 80)}, "“Old” is no longer an active"),
    ],
)
def test_rules_objective_links_refused(links, current, problem):
    assert problem in " ".join(objective_link_problems(links, current))


def test_rules_owner_is_active_or_already_the_owner():
    gone = Thing(5, "Ada", active=False)
    assert owner_problem(None, current_owner_id=None) is None
    assert owner_problem(A, current_owner_id=None) is None
    assert owner_problem(gone, current_owner_id=5) is None
    assert owner_problem(gone, current_owner_id=None) == (
        "Ada has left; choose an active person as the owner."
    )
