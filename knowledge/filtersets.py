"""FilterSets shared by the knowledge pages and API. `q` is the ranked search of search.py,
applied after the other filters so it ranks what they leave."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from itsm_pmo.filters import PortalFilterSet, ScopeFilter, day_range
from portfolio.selectors import objectives, service_catalogue

from . import search, selectors
from .choices import ArticleKind, Impact, KnowledgeState, LessonCategory, SourceKind
from .models import Article, Lesson, Tag


class _RankedSearchFilterSet(PortalFilterSet):
    """`q` ranks; without a `state` filter only published texts are listed (drafts and the
    archive are asked for by name, e.g. `?state=draft`), unless a range of days is given:
    the dashboard's numbers behind those links count every state (a draft is captured)."""

    searchable: search.Searchable

    q = django_filters.CharFilter(method="rank_last", label="Search", max_length=200)

    def rank_last(self, queryset, name, value):
        return queryset  # ranked in filter_queryset, once the other filters have run

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state") and not self.day_range_given():
            queryset = queryset.filter(state=KnowledgeState.PUBLISHED)
        q = (self.form.cleaned_data.get("q") or "").strip()
        return search.ranked(queryset, q, self.searchable) if q else queryset


class LessonFilterSet(_RankedSearchFilterSet):
    searchable = search.LESSONS

    category = django_filters.MultipleChoiceFilter(choices=LessonCategory.choices)
    tag = django_filters.CharFilter(method="with_tag", label="Tag")
    service = ScopeFilter(queryset=service_catalogue().order_by("name"), label="Service")
    source = django_filters.ChoiceFilter(
        choices=SourceKind.choices, method="from_source", label="Source", empty_label="Any source"
    )
    impact = django_filters.MultipleChoiceFilter(choices=Impact.choices)
    state = django_filters.MultipleChoiceFilter(choices=KnowledgeState.choices)
    project = django_filters.NumberFilter(field_name="project_id", label="Project id")
    change = django_filters.NumberFilter(field_name="change_id", label="Change id")
    incident = django_filters.NumberFilter(field_name="incident_id", label="Incident id")
    handover = django_filters.NumberFilter(field_name="handover_id", label="Handover id")
    # The dashboard's drill-downs (docs/metrics.md, "Knowledge"), by the selectors'
    # conditions, so the list's count is the number.
    objective = ScopeFilter(queryset=objectives(), label="Objective")
    created_after, created_before = day_range("Captured", selectors.created_between)
    applied_after, applied_before = day_range("Marked applied", selectors.applied_between)
    drill_only = ("objective",)

    class Meta:
        model = Lesson
        fields = ["q", "category", "tag", "service", "source", "impact", "state"]

    def in_scope(self, queryset, name, value):
        # `objective` or `service`: the dashboard's scope, narrowed as its numbers are.
        return selectors.in_scope(queryset, **{name: value.pk})

    def with_tag(self, queryset, name, value):
        tagged = Tag.objects.filter(lessons=OuterRef("pk"), name=value.strip().lower())
        return queryset.filter(Exists(tagged))

    def from_source(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class ArticleFilterSet(_RankedSearchFilterSet):
    searchable = search.ARTICLES

    kind = django_filters.MultipleChoiceFilter(choices=ArticleKind.choices)
    service = django_filters.ModelChoiceFilter(queryset=service_catalogue().order_by("name"))
    state = django_filters.MultipleChoiceFilter(choices=KnowledgeState.choices)
    review_due = django_filters.BooleanFilter(method="due_for_review", label="Due for review")

    class Meta:
        model = Article
        fields = ["q", "kind", "service", "state", "review_due"]

    def due_for_review(self, queryset, name, value):
        today = timezone.localdate()
        return (
            queryset.filter(next_review__lte=today)
            if value
            else queryset.filter(next_review__gt=today)
        )
