"""Properties of the engine that must hold for any input (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from resources.conflicts import overallocation, skill_gap
from resources.engine.calendar import Horizon
from resources.engine.records import (
    OPERATIONAL,
    PROJECT,
    AbsenceRecord,
    DemandRecord,
    PersonRecord,
    WorkRecord,
)
from resources.engine.run import Plan, run

H = Horizon(date(2027, 1, 4), 12)
RULES = {"overallocation": overallocation, "skill_gap": skill_gap}
days = st.integers(min_value=-14, max_value=7 * 14).map(lambda n: H.start + timedelta(days=n))


@st.composite
def span(draw):
    a, b = draw(days), draw(days)
    return min(a, b), max(a, b)


@st.composite
def plans(draw):
    people = [
        PersonRecord(
            i,
            f"P{i}",
            draw(st.integers(1, 3)),
            draw(st.sampled_from([0.0, 20.0, 37.5, 40.0])),
            tuple(
                (s, draw(st.integers(1, 5))) for s in draw(st.sets(st.integers(1, 3), max_size=2))
            ),
        )
        for i in range(1, draw(st.integers(1, 5)) + 1)
    ]
    ids = [p.id for p in people]
    records: list = list(people)
    for _ in range(draw(st.integers(0, 8))):
        start, end = draw(span())
        source = draw(st.sampled_from([PROJECT, OPERATIONAL]))
        records.append(
            WorkRecord(
                draw(st.sampled_from(ids)),
                start,
                end,
                draw(st.floats(0.5, 60)),
                source,
                "project" if source == PROJECT else "bau",
                draw(st.integers(1, 4)) if source == PROJECT else None,
                draw(st.booleans()),
                ref=f"w{len(records)}",
            )
        )
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(span())
        records.append(AbsenceRecord(draw(st.sampled_from(ids + [None])), start, end))
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(span())
        records.append(
            DemandRecord(
                draw(st.integers(1, 4)),
                draw(st.integers(1, 3)),
                draw(st.integers(1, 5)),
                start,
                end,
                draw(st.floats(0.5, 80)),
            )
        )
    return records


def overlaps(record, conflict) -> bool:
    return record.start <= conflict.period_end and record.end >= conflict.period_start


@settings(max_examples=150, deadline=None)
@given(plans())
def test_property_team_cells_sum_the_peoples(records):
    loads, _ = run(Plan.from_records(H, records), RULES)
    people = [r for r in records if isinstance(r, PersonRecord)]
    for team in {p.team_id for p in people}:
        members = [p.id for p in people if p.team_id == team]
        for week in range(H.weeks):
            for mine, theirs in (
                (loads.capacity, loads.team_capacity),
                (loads.project, loads.team_project),
                (loads.operational, loads.team_operational),
            ):
                assert abs(theirs[team][week] - sum(mine[m][week] for m in members)) < 1e-6


@settings(max_examples=150, deadline=None)
@given(plans())
def test_property_every_conflict_has_its_cause_in_the_input(records):
    _, conflicts = run(Plan.from_records(H, records), RULES)
    work = [r for r in records if isinstance(r, WorkRecord)]
    demands = [r for r in records if isinstance(r, DemandRecord)]
    for conflict in conflicts:
        if conflict.kind == "overallocation":
            causes = [
                w for w in work if w.person_id == conflict.subject_id and overlaps(w, conflict)
            ]
            assert causes, conflict
            assert set(conflict.details["sources"]) == {w.ref for w in causes}
        else:
            causes = [
                d for d in demands if d.skill_id == conflict.subject_id and overlaps(d, conflict)
            ]
            assert causes, conflict
            assert set(conflict.project_ids) <= {d.project_id for d in causes}
        assert H.start <= conflict.period_start <= H.end


@settings(max_examples=100, deadline=None)
@given(plans())
def test_property_recompute_twice_gives_the_same_result(records):
    first_loads, first = run(Plan.from_records(H, records), RULES)
    second_loads, second = run(Plan.from_records(H, list(reversed(records))), RULES)
    assert [(c.key, c.severity, c.message) for c in first] == [
        (c.key, c.severity, c.message) for c in second
    ]
    assert first_loads.capacity == second_loads.capacity
    for person in first_loads.project:
        for a, b in zip(first_loads.project[person], second_loads.project[person], strict=True):
            assert abs(a - b) < 1e-9
