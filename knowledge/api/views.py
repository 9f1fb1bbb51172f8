"""The knowledge API: lessons (with `transition/`, `apply/` and `similar/`) and articles (with
`transition/`). No deletes: a lesson or article leaves the shelves by being archived.

Service errors become responses in itsm_pmo.api.exception_handler: a ValidationError is a 400
with `fields`, PermissionDenied a 403, TransitionRefused a 409 with `allowed`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..choices import LessonCategory
from ..filtersets import ArticleFilterSet, LessonFilterSet
from ..models import Article, Lesson
from ..similar import similar_lessons
from .serializers import (
    ApplyResultSerializer,
    ApplySerializer,
    ArticleSerializer,
    KnowledgeMoveSerializer,
    LessonSerializer,
    SimilarLessonSerializer,
    SimilarQuerySerializer,
    SimilarResultSerializer,
)

SEARCH = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description=("Ranked full-text search; each result then carries `rank` and an HTML `snippet`."),
)


class _KnowledgeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, write and edit; the state moves only with `transition/`. The door checks
    the role's model permission (and only `view_` for `transition/` and `apply/`); the
    services decide who may edit, move or mark this text, as on the pages."""

    def visible(self, user):
        """The rows `user` may read (the kind's selector)."""
        raise NotImplementedError

    def create_object(self, data: dict):
        raise NotImplementedError

    def update_object(self, obj, data: dict):
        raise NotImplementedError

    def move_object(self, obj, *, to: str, comment: str):
        raise NotImplementedError

    def get_queryset(self):
        return self.visible(self.request.user)

    def get_serializer_context(self):
        # The search words, for the snippets; ranking itself is the FilterSet's `q`.
        return {
            **super().get_serializer_context(),
            "q": self.request.query_params.get("q", "").strip(),
        }

    def filter_queryset(self, queryset):
        # The FilterSet (published only unless `state` says otherwise, `q`) shapes the list;
        # one lesson or article is found by its id among those the caller may read.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _fresh(self, obj):
        """The object again from the visible queryset, with what the serializer reads."""
        return self.get_queryset().get(pk=obj.pk)

    @extend_schema(parameters=[SEARCH])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(self.create_object(serializer.validated_data))

    def perform_update(self, serializer):
        obj = self.update_object(serializer.instance, serializer.validated_data)
        serializer.instance = self._fresh(obj)

    @extend_schema(request=KnowledgeMoveSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Publish, unpublish (`draft`) or archive: `{"to": …, "comment": …}`; 403 unless you
        publish, 409 with the allowed moves when the workflow refuses."""
        obj = self.get_object()
        body = KnowledgeMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = self.move_object(obj, **body.validated_data)
        return Response(self.get_serializer(self._fresh(moved)).data)


class LessonViewSet(_KnowledgeViewSet):
    """Lessons learned. Everyone writes; its author and the publishers edit; PMO leads and
    ITSM managers publish, unpublish and archive with `transition/`. Drafts are seen by their
    author and by those who publish."""

    queryset = Lesson.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    ordering_fields = ["published_at", "created_at", "updated_at", "applied_count", "title"]

    def visible(self, user):
        return selectors.lessons_in_api(user)

    def create_object(self, data):
        return services.lesson_create(author=self.request.user, **data)

    def update_object(self, obj, data):
        return services.lesson_update(lesson=obj, by=self.request.user, **data)

    def move_object(self, obj, *, to, comment):
        return services.lesson_transition(lesson=obj, to=to, by=self.request.user, comment=comment)

    @extend_schema(
        request=ApplySerializer, responses={200: ApplyResultSerializer, 201: ApplyResultSerializer}
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Mark a published lesson applied in one place: 201 the first time, 200 when you had
        already marked it there (the count moves once)."""
        lesson = self.get_object()
        body = ApplySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        context = services.application_context(**body.validated_data)
        lesson, created = services.lesson_mark_applied(
            lesson=lesson, by=request.user, context=context
        )
        result = {
            "lesson": lesson.pk,
            "context": context,
            "applied_count": lesson.applied_count,
            "created": created,
        }
        return Response(
            ApplyResultSerializer(result).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        methods=["get"],
        filters=False,
        responses=SimilarResultSerializer,
        parameters=[
            OpenApiParameter(
                "text", OpenApiTypes.STR, required=True, description="What is being written."
            ),
            OpenApiParameter(
                "service",
                OpenApiTypes.INT,
                many=True,
                description="Services of the work (repeatable).",
            ),
            OpenApiParameter("category", OpenApiTypes.STR, enum=LessonCategory.values),
            OpenApiParameter("exclude_project", OpenApiTypes.INT),
        ],
    )
    @extend_schema(
        methods=["post"], request=SimilarQuerySerializer, responses=SimilarResultSerializer
    )
    @action(detail=False, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def similar(self, request):
        """The published lessons most relevant to a text (up to five), same service first."""
        data = (
            request.data
            if request.method == "POST"
            else {
                "text": request.query_params.get("text", ""),
                "services": request.query_params.getlist("service"),
                "category": request.query_params.get("category", ""),
                "exclude_project": request.query_params.get("exclude_project") or None,
            }
        )
        body = SimilarQuerySerializer(data=data)
        body.is_valid(raise_exception=True)
        query = body.validated_data
        lessons = similar_lessons(
            text=query["text"],
            service_ids=[s.pk for s in query.get("services", [])],
            category=query["category"],
            exclude_project_id=query["exclude_project"],
        )
        results = SimilarLessonSerializer(
            lessons, many=True, context=self.get_serializer_context()
        ).data
        return Response({"results": results})


class ArticleViewSet(_KnowledgeViewSet):
    """Runbooks, how-tos and known errors. Everyone writes (the writer owns it); its owner and
    the publishers edit; PMO leads and ITSM managers publish, unpublish and archive with
    `transition/`."""

    queryset = Article.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    ordering_fields = ["title", "next_review", "published_at", "updated_at"]

    def visible(self, user):
        return selectors.articles_visible_to(user)

    def create_object(self, data):
        return services.article_create(owner=self.request.user, **data)

    def update_object(self, obj, data):
        return services.article_update(article=obj, by=self.request.user, **data)

    def move_object(self, obj, *, to, comment):
        return services.article_transition(
            article=obj, to=to, by=self.request.user, comment=comment
        )
