"""FilterSets shared by the resources pages and API."""

import django_filters
from django.db.models import Q

from itsm_pmo.filters import PortalFilterSet

from .models import Person, Skill, Team, TeamKind


class TeamFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices)

    class Meta:
        model = Team
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


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
