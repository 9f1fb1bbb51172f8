"""The resources panel of the home page: the signed-in person's team."""

from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel

from .selectors import person_for_user


def my_team_panel(user) -> WorkPanel | None:
    person = person_for_user(user)
    if person is None:
        return None
    colleagues = person.team.members.filter(active=True).exclude(pk=person.pk).order_by("name")
    items = [
        WorkItem(title=c.name, url=c.get_absolute_url(), meta=c.title)
        for c in colleagues[:6]
    ]
    return WorkPanel(
        title=f"My team · {person.team.name}",
        icon="people",
        items=items,
        empty="You are the only member of this team so far.",
        more_url=reverse("resources:team_detail", args=[person.team_id]),
        order=900,
    )
