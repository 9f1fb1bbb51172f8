"""The search pages: lessons (the knowledge home) and articles. One FilterSet each, shared with
the API; ranked by relevance when there is a query, newest first when there is none."""

from dataclasses import replace
from typing import Any

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django_filters import FilterSet

from itsm_pmo.generic import FilteredListView
from portfolio.selectors import service_catalogue

from .. import search
from ..choices import ArticleKind, Impact, KnowledgeState, LessonCategory, SourceKind
from ..filtersets import ArticleFilterSet, LessonFilterSet
from ..models import SOURCE_FIELDS, Tag
from ..rendering import plain_texts
from ..selectors import lessons_listed, source_url
from .articles import ARTICLE
from .common import Kind, without_blanks
from .lessons import LESSON

REVIEW_DUE_CHOICES = [("true", "Due for review"), ("false", "Not due")]


def choice_control(params, name: str, label: str, choices, any_label: str) -> dict:
    """One select of the filter bar, with what the query string chose."""
    return {
        "name": name,
        "label": label,
        "any": any_label,
        "options": [(str(value), str(text)) for value, text in choices],
        "chosen": params.getlist(name),
    }


def kept_params(params, names) -> list[tuple[str, str]]:
    return [(name, value) for name in names for value in params.getlist(name)]


def service_choices() -> list[tuple[int, str]]:
    return list(service_catalogue().order_by("name").values_list("pk", "name"))


