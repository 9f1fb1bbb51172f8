"""The weighted scoring model on hand-computed cases (pure: no database)."""

from decimal import Decimal

import pytest

from portfolio.scoring import CriterionRecord, ProjectRecord, alignment, rank, with_weights

VALUE = CriterionRecord(1, "Value", Decimal(3), higher_is_better=True)
RISK = CriterionRecord(2, "Risk", Decimal(1), higher_is_better=False)
ALIGN = CriterionRecord(3, "Alignment", Decimal(1), is_alignment=True)
CRITERIA = [VALUE, RISK, ALIGN]
OBJECTIVES = {10: 3, 11: 1}  # objective id -> weight


def test_scoring_hand_computed_case():
    # given value 5 (best), risk 1 (lowest = best), serving the weight-3 objective fully
    project = ProjectRecord(1, "A", scores={1: 5, 2: 1}, contributions={10: 100})
    # when
    (row,) = rank([project], CRITERIA, OBJECTIVES)
    # then: 3/5 × 1 × 100 = 60; 1/5 × 4/4 × 100 = 20; 1/5 × (3×100%)/(3+1) × 100 = 15
    assert [t.points for t in row.terms] == [Decimal("60.00"), Decimal("20.00"), Decimal("15.00")]
    assert row.score == Decimal("95.00")


def test_scoring_middle_values_and_lower_is_better():
    # given value 3 and risk 4 (bad), half of the small objective
    project = ProjectRecord(1, "A", scores={1: 3, 2: 4}, contributions={11: 50})
    (row,) = rank([project], CRITERIA, OBJECTIVES)
    # then: 3/5 × 2/4 × 100 = 30; 1/5 × 1/4 × 100 = 5; 1/5 × (1×50%)/4 × 100 = 2.5
    assert [t.points for t in row.terms] == [Decimal("30.00"), Decimal("5.00"), Decimal("2.50")]
    assert row.score == Decimal("37.50")


def test_scoring_missing_score_counts_nothing_and_is_reported():
    (row,) = rank([ProjectRecord(1, "A", scores={1: 5})], CRITERIA, OBJECTIVES)
    assert row.terms[1].missing and row.terms[1].points == 0
    assert row.missing == ("Risk",)
    assert not row.terms[2].missing  # alignment is computed, never missing


def test_scoring_orders_best_first_and_breaks_ties_deterministically():
    # given two projects with equal totals: one from value, one from alignment
    from_value = ProjectRecord(1, "B-VALUE", scores={1: 3, 2: 5})  # 30 + 0 + 0 = 30
    from_align = ProjectRecord(
        2,
        "C-ALIGN",
        scores={1: 1, 2: 1},  # 0 + 20 + ...
        contributions={10: 100, 11: 100},
    )  # + 20 = 40
    tie_a = ProjectRecord(3, "A-TIE", scores={1: 3, 2: 5})
    # when
    ranked = rank([from_value, from_align, tie_a], CRITERIA, OBJECTIVES)
    # then: best first; equal scores and alignment break on the code
    assert [r.code for r in ranked] == ["C-ALIGN", "A-TIE", "B-VALUE"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    # and the same input in another order gives the same ranking
    assert [r.code for r in rank([tie_a, from_value, from_align], CRITERIA, OBJECTIVES)] == [
        "C-ALIGN",
        "A-TIE",
        "B-VALUE",
    ]


def test_scoring_tie_on_total_breaks_on_alignment_first():
    aligned = ProjectRecord(1, "Z", scores={1: 1, 2: 5}, contributions={10: 100, 11: 100})
    valued = ProjectRecord(2, "A", scores={1: 5, 2: 5})
    criteria = [
        CriterionRecord(1, "Value", Decimal(1)),
        CriterionRecord(2, "Risk", Decimal(1), higher_is_better=False),
        CriterionRecord(3, "Alignment", Decimal(1), is_alignment=True),
    ]
    ranked = rank([valued, aligned], criteria, OBJECTIVES)
    assert ranked[0].score == ranked[1].score
    assert ranked[0].code == "Z"


def test_scoring_what_if_weights_change_the_order():
    strong_value = ProjectRecord(1, "V", scores={1: 5, 2: 5})
    low_risk = ProjectRecord(2, "R", scores={1: 2, 2: 1})
    assert rank([strong_value, low_risk], CRITERIA, OBJECTIVES)[0].code == "V"
    # when risk weighs 10 instead of 1
    heavier_risk = with_weights(CRITERIA, {2: Decimal(10)})
    # then the low-risk project comes first
    assert rank([strong_value, low_risk], heavier_risk, OBJECTIVES)[0].code == "R"


def test_scoring_all_weights_zero_scores_zero_without_error():
    zero = with_weights(CRITERIA, {1: Decimal(0), 2: Decimal(0), 3: Decimal(0)})
    (row,) = rank([ProjectRecord(1, "A", scores={1: 5, 2: 1})], zero, OBJECTIVES)
    assert row.score == 0


@pytest.mark.parametrize(
    ("contributions", "expected"),
    [
        ({}, Decimal(0)),
        ({10: 100, 11: 100}, Decimal(1)),
        ({99: 100}, Decimal(0)),  # an inactive or unknown objective counts nothing
    ],
)
def test_scoring_alignment_bounds(contributions, expected):
    assert alignment(contributions, OBJECTIVES) == expected
