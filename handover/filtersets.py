"""FilterSets shared by the handover pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.filters import PortalFilterSet, ScopeFilter, day_range
from portfolio.selectors import objectives, projects, service_catalogue
from resources.selectors import people, teams

from . import selectors
from .choices import CheckStatus, HandoverState
from .models import Handover, ReadinessCheck, ReadinessCriterion


class HandoverFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.MultipleChoiceFilter(choices=HandoverState.choices)
    # Hundreds of projects and teams: chosen by search-as-you-type.
    receiving_team = AutocompleteFilter(
        queryset=teams(),
        search_fields=("name",),
        url_name="handover:filter_options",
        label="Receiving team",
    )
    project = AutocompleteFilter(
        queryset=projects(), search_fields=("code", "name"), url_name="handover:filter_options"
    )
    # The dashboard's drill-downs (docs/metrics.md, "Operational impact": transition time),
    # by the selectors' conditions, so the list's count is the number.
    objective = ScopeFilter(queryset=objectives(), label="Objective")
    service = ScopeFilter(queryset=service_catalogue(), label="Into service")
    timed = django_filters.BooleanFilter(method="with_time", label="Transition time recorded")
    closed_after, closed_before = day_range("Closed", selectors.closed_between)
    drill_only = ("objective", "service", "timed")

    class Meta:
        model = Handover
        fields = ["q", "state", "receiving_team", "project"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__code__icontains=value)
            | Q(project__name__icontains=value)
            | Q(new_service_name__icontains=value)
            | Q(service__name__icontains=value)
        )

    def in_scope(self, queryset, name, value):
        # `objective` or `service`: the dashboard's scope, narrowed as its numbers are.
        return selectors.in_scope(queryset, **{name: value.pk})

    def with_time(self, queryset, name, value):
        return queryset.filter(selectors.TIMED if value else ~selectors.TIMED)


# A readiness check's owner, chosen on the handover page by search-as-you-type.
OWNER_SEARCH = AutocompleteFilter(
    queryset=people(), search_fields=("name",), url_name="handover:filter_options", empty_label="—"
)


class CheckFilterSet(PortalFilterSet):
    handover = django_filters.ModelChoiceFilter(queryset=Handover.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=CheckStatus.choices)
    owner = django_filters.ModelChoiceFilter(queryset=people())
    criterion = django_filters.ModelChoiceFilter(queryset=ReadinessCriterion.objects.all())
    mandatory = django_filters.BooleanFilter(field_name="criterion__mandatory")

    class Meta:
        model = ReadinessCheck
        fields = ["handover", "status", "owner", "criterion", "mandatory"]


class CriterionFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = ReadinessCriterion
        fields = ["q", "mandatory", "active"]
