"""The search pages: lessons (the knowledge home) and articles. One FilterSet each, shared with
the API; ranked by relevance when there is a query, newest first when there is none."""

from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone

from itsm_pmo.generic import FilteredListView
from portfolio.models import Service

from .. import search, selectors
from ..choices import ArticleKind, Impact, KnowledgeState, LessonCategory, SourceKind
from ..filtersets import ArticleFilterSet, LessonFilterSet
from ..models import SOURCE_FIELDS, Tag
from ..rendering import plain_text
from .common import without_blanks

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
    return list(Service.objects.order_by("name").values_list("pk", "name"))


class KnowledgeSearchView(FilteredListView):
    """A search page: the query string (blanks dropped, so an empty select means "any")
    through the FilterSet over what the user may read, and an excerpt for every row."""

    searchable: search.Searchable
    excerpt_field: str

    def visible(self):
        raise NotImplementedError

    def get_queryset(self):
        self.params = without_blanks(self.request.GET)
        self.q = " ".join(self.params.get("q", "").split())
        # Always bound: with no filter at all the FilterSet still lists the published only.
        self.filterset = self.filterset_class(
            self.params, queryset=self.visible(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for obj in context["object_list"]:
            obj.excerpt = (
                search.snippet(obj, self.q, self.searchable)
                if self.q
                else plain_text(getattr(obj, self.excerpt_field))
            )
        errors = self.filterset.form.errors
        q_only = QueryDict(mutable=True)
        if self.q:
            q_only["q"] = self.q
        context.update(
            q=self.q,
            q_only=q_only,
            query_string=self.params.urlencode(),
            is_filtered=bool(self.params),
            filtered_beyond_q=any(key != "q" for key in self.params),
            result_count=context["paginator"].count,
            filter_errors=[
                f"{self.filterset.form.fields[name].label}: {e}"
                for name, errs in errors.items()
                for e in errs
            ],
        )
        return context


class LessonSearchView(KnowledgeSearchView):
    """/knowledge/: every lesson the user may read, searched and filtered."""

    permission_required = "knowledge.view_lesson"
    filterset_class = LessonFilterSet
    template_name = "knowledge/lesson_list.html"
    searchable = search.LESSONS
    excerpt_field = "recommendation"

    def visible(self):
        # Drafts have no publication date: after the published ones, newest written first.
        return selectors.lessons_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.params
        may_publish = selectors.may_publish_lessons(user)
        controls = [
            choice_control(params, "category", "Category", LessonCategory.choices, "Any category"),
            choice_control(params, "impact", "Impact", Impact.choices, "Any impact"),
            choice_control(params, "source", "Came from", SourceKind.choices, "Anywhere"),
            choice_control(params, "service", "Service", service_choices(), "Any service"),
        ]
        if may_publish:
            controls.append(
                choice_control(params, "state", "State", KnowledgeState.choices, "Published")
            )
        # A publisher sees every draft waiting; anyone else sees only their own.
        drafts = selectors.lessons_visible_to(user).filter(state=KnowledgeState.DRAFT)
        article_search = ArticleFilterSet(
            context["q_only"] or None, queryset=selectors.articles_visible_to(user)
        )
        context.update(
            controls=controls,
            tag=params.get("tag", ""),
            may_publish=may_publish,
            # Filters that links set (?project=12, a writer's ?state=draft) but no control
            # shows: kept when the filters change.
            kept=kept_params(params, SOURCE_FIELDS if may_publish else (*SOURCE_FIELDS, "state")),
            draft_count=drafts.order_by().count(),
            lesson_count=context["result_count"],
            article_count=article_search.qs.order_by().count(),
            popular_tags=Tag.objects.filter(lessons__state=KnowledgeState.PUBLISHED)
            .annotate(n=Count("lessons"))
            .order_by("-n", "name")[:15],
        )
        return context


class ArticleSearchView(KnowledgeSearchView):
    """/knowledge/articles/: runbooks, how-tos and known errors, searched and filtered."""

    permission_required = "knowledge.view_article"
    filterset_class = ArticleFilterSet
    template_name = "knowledge/article_list.html"
    searchable = search.ARTICLES
    excerpt_field = "body"

    def visible(self):
        return selectors.articles_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.params
        today = timezone.localdate()
        may_publish = selectors.may_publish_articles(user)
        controls = [
            choice_control(params, "kind", "Kind", ArticleKind.choices, "Any kind"),
            choice_control(params, "service", "Service", service_choices(), "Any service"),
            choice_control(params, "review_due", "Review", REVIEW_DUE_CHOICES, "Any"),
        ]
        if may_publish:
            controls.append(
                choice_control(params, "state", "State", KnowledgeState.choices, "Published")
            )
        for article in context["object_list"]:
            article.review_due = article.next_review <= today
        # Drafts: every one for a publisher, their own for anyone else (see the selector).
        counts = (
            selectors.articles_visible_to(user)
            .order_by()
            .aggregate(
                drafts=Count("pk", filter=Q(state=KnowledgeState.DRAFT)),
                due=Count(
                    "pk", filter=Q(next_review__lte=today) & ~Q(state=KnowledgeState.ARCHIVED)
                ),
            )
        )
        lesson_search = LessonFilterSet(
            context["q_only"] or None, queryset=selectors.lessons_visible_to(user)
        )
        context.update(
            controls=controls,
            may_publish=may_publish,
            today=today,
            kept=kept_params(params, () if may_publish else ("state",)),
            draft_count=counts["drafts"],
            due_count=counts["due"],
            article_count=context["result_count"],
            lesson_count=lesson_search.qs.order_by().count(),
        )
        return context
