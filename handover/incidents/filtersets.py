"""FilterSets shared by the incident pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.filters import PortalFilterSet
from portfolio.selectors import projects, service_catalogue
from resources.selectors import people

from ..choices import IncidentState, ProblemState
from ..models import Incident, Problem
from .priority import LABELS


class IncidentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.MultipleChoiceFilter(choices=IncidentState.choices)
    # With an empty choice: without one the bar's select sent priority=1 with every search.
    priority = django_filters.TypedChoiceFilter(
        choices=[("", "Any"), *sorted(LABELS.items())], coerce=int
    )
    # Tens of services, hundreds of projects, thousands of people: chosen by search-as-you-type.
    service = AutocompleteFilter(
        queryset=service_catalogue(), search_fields=("name",), url_name="incidents:filter_options"
    )
    project = AutocompleteFilter(
        queryset=projects(), search_fields=("code", "name"), url_name="incidents:filter_options"
    )
    assignee = AutocompleteFilter(
        queryset=people(), search_fields=("name",), url_name="incidents:filter_options"
    )
    major = django_filters.BooleanFilter(
        label="Major only", method="major_only", widget=django_filters.widgets.BooleanWidget()
    )
    mine = django_filters.BooleanFilter(
        label="Mine", method="mine_only", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Incident
        fields = ["q", "state", "priority", "service", "project", "assignee", "major", "mine"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def major_only(self, queryset, name, value):
        return queryset.filter(major=value) if value is not None else queryset

    def mine_only(self, queryset, name, value):
        """Assigned to me or reported by me."""
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(Q(reporter=user) | Q(assignee__user=user))


class ProblemFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.ChoiceFilter(choices=ProblemState.choices)

    class Meta:
        model = Problem
        fields = ["q", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(root_cause__icontains=value)
        )
