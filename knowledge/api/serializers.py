"""Serializers of the knowledge API: lessons, articles, their moves, marks and similar lessons.

Writes go through knowledge.services, which owns the rules (one source, ten tags, the review
date); these serializers only shape the input and the output."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import projects_visible_to, service_catalogue

from .. import search, selectors
from ..choices import KnowledgeState, LessonCategory, SourceKind
from ..models import Article, Lesson
from ..rendering import render_markdown_many

STATES = ", ".join(KnowledgeState.values)


class PersonSummarySerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "display"]

    def get_display(self, user) -> str:
        return user.get_full_name() or user.username


class TagsField(serializers.ListField):
    """Tag names: read from the prefetched tags, written as a list of strings."""

    child = serializers.CharField(max_length=60)

    def get_attribute(self, instance):
        return [tag.name for tag in instance.tags.all()]


@extend_schema_field(OpenApiTypes.INT)
class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project by id, among those the caller may see (an engineer's own or supported
    ones). Looked up only when one is written: reading a list asks nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        return projects_visible_to(request.user if request is not None else AnonymousUser())


class WebUrlField(serializers.CharField):
    """The object's page in the portal."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="get_absolute_url", **kwargs)


class _MarkdownRendered(serializers.ListSerializer):
    """A list whose Markdown fields are rendered in one go (one cache round trip for the
    page, see rendering.render_markdown_many) before the rows are serialized."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        prerender(rows, self.child.markdown_fields)
        return super().to_representation(rows)


def prerender(rows, fields: tuple[str, ...]) -> None:
    """Put the HTML of each row's Markdown `fields` on the row, for `html_of`."""
    texts = [getattr(row, name) for row in rows for name in fields]
    html = iter(render_markdown_many(texts))
    for row in rows:
        row.markdown_html = {name: next(html) for name in fields}


def html_of(obj, name: str) -> str:
    """The HTML of `obj`'s Markdown field `name`: pre-rendered with its list, or now."""
    rendered = getattr(obj, "markdown_html", None)
    if rendered is None or name not in rendered:
        prerender([obj], (name,))
        rendered = obj.markdown_html
    return str(rendered[name])


class _SearchHitMixin(serializers.Serializer):
    """`rank` and `snippet` when the list was searched with `?q=`, null otherwise."""

    searchable: search.Searchable

    rank = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()

    def get_rank(self, obj) -> float | None:
        rank = getattr(obj, "rank", None)
        return None if rank is None else float(rank)

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="HTML: an excerpt with the matches in <mark>."
        )
    )
    def get_snippet(self, obj):
        q = self.context.get("q", "")
        if not q or getattr(obj, "rank", None) is None:
            return None
        return str(search.snippet(obj, q, self.searchable))


class _LessonLinks(serializers.ModelSerializer):
    """What every shape of a lesson carries: its addresses and where it came from."""

    url = serializers.HyperlinkedIdentityField(view_name="lesson-detail")
    web_url = WebUrlField()
    source_kind = serializers.ChoiceField(
        choices=[("", "None"), *SourceKind.choices],
        read_only=True,
        help_text="Which of project, change, incident or handover the lesson came from.",
    )

    class Meta:
        model = Lesson
        fields = ["id", "url", "web_url", "title"]


