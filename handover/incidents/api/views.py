"""The incident API: incidents (with `transition/`), work logs and problems."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...models import Incident, Problem, WorkLog
from .. import services
from ..filtersets import IncidentFilterSet, ProblemFilterSet
from .serializers import (
    IncidentSerializer,
    IncidentTransitionSerializer,
    ProblemSerializer,
    WorkLogSerializer,
)


class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents. The state moves only with `transition/`; the priority follows impact and
    urgency. Engineers work any incident: operations teams share one queue."""

    queryset = Incident.objects.select_related(
        "service", "project", "caused_by_change", "problem", "reporter", "assignee"
    )
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ["opened_at", "priority", "number"]
    action_permissions = {"transition": "handover.transition_incident"}

    def perform_create(self, serializer):
        serializer.instance = services.incident_log(
            reporter=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.incident_update(
            incident=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=IncidentTransitionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the incident: 409 with the allowed moves when the table refuses; resolving
        needs `resolution_notes`."""
        incident = self.get_object()
        body = IncidentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.incident_transition(
            incident=incident, by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data)


class WorkLogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Time worked on incidents; the person defaults to the caller, the day to today."""

    queryset = WorkLog.objects.select_related("incident", "person").order_by("-day", "-pk")
    serializer_class = WorkLogSerializer
    filterset_fields = ["incident", "person", "day"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = data.pop("person", None) or getattr(self.request.user, "person", None)
        serializer.instance = services.work_log(person=person, **data)


class ProblemViewSet(viewsets.ModelViewSet):
    """Problem records grouping incidents under one root cause (ITSM managers write)."""

    queryset = Problem.objects.prefetch_related("incidents")
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.problem_create(**serializer.validated_data)
