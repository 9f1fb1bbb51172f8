"""The role groups exist after migrate, each with its permissions."""

import pytest
from django.contrib.auth.models import Group

from itsm_pmo.roles import Role, has_role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_roles_groups_are_created_by_migration():
    # then
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_roles_every_role_reads_the_portal(role):
    # given
    user = UserFactory(roles=[role])
    # then
    assert user.has_perm("resources.view_team")
    assert user.has_perm("resources.view_person")


def test_roles_pmo_lead_manages_resources_and_others_do_not():
    # given
    pmo, engineer, executive = (
        UserFactory(roles=[r]) for r in ("pmo_lead", "engineer", "executive")
    )
    # then: allowed
    assert pmo.has_perm("resources.add_person")
    # then: refused
    assert not engineer.has_perm("resources.add_person")
    assert not executive.has_perm("resources.change_team")


def test_roles_user_without_group_has_no_role_and_no_permission():
    user = UserFactory()
    assert roles_of(user) == frozenset()
    assert not has_role(user, Role.values)
    assert not user.has_perm("resources.view_team")


def test_roles_superuser_passes_every_role_rule():
    admin = UserFactory(is_superuser=True)
    assert has_role(admin, [Role.ITSM_MANAGER])
