"""FilterSets shared by the incident pages and API."""

from datetime import timedelta

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from itsm_pmo.autocomplete import AutocompleteFilter
from itsm_pmo.dates import PlausibleDateFilter
from itsm_pmo.filters import AutocompleteScopeFilter, PortalFilterSet, ScopeFilter, day_range
from portfolio.selectors import objectives, projects, service_catalogue
from resources.selectors import people, teams

from ..choices import IncidentState
from ..models import Incident, IncidentCategory
from . import selectors
from .priority import LABELS
from .sla import selectors as sla_selectors

# The "breaching" filter's windows.
BREACHING = {"next_hour": timedelta(hours=1)}


@extend_schema_field(OpenApiTypes.INT)
class ChosenById(django_filters.ModelChoiceFilter):
    """A row by its id, applied by a method (the schema cannot read its type from one)."""


class IncidentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.MultipleChoiceFilter(choices=IncidentState.choices)
    # With an empty choice: without one the bar's select sent priority=1 with every search.
    priority = django_filters.TypedChoiceFilter(
        choices=[("", "Any"), *sorted(LABELS.items())], coerce=int
    )
    # Tens of services, hundreds of projects, thousands of people: chosen by search-as-you-type.
    # The dashboard's scope narrows the same way (`selectors.in_scope`).
    service = AutocompleteScopeFilter(
        queryset=service_catalogue(),
        search_fields=("name",),
        url_name="incidents:filter_options",
        label="Service",
    )
    project = AutocompleteFilter(
        queryset=projects(), search_fields=("code", "name"), url_name="incidents:filter_options"
    )
    assignee = AutocompleteFilter(
        queryset=people(), search_fields=("name",), url_name="incidents:filter_options"
    )
    # The queues (issue 17): a group's incidents, those nobody holds yet, a category.
    assignment_group = django_filters.ModelChoiceFilter(
        queryset=teams(), label="Assignment group", empty_label="Any group"
    )
    unassigned = django_filters.BooleanFilter(
        label="Unassigned only",
        field_name="assignee",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=IncidentCategory.objects.filter(parent__isnull=True),
        label="Category",
        empty_label="Any category",
    )
    major = django_filters.BooleanFilter(
        label="Major only", method="major_only", widget=django_filters.widgets.BooleanWidget()
    )
    mine = django_filters.BooleanFilter(
        label="Mine", method="mine_only", widget=django_filters.widgets.BooleanWidget()
    )
    # The dashboard's drill-downs (docs/metrics.md, "Operational impact"): each applies the
    # condition its number counts with (selectors.py), so the list counts what it counts.
    linked = django_filters.ChoiceFilter(
        choices=[("project", "on a project"), ("project_change", "caused by a project's change")],
        method="linked_to",
        label="Linked",
    )
    for_project = ChosenById(
        queryset=projects(), method="counted_for", label="Project (on it or by its change)"
    )
    opened_after, opened_before = day_range("Opened", selectors.opened_in)
    resolved_after, resolved_before = day_range("Resolved", selectors.resolved_in)
    worked_after, worked_before = day_range("Work logged", selectors.worked_in)
    during = django_filters.ChoiceFilter(
        choices=[("early_life", "during early-life support")],
        method="during_support",
        label="Opened",
    )
    after_go_live = django_filters.TypedChoiceFilter(
        choices=[(30, "in the 30 days after its project's go-live")],
        coerce=int,
        method="days_after",
        label="Opened",
    )
    # The go-lives whose 30 days `after_go_live` reads (without it, they narrow nothing).
    go_live_after = PlausibleDateFilter(method="with_go_live", label="Go-live from")
    go_live_before = PlausibleDateFilter(method="with_go_live", label="Go-live until")
    priority_max = django_filters.TypedChoiceFilter(
        choices=[(p, f"P1 to P{p}") for p in sorted(LABELS)],
        coerce=int,
        field_name="priority",
        lookup_expr="lte",
        label="Priority up to",
    )
    objective = ScopeFilter(queryset=objectives(), label="Objective")
    # Service levels (docs/sla.md): a running timer, response or resolution, due within the
    # hour and not yet breached.
    breaching = django_filters.ChoiceFilter(
        choices=[("next_hour", "Breaching in the next hour")],
        method="breaching_soon",
        label="Service level",
        empty_label="Any",
    )

    drill_only = (
        "linked",
        "for_project",
        "during",
        "after_go_live",
        "go_live_after",
        "go_live_before",
        "priority_max",
        "objective",
    )

    class Meta:
        model = Incident
        fields = [
            "q",
            "state",
            "priority",
            "service",
            "project",
            "assignment_group",
            "assignee",
            "unassigned",
            "category",
            "major",
            "mine",
            "breaching",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_queryset(self, queryset):
        """The fields and day ranges, then the go-lives' window: one condition with its dates."""
        queryset = super().filter_queryset(queryset)
        value = self.form.cleaned_data.get
        if value("after_go_live"):
            queryset = selectors.after_go_live(
                queryset,
                value("go_live_after"),
                value("go_live_before"),
                days=value("after_go_live"),
            )
        return queryset

    def with_go_live(self, queryset, name, value):
        return queryset  # applied with `after_go_live` in filter_queryset

    def days_after(self, queryset: QuerySet[Incident], name: str, value: int) -> QuerySet[Incident]:
        return queryset  # applied with the go-live dates in filter_queryset

    def linked_to(self, queryset, name, value):
        return selectors.linked(queryset, value)

    def counted_for(self, queryset, name, value):
        return selectors.for_project(queryset, value.pk)

    def during_support(self, queryset, name, value):
        return selectors.during_early_life(queryset)

    def in_scope(self, queryset, name, value):
        return selectors.in_scope(queryset, **{name: value.pk})

    def breaching_soon(self, queryset, name, value):
        return sla_selectors.breaching_within(queryset, BREACHING[value]) if value else queryset

    def major_only(self, queryset, name, value):
        return queryset.filter(major=value) if value is not None else queryset

    def mine_only(self, queryset, name, value):
        """Assigned to me or reported by me."""
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(Q(reporter=user) | Q(assignee__user=user))
