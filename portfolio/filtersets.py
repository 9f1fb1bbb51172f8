"""FilterSets shared by the portfolio pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.filters import PortalFilterSet
from resources.selectors import people, teams

from .choices import Health, MilestoneKind, RiskStatus, Stage
from .models import (
    Criterion,
    Milestone,
    Project,
    Risk,
    Score,
    Service,
    StrategicObjective,
)


class ProjectFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    objective = django_filters.ModelChoiceFilter(
        queryset=StrategicObjective.objects.all(),
        field_name="objectives",
        distinct=True,
        label="Objective",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), field_name="services", distinct=True, label="Service"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=people().filter(owned_projects__isnull=False).distinct()
    )
    health = django_filters.ChoiceFilter(choices=Health.choices)
    support_team = django_filters.ModelChoiceFilter(queryset=teams())

    class Meta:
        model = Project
        fields = ["q", "stage", "objective", "service", "owner", "health", "support_team"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value)
        )


class BoardFilterSet(ProjectFilterSet):
    """The board's filters: the project filters without stage (the columns are stages)."""

    class Meta(ProjectFilterSet.Meta):
        fields = ["q", "objective", "service", "owner", "health"]

    stage = None
    support_team = None


class ObjectiveFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = StrategicObjective
        fields = ["q", "active"]


class ServiceFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = Service
        fields = ["q", "owning_team", "tier", "support_hours"]


class CriterionFilterSet(PortalFilterSet):
    class Meta:
        model = Criterion
        fields = ["kind", "higher_is_better"]


class ScoreFilterSet(PortalFilterSet):
    class Meta:
        model = Score
        fields = ["project", "criterion", "value"]


class MilestoneFilterSet(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=MilestoneKind.choices)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Milestone
        fields = ["project", "kind", "due_after", "due_before"]


class RiskFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices)
    threatens_operations = django_filters.BooleanFilter()

    class Meta:
        model = Risk
        fields = ["project", "status", "threatens_operations"]
