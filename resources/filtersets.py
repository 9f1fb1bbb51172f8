"""FilterSets shared by the resources pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.filters import PortalFilterSet

from .choices import ConflictKind, Severity
from .models import Conflict, Person, Skill, Team, TeamKind, project_model
from .selectors import conflicts_in, current_snapshot
from .widgets import ChosenOnlySelect, QuickSelect


class TeamFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices)

    class Meta:
        model = Team
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class HeatmapFilterSet(TeamFilterSet):
    """The heatmap's teams, and the dashboard's drill-downs into it (docs/metrics.md,
    "Capacity"): one team (`team`), or the people booked above 100 % for `weeks_running`
    weeks or more in a row in the next 12 weeks (`above=100`), as
    `selectors.people_above_capacity` counts them (the view lists those people)."""

    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), method="only_team", label="Team"
    )
    above = django_filters.ChoiceFilter(
        choices=[("100", "above 100 %")], method="people_only", label="Booked"
    )
    weeks_running = django_filters.TypedChoiceFilter(
        choices=[(n, f"for {n}+ weeks running") for n in range(1, 13)],
        coerce=int,
        method="people_only",
        label="Weeks running",
    )

    drill_only = ("team", "above", "weeks_running")

    class Meta(TeamFilterSet.Meta):
        fields = [*TeamFilterSet.Meta.fields, "team"]

    def only_team(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def people_only(self, queryset, name, value):
        return queryset  # the people are chosen by the view (`above_capacity`)

    @property
    def above_capacity(self) -> int | None:
        """The run of weeks above 100 % the page lists people for (1 without
        `weeks_running`), or None: the page shows teams."""
        if not self.is_bound or not self.form.is_valid() or not self.form.cleaned_data["above"]:
            return None
        return self.form.cleaned_data["weeks_running"] or 1


class PersonFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), field_name="skill_levels__skill", distinct=True
    )
    min_level = django_filters.NumberFilter(method="at_least_level", label="Minimum level")
    active = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["q", "team", "skill", "min_level", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(title__icontains=value)
        )

    def at_least_level(self, queryset, name, value):
        skill = self.form.cleaned_data.get("skill")
        condition = Q(skill_levels__level__gte=value)
        if skill is not None:
            condition &= Q(skill_levels__skill=skill)
        return queryset.filter(condition).distinct()


class SkillFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    category = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Skill
        fields = ["q", "category"]


class ConflictFilterSet(PortalFilterSet):
    """Conflicts of the current snapshot (or resolved ones), as the page and API filter them."""

    STATES = [
        ("open", "Open"),
        ("acknowledged", "Acknowledged"),
        ("resolved", "Resolved"),
        ("all", "All current"),
    ]
    state = django_filters.ChoiceFilter(
        choices=STATES, method="in_state", empty_label=None, label="State"
    )
    kind = django_filters.ChoiceFilter(choices=ConflictKind.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), widget=QuickSelect)
    # Hundreds of projects: the page lists only the one chosen (set from a project's link).
    project = django_filters.ModelChoiceFilter(
        queryset=lambda request: project_model().objects.all(),
        field_name="projects",
        widget=ChosenOnlySelect,
        empty_label="Any project",
    )
    subject_type = django_filters.CharFilter()
    subject_id = django_filters.NumberFilter()

    class Meta:
        model = Conflict
        fields = ["state", "kind", "severity", "team", "project", "subject_type", "subject_id"]

    def __init__(self, data=None, *args, **kwargs):
        # "open" unless asked otherwise: the page's and the API's default.
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)

    def in_state(self, queryset, name, value):
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False).order_by("-resolved_at")
        current = queryset & conflicts_in(current_snapshot())
        if value == "open":
            return current.filter(acknowledged_at__isnull=True)
        if value == "acknowledged":
            return current.filter(acknowledged_at__isnull=False)
        return current
