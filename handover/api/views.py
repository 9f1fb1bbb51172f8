from django.db.models import Prefetch, ProtectedError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from itsm_pmo.api import Conflict

from .. import selectors, services
from ..filtersets import CheckFilterSet, CriterionFilterSet, HandoverFilterSet
from ..models import ReadinessCheck, ReadinessCriterion
from .serializers import (
    HandoverMoveSerializer,
    HandoverSerializer,
    HandoverTransitionLogSerializer,
    ReadinessCheckSerializer,
    ReadinessCriterionSerializer,
)


class HandoverViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Project handovers to operations. A handover opens by itself when its project is
    approved; the state moves only with `transition/` (409 with the allowed moves when the
    workflow refuses; accepting is for ITSM managers). Every write goes through a service
    (handover_create, handover_update, handover_transition) that asks the predicates of
    handover.permissions: 403 here as on the pages."""

    queryset = (
        selectors.handover_list()
        .prefetch_related(
            Prefetch("checks", queryset=ReadinessCheck.objects.select_related("criterion"))
        )
        .order_by("-created_at", "-pk")
    )
    serializer_class = HandoverSerializer
    filterset_class = HandoverFilterSet
    ordering_fields = ["created_at", "go_live_on", "state"]

    def _fresh(self, handover):
        return self.get_queryset().get(pk=handover.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        handover = services.handover_create(project=project, by=self.request.user, **data)
        serializer.instance = self._fresh(handover)

    def perform_update(self, serializer):
        handover = services.handover_update(
            handover=serializer.instance, by=self.request.user, fields=serializer.validated_data
        )
        serializer.instance = self._fresh(handover)

    @extend_schema(request=HandoverMoveSerializer, responses=HandoverSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the handover: `{"to": …, "comment": …}`."""
        body = HandoverMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        handover = services.handover_transition(
            handover=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(self._fresh(handover)).data)

    @extend_schema(responses=HandoverTransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The state log, newest first."""
        log = self.get_object().transitions.select_related("by")
        return Response(HandoverTransitionLogSerializer(log, many=True).data)


class CriterionViewSet(viewsets.ModelViewSet):
    """The readiness catalogue (ITSM managers write; retire a criterion with `active`).

    Plain CRUD: its only rule is the role's model permission, checked at the door; a criterion
    in use is retired, not deleted (409)."""

    queryset = ReadinessCriterion.objects.all()
    serializer_class = ReadinessCriterionSerializer
    filterset_class = CriterionFilterSet
    ordering_fields = ["order", "name"]

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as exc:
            raise Conflict(
                "Handovers have checks on this criterion: set it inactive instead.", code="in_use"
            ) from exc


class CheckViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Readiness checks, one per handover and criterion, updated through
    services.check_update: engineers update the ones they own, planners any (403 otherwise);
    waiving needs a `waiver_reason`; the checklist is frozen once accepted (409)."""

    queryset = ReadinessCheck.objects.select_related("criterion", "owner").order_by(
        "handover_id", "criterion__order", "criterion__name"
    )
    serializer_class = ReadinessCheckSerializer
    filterset_class = CheckFilterSet
    ordering_fields = ["updated_at", "status"]

    def perform_update(self, serializer):
        serializer.instance = services.check_update(
            check=serializer.instance, by=self.request.user, **serializer.validated_data
        )
