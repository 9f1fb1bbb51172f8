"""FilterSets shared by the change pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.dates import PlausibleDateTimeFilter
from itsm_pmo.filters import PortalFilterSet
from portfolio.selectors import projects, service_catalogue
from resources.selectors import people, teams

from .choices import ChangeState, ChangeType, CIKind, Risk
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
    service = AutocompleteFilter(
        queryset=service_catalogue(),
        search_fields=("name",),
        url_name="changes:filter_options",
        field_name="items__service",
        distinct=True,
    )
    starts_after = PlausibleDateTimeFilter(field_name="planned_start", lookup_expr="gte")
    starts_before = PlausibleDateTimeFilter(field_name="planned_start", lookup_expr="lt")

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