class LessonSerializer(_SearchHitMixin, _LessonLinks):
    """A lesson learned; `rank` and `snippet` are set when the list was searched (`?q=`)."""

    searchable = search.LESSONS
    markdown_fields = ("what_happened", "recommendation")

    what_happened_html = serializers.SerializerMethodField()
    recommendation_html = serializers.SerializerMethodField()
    tags = TagsField(required=False, help_text="Lower-case labels, at most ten.")
    author = PersonSummarySerializer(read_only=True)
    project = VisibleProjectField(required=False, allow_null=True)

    class Meta(_LessonLinks.Meta):
        fields = [
            *_LessonLinks.Meta.fields,
            "what_happened",
            "recommendation",
            "what_happened_html",
            "recommendation_html",
            "category",
            "tags",
            "impact",
            "state",
            "author",
            "service",
            "source_kind",
            "project",
            "change",
            "incident",
            "handover",
            "applied_count",
            "published_at",
            "created_at",
            "updated_at",
            "rank",
            "snippet",
        ]
        read_only_fields = ["state", "applied_count", "published_at", "created_at", "updated_at"]
        extra_kwargs = {"service": {"help_text": "Defaults to the source's service."}}
        list_serializer_class = _MarkdownRendered

    def get_what_happened_html(self, lesson) -> str:
        return html_of(lesson, "what_happened")

    def get_recommendation_html(self, lesson) -> str:
        return html_of(lesson, "recommendation")


class ArticleSerializer(_SearchHitMixin, serializers.ModelSerializer):
    """A runbook, how-to or known error; `rank` and `snippet` are set when searched."""

    searchable = search.ARTICLES
    markdown_fields = ("body",)

    url = serializers.HyperlinkedIdentityField(view_name="article-detail")
    web_url = WebUrlField()
    body_html = serializers.SerializerMethodField()
    owner = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "body",
            "body_html",
            "kind",
            "service",
            "owner",
            "next_review",
            "state",
            "incident",
            "published_at",
            "created_at",
            "updated_at",
            "rank",
            "snippet",
        ]
        read_only_fields = ["state", "published_at", "created_at", "updated_at"]
        extra_kwargs = {
            "next_review": {"required": False, "help_text": "Defaults to six months from today."}
        }
        list_serializer_class = _MarkdownRendered

    def get_body_html(self, article) -> str:
        return html_of(article, "body")


class KnowledgeMoveSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=f"One of {STATES}.")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )


@extend_schema_field(OpenApiTypes.INT)
class PlaceField(serializers.PrimaryKeyRelatedField):
    """A project, change or handover by id, among the places the caller may mark a lesson
    applied in (the selector the page's button uses too); any other id is unknown."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(required=False, allow_null=True, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request is not None else AnonymousUser()
        return selectors.application_places(user)[self.kind]


class ApplySerializer(serializers.Serializer):
    """Where the lesson was applied: exactly one of a project, a change, a handover or the
    title of a proposal not yet saved."""

    project = PlaceField("project")
    change = PlaceField("change")
    handover = PlaceField("handover")
    proposal = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def validate(self, attrs):
        given = [
            name
            for name in ("project", "change", "handover", "proposal")
            if attrs.get(name) not in (None, "")
        ]
        if len(given) > 1:
            raise serializers.ValidationError(
                {
                    "context": f"Say one place the lesson was applied, not {len(given)} "
                    f"({', '.join(given)})."
                }
            )
        return attrs


class ApplyResultSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    context = serializers.CharField(help_text='e.g. "project:12" or "proposal:<title>".')
    applied_count = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False when you had already marked it here.")


class SimilarQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=5000, help_text="What is being written: a title and summary."
    )
    services = serializers.PrimaryKeyRelatedField(
        queryset=service_catalogue(), many=True, required=False
    )
    category = serializers.ChoiceField(
        choices=LessonCategory.choices, required=False, allow_blank=True, default=""
    )
    exclude_project = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Leave out this project's lessons."
    )


class SimilarLessonSerializer(_LessonLinks):
    """A lesson as the similar-lessons answer shows it: the advice, not the whole story."""

    score = serializers.FloatField(read_only=True, help_text="Higher is more relevant.")

    class Meta(_LessonLinks.Meta):
        fields = [
            *_LessonLinks.Meta.fields,
            "recommendation",
            "category",
            "impact",
            "service",
            "source_kind",
            "applied_count",
            "published_at",
            "score",
        ]
        read_only_fields = fields


class SimilarResultSerializer(serializers.Serializer):
    results = SimilarLessonSerializer(many=True)
