"""Who may do what in resources: one predicate per rule, asked by the services.

Planning people's time (allocations) has object rules: a PMO lead plans everyone's time (the
role's `change_allocation`), a team's named manager plans their own team's. Conflicts are
acknowledged by whoever holds `acknowledge_conflict` (ITSM managers and PMO leads), who may
also ask for a recompute.

Teams, people (with their skills), skills, absences and unnamed demand have no rule beyond the
role's model permission (PMO leads manage them): `itsm_pmo.permissions.may_add/may_change/
may_delete` is their whole rule, the one the API's door (RoleModelPermissions) and the admin
check, so their viewsets stay plain ModelViewSets and they need no predicate of their own.
"""

from itsm_pmo.permissions import Actor

from .models import Allocation, Person, Team


def _person_of(user: Actor) -> Person | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def plans_everyone(user: Actor) -> bool:
    """The user plans everyone's time (the PMO lead's role)."""
    return bool(user.has_perm("resources.change_allocation"))


def manages_team(user: Actor, team: Team | None) -> bool:
    """The user is the person named as this team's manager."""
    person = _person_of(user)
    return person is not None and team is not None and team.manager_id == person.pk


def manages_any_team(user: Actor) -> bool:
    """The user is named as the manager of at least one team."""
    person = _person_of(user)
    return person is not None and Team.objects.filter(manager=person).exists()


def may_plan_team(user: Actor, team: Team) -> bool:
    """The user plans the time of this team's people: a PMO lead, or the team's manager."""
    return plans_everyone(user) or manages_team(user, team)


def may_plan_for(user: Actor, person: Person) -> bool:
    """The user plans this person's time: a PMO lead anyone's, a manager their team's."""
    return may_plan_team(user, person.team)


def may_plan_someone(user: Actor) -> bool:
    """The user plans someone's time, so the allocation form and its preview are theirs."""
    return plans_everyone(user) or manages_any_team(user)


def may_change_allocation(user: Actor, allocation: Allocation) -> bool:
    """The user edits or removes this allocation: they plan the time of its person."""
    return may_plan_for(user, allocation.person)


def may_acknowledge_conflicts(user: Actor) -> bool:
    """The user acknowledges conflicts (ITSM managers and PMO leads), any conflict alike."""
    return bool(user.has_perm("resources.acknowledge_conflict"))


def may_request_recompute(user: Actor) -> bool:
    """The user asks for a recompute now: who plans everyone's time or acknowledges conflicts."""
    return plans_everyone(user) or may_acknowledge_conflicts(user)
