"""The FilterSet shared by the major-incident list and its API."""

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.filters import PortalFilterSet
from portfolio.selectors import service_catalogue
from resources.selectors import people

from .choices import MajorIncidentState
from .models import MajorIncident

# The engage and action-owner forms pick a person with this search (thousands of people).
PERSON_SEARCH = AutocompleteFilter(
    queryset=people().filter(active=True),
    search_fields=("name",),
    url_name="major:filter_options",
    empty_label="Choose a person",
)


@extend_schema_field(OpenApiTypes.INT)
class EngagedPersonFilter(AutocompleteFilter):
    """A person by id, applied by a method (the schema cannot read its type from one)."""


class MajorIncidentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.MultipleChoiceFilter(choices=MajorIncidentState.choices)
    service = AutocompleteFilter(
        queryset=service_catalogue(),
        search_fields=("name",),
        url_name="major:filter_options",
        field_name="incident__service",
        label="Service",
    )
    person = EngagedPersonFilter(
        queryset=people(),
        search_fields=("name",),
        url_name="major:filter_options",
        method="engaging",
        label="Engaged",
    )

    class Meta:
        model = MajorIncident
        fields = ["q", "state", "service", "person"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(incident__number__icontains=value) | Q(incident__title__icontains=value)
        )

    def engaging(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(engagements__person=value).distinct()
