"""The numpy engine gives what the plain-Python engine gave, to the last bit (hypothesis)."""

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

from . import reference

H = Horizon(date(2027, 1, 4), 10)
RULES = {"overallocation": overallocation, "skill_gap": skill_gap}
days = st.integers(min_value=-10, max_value=7 * 12).map(lambda n: H.start + timedelta(days=n))
hours = st.one_of(
    st.sampled_from([0.5, 4.0, 7.5, 12.5, 18.75, 20.0, 37.5, 40.0]), st.floats(0.1, 60)
)


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
            draw(st.sampled_from([0.0, 20.0, 22.5, 37.5, 40.0])),
            tuple(
                (s, draw(st.integers(1, 5))) for s in draw(st.sets(st.integers(1, 3), max_size=3))
            ),
        )
        for i in range(1, draw(st.integers(1, 6)) + 1)
    ]
    ids = [p.id for p in people]
    records: list = list(people)
    for _ in range(draw(st.integers(0, 14))):
        start, end = draw(span())
        source = draw(st.sampled_from([PROJECT, OPERATIONAL]))
        records.append(
            WorkRecord(
                draw(st.sampled_from(ids + [99])),
                start,
                end,
                draw(hours),
                source,
                "project" if source == PROJECT else "bau",
                draw(st.integers(1, 4)) if source == PROJECT else None,
                draw(st.booleans()),
                ref=draw(st.sampled_from(["", f"w{len(records)}"])),
                scales_with_availability=draw(st.booleans()),
            )
        )
    for _ in range(draw(st.integers(0, 4))):
        start, end = draw(span())
        records.append(AbsenceRecord(draw(st.sampled_from(ids + [None, 99])), start, end))
    for _ in range(draw(st.integers(0, 6))):
        start, end = draw(span())
        records.append(
            DemandRecord(
                draw(st.integers(1, 4)),
                draw(st.integers(1, 4)),
                draw(st.integers(1, 5)),
                start,
                end,
                draw(hours),
            )
        )
    return records


def described(conflicts):
    return sorted(
        (c.key, c.severity, c.message, repr(c.details), c.project_ids, c.person_id, c.team_id)
        for c in conflicts
    )


@settings(max_examples=300, deadline=None)
@given(plans(), st.sampled_from([1.0, 0.8, 1.2]))
def test_property_vectorised_engine_matches_the_plain_python_one(records, threshold):
    plan = Plan.from_records(H, records, settings={"overallocation_threshold": threshold})
    loads, conflicts = run(plan, RULES)
    expected = reference.compute_loads(H, plan.people, plan.absences, plan.work)
    for name, rows in expected.items():
        got = getattr(loads, name)
        assert list(got) == list(rows), name  # the same people and teams, in the same order
        for key, row in rows.items():
            assert [x.hex() for x in got[key]] == [float(x).hex() for x in row], (name, key)
            assert all(type(x) is float for x in got[key])
    assert described(conflicts) == described(
        [*reference.overallocation(plan, expected), *reference.skill_gap(plan, expected)]
    )
