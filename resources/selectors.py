"""Reads of resources shared by pages and the API."""

from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet, Sum

from .models import Person, PersonSkill, Team


def team_list() -> QuerySet[Team]:
    """Teams with their head count and weekly contracted hours, in one query."""
    return (
        Team.objects.select_related("manager")
        .annotate(
            headcount=Count("members", distinct=True),
            weekly_hours=Sum("members__contracted_hours"),
        )
        .order_by("name")
    )


def person_list() -> QuerySet[Person]:
    """People with team and skills, for lists (two queries whatever the size)."""
    return Person.objects.select_related("team", "user").prefetch_related(
        Prefetch("skill_levels", queryset=PersonSkill.objects.select_related("skill"))
    )


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("team").filter(user=user).first()


def latest_snapshot_time() -> datetime | None:
    """When the latest capacity snapshot was published; None while none exists.

    The capacity engine and its snapshots arrive with the resources issue; until a snapshot
    has been published there is honestly none, which /healthz reports as null.
    """
    return None


def open_conflict_counts(project_ids) -> dict[int, int]:
    """Open conflicts per project, from the latest published snapshot.

    The conflict engine arrives with the resources issue; until it has published a snapshot
    there are no conflicts, so every project counts zero.
    """
    return {}
