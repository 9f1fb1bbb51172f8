"""The problem API: problems (with `transition/` and their log) and the known errors the
incident form suggests for a service or a configuration item.

Every write goes through a service of handover.problems.services, which asks the predicates
(403) and the move table (409); the viewsets only validate input and call it."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import ProblemFilterSet
from .serializers import (
    KnownErrorSerializer,
    ProblemSerializer,
    ProblemTransitionLogSerializer,
    ProblemTransitionSerializer,
)


class ProblemViewSet(viewsets.ModelViewSet):
    """Problem records grouping incidents under one root cause (ITSM managers write, every
    role reads); a known error has a workaround, published as a knowledge article. The state
    moves only with `transition/`."""

    queryset = selectors.problem_api_list()
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet
    ordering_fields = ["created_at", "number"]

    def perform_create(self, serializer):
        serializer.instance = services.problem_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.problem_update(
            problem=serializer.instance, by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.problem_delete(problem=instance, by=self.request.user)

    @extend_schema(request=ProblemTransitionSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the problem: 409 with the allowed moves when the table refuses; closing and
        reopening need a `comment`, resolving a `fix` (or one written before) or a comment."""
        problem = self.get_object()
        body = ProblemTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        problem = services.problem_transition(
            problem=problem, by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(responses=ProblemTransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The state log, oldest first."""
        log = self.get_object().transitions.select_related("by")
        return Response(ProblemTransitionLogSerializer(log, many=True).data)


def _id(request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValidationError({name: "Give the id of one (a whole number)."})
    return int(value)


@extend_schema(
    parameters=[
        OpenApiParameter("service", OpenApiTypes.INT, description="The incident's service."),
        OpenApiParameter(
            "configuration_item", OpenApiTypes.INT, description="The incident's item."
        ),
    ]
)
class KnownErrorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Known errors (problems with a workaround, not closed) on a service or a configuration
    item, those of the item first: what the incident form suggests. Without either, none."""

    serializer_class = KnownErrorSerializer
    queryset = selectors.problems().none()
    filter_backends: list = []

    def get_queryset(self):
        return selectors.known_error_problems(
            service_id=_id(self.request, "service"),
            item_id=_id(self.request, "configuration_item"),
        )
