import pytest

from portfolio.choices import CriterionKind
from tests.factories import CriterionFactory, PersonFactory, ProjectFactory


@pytest.fixture
def criteria(db):
    """A small scoring model: two scored criteria and the alignment one."""
    return [
        CriterionFactory(name="Value", weight=3, order=1),
        CriterionFactory(name="Risk", weight=1, higher_is_better=False, order=2),
        CriterionFactory(name="Alignment", weight=1, kind=CriterionKind.ALIGNMENT, order=3),
    ]


@pytest.fixture
def ready_proposal(db):
    """A proposal with an owner and a sponsor (scores are up to the test)."""
    return ProjectFactory(owner=PersonFactory(), sponsor="COO")
