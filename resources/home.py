"""The resources panel of the home page: the signed-in person's team."""

from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel

from .permissions import may_acknowledge_conflicts
from .selectors import person_for_user


def my_team_panel(user) -> WorkPanel | None:
    person = person_for_user(user)
    if person is None:
        return None
    colleagues = person.team.members.filter(active=True).exclude(pk=person.pk).order_by("name")
    items = [WorkItem(title=c.name, url=c.get_absolute_url(), meta=c.title) for c in colleagues[:6]]
    return WorkPanel(
        title=f"My team · {person.team.name}",
        icon="people",
        items=items,
        empty="You are the only member of this team so far.",
        more_url=reverse("resources:team_detail", args=[person.team_id]),
        order=900,
    )


SEVERITY_TONE = {"low": "info", "medium": "warning", "high": "warning", "critical": "danger"}


def conflicts_panel(user) -> WorkPanel | None:
    """For PMO leads and ITSM managers: open conflicts nobody has acknowledged, worst first."""
    from django.db.models import Case, IntegerField, Value, When

    from .selectors import conflicts_in, current_snapshot

    if not may_acknowledge_conflicts(user):
        return None
    worst_first = Case(
        *(
            When(severity=s, then=Value(i))
            for i, s in enumerate(["critical", "high", "medium", "low"])
        ),
        output_field=IntegerField(),
    )
    rows = (
        conflicts_in(current_snapshot())
        .filter(acknowledged_at__isnull=True)
        .order_by(worst_first, "period_start")[:6]
    )
    items = [
        WorkItem(
            title=c.subject_label,
            url=reverse("resources:conflict_list")
            + f"?subject_type={c.subject_type}&subject_id={c.subject_id}",
            meta=c.message,
            badge=c.get_severity_display(),
            tone=SEVERITY_TONE[c.severity],
        )
        for c in rows
    ]
    return WorkPanel(
        title="Conflicts to look at",
        icon="exclamation-triangle",
        items=items,
        empty="No open conflict waits for you.",
        more_url=reverse("resources:conflict_list"),
        order=30,
    )


def my_load_panel(user) -> WorkPanel | None:
    """For someone who is over-booked: the weeks it happens, so they can say so early."""
    from .selectors import conflicts_in, current_snapshot

    person = person_for_user(user)
    if person is None:
        return None
    weeks = list(
        conflicts_in(current_snapshot())
        .filter(subject_type="person", subject_id=person.pk)
        .order_by("period_start")[:6]
    )
    if not weeks:
        return None
    items = [
        WorkItem(
            title=f"Week of {c.period_start:%d %b %Y}",
            url=person.get_absolute_url(),
            meta=c.message,
            badge=c.get_severity_display(),
            tone=SEVERITY_TONE[c.severity],
        )
        for c in weeks
    ]
    return WorkPanel(
        title="I am over-booked",
        icon="battery-full",
        items=items,
        more_url=person.get_absolute_url(),
        order=15,
    )
