"""FilterSets shared by the change pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.dates import PlausibleDateTimeFilter
from itsm_pmo.filters import AutocompleteScopeFilter, PortalFilterSet, ScopeFilter, day_range
from portfolio.selectors import objectives, projects, service_catalogue
from resources.selectors import people, teams

from . import selectors
from .choices import ChangeState, ChangeType, CIKind, Outcome, Risk
from .models import ChangeRequest, ConfigurationItem, FreezeWindow


class ChangeFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.MultipleChoiceFilter(choices=ChangeState.choices)
    change_type = django_filters.ChoiceFilter(choices=ChangeType.choices, label="Type")
    risk = django_filters.ChoiceFilter(choices=Risk.choices)
    # Hundreds of implementers, projects, teams and services: chosen by search-as-you-type
    # (each select rendered its every option on every request).
    implementer = AutocompleteFilter(
        queryset=people().filter(changes__isnull=False).distinct(),
        search_fields=("name",),
        url_name="changes:filter_options",
    )
    team = AutocompleteFilter(
        queryset=teams(), search_fields=("name",), url_name="changes:filter_options"
    )
    project = AutocompleteFilter(
        queryset=projects(), search_fields=("code", "name"), url_name="changes:filter_options"
    )
    service = AutocompleteScopeFilter(
        queryset=service_catalogue(),
        search_fields=("name",),
        url_name="changes:filter_options",
        label="Service",
    )
    starts_after = PlausibleDateTimeFilter(field_name="planned_start", lookup_expr="gte")
    starts_before = PlausibleDateTimeFilter(field_name="planned_start", lookup_expr="lt")
    # The dashboard's drill-downs (docs/metrics.md, "Change"): each applies the selector
    # condition its number counts by, so the list's count is the number.
    objective = ScopeFilter(queryset=objectives(), label="Objective")
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, method="with_outcome", label="Review outcome"
    )
    failed = django_filters.BooleanFilter(
        method="failed_or_caused", label="Failed or caused an incident"
    )
    reviewed_after, reviewed_before = day_range("Reviewed", selectors.reviewed_between)
    raised_after, raised_before = day_range("Raised", selectors.raised_between)
    implemented_after, implemented_before = day_range("Implemented", selectors.implemented_between)
    refused_after, refused_before = day_range("Refused by the CAB", selectors.refused_between)
    drill_only = ("objective", "outcome", "failed")

    class Meta:
        model = ChangeRequest
        fields = [
            "q",
            "state",
            "change_type",
            "risk",
            "implementer",
            "team",
            "project",
            "service",
            "starts_after",
            "starts_before",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def in_scope(self, queryset, name, value):
        # `objective` or `service`: the dashboard's scope, narrowed as its numbers are.
        return selectors.in_scope(queryset, **{name: value.pk})

    def with_outcome(self, queryset, name, value):
        return queryset.filter(selectors.outcome_is(value))

    def failed_or_caused(self, queryset, name, value):
        # No: reviewed, and neither failed nor caused an incident.
        condition = selectors.failed_or_caused()
        return queryset.filter(condition if value else Q(review__isnull=False) & ~condition)


class ItemFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    kind = django_filters.ChoiceFilter(choices=CIKind.choices)

    class Meta:
        model = ConfigurationItem
        fields = ["q", "kind", "service", "criticality"]


class FreezeFilterSet(PortalFilterSet):
    active_on = PlausibleDateTimeFilter(method="active", label="Active on")

    class Meta:
        model = FreezeWindow
        fields = ["active_on", "all_services"]

    def active(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gt=value)