class KnowledgeSearchView(FilteredListView):
    """A search page: the query string (blanks dropped, so an empty select means "any")
    through the FilterSet over what the user may read, an excerpt for every row, the filter
    selects (the state one for publishers only), and how many of the other kind match the
    same words (the other tab)."""

    kind: Kind
    other: Kind
    other_filterset: type[FilterSet]
    excerpt_field: str
    order_text: str  # how the results are ordered without a query
    list_url: str  # this page and the other kind's, by URL name
    other_url: str
    # The kind's filter selects: (name, label, choices or a function giving them, "any" label).
    controls: tuple[tuple[str, str, Any, str], ...] = ()

    def get_permission_required(self):
        return (f"knowledge.view_{self.kind.noun}",)

    def listed(self, user):
        """The rows the page lists: those the user may read, with what a row shows."""
        return self.kind.visible(user)

    def get_template_names(self):
        return [f"knowledge/{self.kind.noun}_list.html"]

    def get_queryset(self):
        self.params = without_blanks(self.request.GET)
        self.q = " ".join(self.params.get("q", "").split())
        # Always bound: with no filter at all the FilterSet still lists the published only.
        self.filterset = self.filterset_class(
            self.params, queryset=self.listed(self.request.user), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params, noun = self.request.user, self.params, self.kind.noun
        rows = context["object_list"]
        excerpts = (
            [search.snippet(obj, self.q, self.filterset_class.searchable) for obj in rows]
            if self.q
            else plain_texts([getattr(obj, self.excerpt_field) for obj in rows])
        )
        for obj, excerpt in zip(rows, excerpts, strict=True):
            obj.excerpt = excerpt
        errors = self.filterset.form.errors
        q_only = QueryDict(mutable=True)
        if self.q:
            q_only["q"] = self.q
        may_publish = self.kind.may_publish(user)
        controls = [
            choice_control(params, name, label, choices() if callable(choices) else choices, any_)
            for name, label, choices, any_ in self.controls
        ]
        if may_publish:
            controls.append(
                choice_control(params, "state", "State", KnowledgeState.choices, "Published")
            )
        other_search = self.other_filterset(q_only or None, queryset=self.other.visible(user))
        other_count = other_search.qs.order_by().count()
        result_count = context["paginator"].count
        context.update(
            {
                "noun": noun,
                "tab": f"{noun}s",
                "order_text": self.order_text,
                "list_url": reverse(self.list_url),
                "other_noun": self.other.noun,
                "other_url": reverse(self.other_url),
                "other_count": other_count,
                f"{noun}_count": result_count,
                f"{self.other.noun}_count": other_count,
                "controls": controls,
                "may_publish": may_publish,
                "q": self.q,
                "q_only": q_only,
                "query_string": params.urlencode(),
                "is_filtered": bool(params),
                "filtered_beyond_q": any(key != "q" for key in params),
                "result_count": result_count,
                # The dashboard's filters no control shows, in words (their errors are in
                # filter_errors with the others').
                "drill": replace(self.filterset.drill, errors=[]),
                "filter_errors": [
                    f"{self.filterset.form.fields[name].label}: {e}"
                    for name, errs in errors.items()
                    for e in errs
                ],
            }
        )
        return context


class LessonSearchView(KnowledgeSearchView):
    """/knowledge/: every lesson the user may read, searched and filtered. Drafts have no
    publication date: after the published ones, newest written first."""

    kind, filterset_class, excerpt_field = LESSON, LessonFilterSet, "recommendation"
    other, other_filterset = ARTICLE, ArticleFilterSet
    list_url, other_url, order_text = "knowledge:index", "knowledge:article_list", "newest first"
    controls = (
        ("category", "Category", LessonCategory.choices, "Any category"),
        ("impact", "Impact", Impact.choices, "Any impact"),
        ("source", "Came from", SourceKind.choices, "Anywhere"),
        ("service", "Service", service_choices, "Any service"),
    )

    def listed(self, user):
        return lessons_listed(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for lesson in context["object_list"]:
            # Beside lessons_listed's source_ref and source_title: what the row links to.
            kind = lesson.source_kind
            lesson.source_id = getattr(lesson, f"{kind}_id") if kind else None
            lesson.source_url = source_url(lesson)
        params, may_publish = self.params, context["may_publish"]
        # A publisher sees every draft waiting; anyone else sees only their own.
        drafts = self.kind.visible(self.request.user).filter(state=KnowledgeState.DRAFT)
        context.update(
            tag=params.get("tag", ""),
            # Filters that links set (?project=12, a writer's ?state=draft) but no control
            # shows: kept when the filters change.
            kept=kept_params(params, SOURCE_FIELDS if may_publish else (*SOURCE_FIELDS, "state"))
            + context["drill"].kept,
            draft_count=drafts.order_by().count(),
            popular_tags=Tag.objects.filter(lessons__state=KnowledgeState.PUBLISHED)
            .annotate(n=Count("lessons"))
            .order_by("-n", "name")[:15],
        )
        return context


class ArticleSearchView(KnowledgeSearchView):
    """/knowledge/articles/: runbooks, how-tos and known errors, searched and filtered."""

    kind, filterset_class, excerpt_field = ARTICLE, ArticleFilterSet, "body"
    other, other_filterset = LESSON, LessonFilterSet
    list_url, other_url = "knowledge:article_list", "knowledge:index"
    order_text = "recently updated first"
    controls = (
        ("kind", "Kind", ArticleKind.choices, "Any kind"),
        ("service", "Service", service_choices, "Any service"),
        ("review_due", "Review", REVIEW_DUE_CHOICES, "Any"),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for article in context["object_list"]:
            article.review_due = article.next_review <= today
        # Drafts: every one for a publisher, their own for anyone else (see the selector).
        counts = (
            self.kind.visible(self.request.user)
            .order_by()
            .aggregate(
                drafts=Count("pk", filter=Q(state=KnowledgeState.DRAFT)),
                due=Count(
                    "pk", filter=Q(next_review__lte=today) & ~Q(state=KnowledgeState.ARCHIVED)
                ),
            )
        )
        context.update(
            today=today,
            kept=kept_params(self.params, () if context["may_publish"] else ("state",)),
            draft_count=counts["drafts"],
            due_count=counts["due"],
        )
        return context
