"""Query-count helpers: pin how many SQL queries a page or endpoint issues."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def count_queries():
    """`with count_queries() as q: ...` then `len(q)` and `q.captured_queries`."""
    with CaptureQueriesContext(connection) as context:
        yield context


def queries_for(action) -> int:
    with count_queries() as context:
        action()
    return len(context)


def assert_constant_queries(action, grow, *, expected: int | None = None) -> int:
    """Run `action`, call `grow()` to add many rows, run it again: the count must not change.

    With `expected`, the count is also pinned (a baseline, as NetBox keeps).
    """
    before = queries_for(action)
    grow()
    after = queries_for(action)
    assert before == after, f"query count grew with the data: {before} -> {after}"
    if expected is not None:
        assert before == expected, f"expected {expected} queries, got {before}"
    return before
