"""The move table every workflow uses: the guard's order and the page's options."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from itsm_pmo.workflow import TABLES, Move, MoveTable, TransitionRefused, require


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


@dataclass(frozen=True)
class Facts:
    clear: bool


def road_clear(facts: Facts) -> str | None:
    return None if facts.clear else "The road is not clear."


class Holder:
    def __init__(self, *perms: str):
        self.perms = set(perms)

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in self.perms


TABLE = MoveTable(
    noun="light",
    states=Light,
    register=False,
    moves=[
        Move(Light.RED, Light.GREEN, "Go", "t.go", checks=(road_clear,)),
        Move(Light.GREEN, Light.AMBER, "Slow", "t.slow", comment=True),
    ],
)
DRIVER = Holder("t.go", "t.slow")


def test_move_table_guard_allows_a_permitted_move_with_its_checks_passing():
    move = TABLE.guard(current="red", to="green", facts=Facts(clear=True), user=DRIVER)
    assert move.label == "Go"


def test_move_table_guard_refuses_an_unknown_state_with_400():
    with pytest.raises(ValidationError) as refused:
        TABLE.guard(current="red", to="blue", facts=Facts(True), user=DRIVER)
    assert "to" in refused.value.message_dict


def test_move_table_guard_refuses_a_move_not_in_the_table_with_the_allowed_ones():
    with pytest.raises(TransitionRefused) as refused:
        TABLE.guard(current="red", to="amber", facts=Facts(True), user=DRIVER)
    assert refused.value.allowed == ["green"] and refused.value.current == "red"


def test_move_table_guard_refuses_a_role_without_the_permission_before_the_checks():
    with pytest.raises(PermissionDenied):
        TABLE.guard(current="red", to="green", facts=Facts(False), user=Holder("t.slow"))


def test_move_table_guard_refuses_a_blocked_move_with_the_reason():
    with pytest.raises(TransitionRefused, match="not clear") as refused:
        TABLE.guard(current="red", to="green", facts=Facts(False), user=DRIVER)
    assert refused.value.allowed == []


def test_move_table_guard_needs_the_comment_a_move_requires():
    with pytest.raises(ValidationError) as refused:
        TABLE.guard(current="green", to="amber", facts=Facts(True), user=DRIVER, comment=" ")
    assert "comment" in refused.value.message_dict
    TABLE.guard(current="green", to="amber", facts=Facts(True), user=DRIVER, comment="rain")


def test_move_table_options_say_what_blocks_and_whose_move_it_is():
    (option,) = TABLE.options("red", Facts(False), Holder())
    assert (option.to, option.label, option.permitted, option.open) == ("green", "Go", False, False)
    assert option.blockers == ("The road is not clear.",)
    (option,) = TABLE.options("red", Facts(True), DRIVER)
    assert option.open


def test_move_table_refuses_two_rows_for_one_move_and_unknown_states():
    with pytest.raises(ValueError):
        MoveTable(
            noun="x",
            states=Light,
            register=False,
            moves=[Move("red", "green", "a", "p"), Move("red", "green", "b", "p")],
        )
    with pytest.raises(ValueError):
        MoveTable(noun="x", states=Light, register=False, moves=[Move("red", "blue", "a", "p")])


def test_move_table_refuses_a_move_from_a_state_to_itself():
    with pytest.raises(ValueError, match="goes nowhere"):
        MoveTable(noun="x", states=Light, register=False, moves=[Move("red", "red", "a", "p")])
    # and no workflow's table has one
    assert not [(t.noun, m.source) for t in TABLES for m in t if m.source == m.target]


def test_move_table_made_in_a_test_stays_out_of_the_docs():
    assert TABLE not in TABLES
    assert TABLE.as_rows()[0] == {
        "from": "Red",
        "to": "Green",
        "label": "Go",
        "permission": "t.go",
        "comment": "",
        "checks": "road_clear",
    }


def test_require_raises_permission_denied_only_when_refused():
    require(True, "never said")
    with pytest.raises(PermissionDenied, match="Not yours"):
        require(False, "Not yours.")
