"""The FilterSet the problem list page and the problem API share."""

import django_filters
from django.db.models import Q, QuerySet

from itsm_pmo.filters import PortalFilterSet
from portfolio.selectors import service_catalogue

from ..choices import ProblemState
from ..models import Problem


class ProblemFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.ChoiceFilter(choices=ProblemState.choices, empty_label="Any")
    # Tens of services: a plain select.
    service = django_filters.ModelChoiceFilter(
        queryset=service_catalogue().order_by("name"), empty_label="Any"
    )
    known_error = django_filters.BooleanFilter(
        method="known_errors",
        label="Known error",
        widget=django_filters.widgets.BooleanWidget(),
        help_text="Yes: a workaround is written down; no: none yet.",
    )

    class Meta:
        model = Problem
        fields = ["q", "state", "service", "known_error"]

    def search(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(root_cause__icontains=value)
            | Q(workaround__icontains=value)
        )

    def known_errors(self, queryset: QuerySet[Problem], name: str, value) -> QuerySet[Problem]:
        if value is None:
            return queryset
        # A known error is a written workaround (Problem.known_error); blank text was refused.
        return queryset.exclude(workaround="") if value else queryset.filter(workaround="")
