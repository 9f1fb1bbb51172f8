"""Other apps ask handover whether a user reads handovers and incidents before showing them."""

import pytest

from handover.incidents.permissions import may_read_incidents
from handover.permissions import may_read_handovers
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pmo_lead", "itsm_manager", "engineer", "executive"])
def test_every_role_reads_handovers_and_incidents(role):
    user = UserFactory(roles=[role])
    assert may_read_handovers(user) and may_read_incidents(user)


@pytest.mark.django_db
def test_a_user_without_a_role_reads_neither():
    user = UserFactory()
    assert not may_read_handovers(user) and not may_read_incidents(user)
