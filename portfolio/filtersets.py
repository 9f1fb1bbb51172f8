"""FilterSets shared by the portfolio pages and API."""

from datetime import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html

from itsm_pmo.dates import PlausibleDateFilter, day_bounds
from itsm_pmo.filters import PortalFilterSet

from . import selectors
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


class BenefitState(models.TextChoices):
    ASSESSED = "assessed", "assessed"
    REALISED = "realised", "realised (reached its target)"
    UNREALISED = "unrealised", "not realised"


def _date(label: str) -> PlausibleDateFilter:
    """A day of a drill-down's date pair: read by `ProjectFilterSet.filter_queryset`."""
    return PlausibleDateFilter(method="in_pair", label=label)


class ProjectFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    # The dashboard's scope narrows the list the same way (selectors.in_scope).
    # (`field_name` names the relation for the API schema; the method filters.)
    objective = django_filters.ModelChoiceFilter(
        queryset=StrategicObjective.objects.all(),
        field_name="objectives",
        method="by_objective",
        label="Objective",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(),
        field_name="services",
        method="by_service",
        label="Service",
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
    # Drill-down filters of the executive view (docs/metrics.md): not in the bar, said on the
    # page. Each condition is the selector's (one definition for the metric and the list);
    # the date pairs and what they qualify are read together in `filter_queryset`.
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label="Code")
    live = django_filters.BooleanFilter(method="by_live", label="Live (not closed or rejected)")
    closed_after = _date("First closed on or after")
    closed_before = _date("First closed on or before")
    late = django_filters.BooleanFilter(method="in_pair", label="Missed a baseline date")
    baseline_after = _date("Milestone baseline on or after")
    baseline_before = _date("Milestone baseline on or before")
    over_budget = django_filters.BooleanFilter(method="in_pair", label="Over budget")
    spent_after = _date("With a budget and costs on or after")
    spent_before = _date("With a budget and costs on or before")
    replanned_after = _date("Re-planned on or after")
    replanned_before = _date("Re-planned on or before")
    benefit = django_filters.ChoiceFilter(
        choices=BenefitState.choices, method="in_pair", label="A benefit"
    )
    assessed_after = _date("Benefit assessed on or after")
    assessed_before = _date("Benefit assessed on or before")

    drill_only = (
        "code",
        "live",
        "closed_after",
        "closed_before",
        "late",
        "baseline_after",
        "baseline_before",
        "over_budget",
        "spent_after",
        "spent_before",
        "replanned_after",
        "replanned_before",
        "benefit",
        "assessed_after",
        "assessed_before",
    )

    class Meta:
        model = Project
        fields = ["q", "stage", "objective", "service", "owner", "health", "support_team"]

    def by_objective(self, queryset, name, value):
        return selectors.in_scope(queryset, objective=value.pk)

    def by_service(self, queryset, name, value):
        return selectors.in_scope(queryset, service=value.pk)

    def by_live(self, queryset, name, value):
        live = selectors.live_in(queryset)
        return live if value else queryset.exclude(pk__in=live.values("pk"))

    def in_pair(self, queryset, name, value):
        """A part of a pair, applied with its other parts by `filter_queryset`."""
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        for pair in (self._closed, self._late, self._budget, self._replanned, self._benefit):
            queryset = pair(queryset, data)
        return queryset

    @staticmethod
    def _closed(queryset, data):
        first, last = data.get("closed_after"), data.get("closed_before")
        if first is None and last is None:
            return queryset
        return selectors.first_closed_between(queryset, *day_bounds(first, last))

    @staticmethod
    def _late(queryset, data):
        window = selectors.baseline_between(data.get("baseline_after"), data.get("baseline_before"))
        late = data.get("late")
        if late is None:
            if data.get("baseline_after") is None and data.get("baseline_before") is None:
                return queryset
            return selectors.with_milestones(queryset, window)
        missed = window & selectors.missed_baseline(timezone.localdate())
        matching = selectors.with_milestones(queryset, missed)
        return matching if late else queryset.exclude(pk__in=matching.values("pk"))

    @staticmethod
    def _budget(queryset, data):
        first, last = data.get("spent_after"), data.get("spent_before")
        if first is not None or last is not None:
            queryset = selectors.spending_between(queryset, first, last)
        over = data.get("over_budget")
        if over is None:
            return queryset
        matching = selectors.over_budget(queryset, last)
        return matching if over else queryset.exclude(pk__in=matching.values("pk"))

    @staticmethod
    def _replanned(queryset, data):
        first, last = data.get("replanned_after"), data.get("replanned_before")
        if first is None and last is None:
            return queryset
        return selectors.replanned_between(queryset, *day_bounds(first, last))

    @staticmethod
    def _benefit(queryset, data):
        first, last, state = (
            data.get("assessed_after"),
            data.get("assessed_before"),
            data.get("benefit"),
        )
        if not state and first is None and last is None:
            return queryset
        condition = selectors.assessed_between(first, last, timezone.localdate())
        if state == BenefitState.REALISED:
            condition &= selectors.benefit_reached()
        elif state == BenefitState.UNREALISED:
            condition &= ~selectors.benefit_reached()
        return selectors.with_benefits(queryset, condition)

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


class RankingFilterSet(ProjectFilterSet):
    """The ranking's filters: the project filters, and `top=quarter` with `closed_after` /
    `closed_before`, which rank the pool of the dashboard's "top-ranked quarter completed"
    (the live projects and those first closed in the days) and keep its top quarter. The
    dates define the pool there, they do not narrow the list to closed projects."""

    top = django_filters.ChoiceFilter(
        choices=[("quarter", "the top-ranked quarter")], method="in_pair", label="Showing"
    )
    drill_only = ("top", *ProjectFilterSet.drill_only)

    @staticmethod
    def _closed(queryset, data):
        return queryset

    def top_quarter(self) -> tuple[datetime | None, datetime | None] | None:
        """The pool's range of first closings when `top=quarter` (valid), else None."""
        if (
            not (self.is_bound and self.is_valid())
            or self.form.cleaned_data.get("top") != "quarter"
        ):
            return None
        data = self.form.cleaned_data
        return day_bounds(data.get("closed_after"), data.get("closed_before"))


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
        fields = ["q", "owning_team", "support_group", "tier", "support_hours"]


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
