"""FilterSets shared by the portfolio pages and API."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.html import format_html

from itsm_pmo.dates import PlausibleDateFilter
from itsm_pmo.filters import PortalFilterSet

from .choices import CostKind, Health, MilestoneKind, RiskStatus, Stage
from .models import (
    Criterion,
    Milestone,
    Project,
    ProjectCost,
    Risk,
    Score,
    Service,
    StrategicObjective,
)


class SearchInput(forms.TextInput):
    """A text field that suggests names as one types: htmx fills its datalist from the
    portfolio's suggestion endpoint (a few names, never the whole list)."""

    input_type = "search"

    def __init__(self, *, kind: str):
        super().__init__(
            attrs={
                "list": f"{kind}-suggestions",
                "autocomplete": "off",
                "placeholder": "Type a name",
                "hx-get": reverse_lazy("portfolio:suggest", args=[kind]),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": f"#{kind}-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        self.kind = kind

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}-suggestions"></datalist>', field, self.kind)


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
    # Hundreds of owners and teams: typed and suggested as you type, not listed as options.
    # An id (a link, the API) or a part of the name both filter.
    owner = django_filters.CharFilter(
        method="by_owner", label="Owner", widget=SearchInput(kind="owner")
    )
    health = django_filters.ChoiceFilter(choices=Health.choices)
    support_team = django_filters.CharFilter(
        method="by_support_team", label="Support team", widget=SearchInput(kind="support_team")
    )

    class Meta:
        model = Project
        fields = ["q", "stage", "objective", "service", "owner", "health", "support_team"]

    def by_owner(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(owner_id=int(value))
        return queryset.filter(owner__name__icontains=value)

    def by_support_team(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(support_team_id=int(value))
        return queryset.filter(support_team__name__icontains=value)

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
    due_after = PlausibleDateFilter(field_name="due_date", lookup_expr="gte")
    due_before = PlausibleDateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Milestone
        fields = ["project", "kind", "due_after", "due_before"]


class CostFilterSet(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=CostKind.choices)
    # A month range, both ends included: month_from=2026-01-01&month_to=2026-03-01.
    month_from = PlausibleDateFilter(field_name="month", lookup_expr="gte")
    month_to = PlausibleDateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = ProjectCost
        fields = ["project", "kind", "month_from", "month_to"]


class RiskFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices)
    threatens_operations = django_filters.BooleanFilter()

    class Meta:
        model = Risk
        fields = ["project", "status", "threatens_operations"]
