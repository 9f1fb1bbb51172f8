"""Who may plan whose time: PMO leads everyone's, a team's manager their own team's."""

from .models import Person, Team


def can_plan_for(user, team: Team | None) -> bool:
    if user.has_perm("resources.change_allocation"):
        return True
    if team is None or team.manager_id is None:
        return False
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person is not None and team.manager_id == person.pk


def plannable_people(user):
    """Everyone for a PMO lead; the members of the teams a manager manages."""
    people = Person.objects.filter(active=True).select_related("team")
    if user.has_perm("resources.change_allocation"):
        return people
    person = getattr(user, "person", None)
    if person is None:
        return people.none()
    return people.filter(team__manager=person)
