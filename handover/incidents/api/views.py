"""The incident API: incidents (with `transition/`) and work logs; problems are in
handover.problems.api.

Every write goes through a service of handover.incidents.services, which asks the predicates
(403) and the move table (409); the viewsets only validate input and call it."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import IncidentFilterSet
from ..sla.selectors import with_timers
from .serializers import (
    IncidentAssignSerializer,
    IncidentCategorySerializer,
    IncidentReassignmentSerializer,
    IncidentSerializer,
    IncidentTransitionLogSerializer,
    IncidentTransitionSerializer,
    QueueSerializer,
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

    queryset = selectors.incident_detail()
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ["opened_at", "priority", "number"]

    def get_queryset(self):
        if self.action != "list":
            return super().get_queryset()
        # A list shows the related rows by id: no join, so a page is read off the index of
        # the opening time; the reporter's name of the page's incidents in one more query, and
        # their service-level timers in another.
        return with_timers(selectors.incidents().prefetch_related("reporter"))

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

    @extend_schema(responses=IncidentTransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The state log, newest first."""
        log = self.get_object().transitions.select_related("by")
        return Response(IncidentTransitionLogSerializer(log, many=True).data)

    @extend_schema(request=IncidentAssignSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Put the incident in a group's queue, with a member as assignee or none; `reason`
        is needed when it moves away from a person or a group (recorded)."""
        incident = self.get_object()
        body = IncidentAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.assign(incident=incident, by=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(responses=IncidentReassignmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reassignments(self, request, pk=None):
        """The assignment history, newest first (the first assignment has no `from_`)."""
        rows = selectors.reassignments(self.get_object())
        return Response(IncidentReassignmentSerializer(rows, many=True).data)


class IncidentCategoryViewSet(viewsets.ModelViewSet):
    """The incident category catalogue: every role reads the categories with their
    subcategories; ITSM managers add, rename, retire (`active: false`) and delete entries no
    incident uses (409 otherwise). A subcategory is read with its category, and by id."""

    queryset = selectors.categories()

    def get_queryset(self):
        if self.action == "list":
            return super().get_queryset()
        # One entry by id, a category or a subcategory, with its children (none for the latter).
        return selectors.catalogue_entries()

    serializer_class = IncidentCategorySerializer
    filterset_fields = ["active"]


class QueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assignment groups with open incidents (and the caller's team): open, unassigned
    and breached counts, the caller's team first."""

    serializer_class = QueueSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.queues(self.request.user)


class WorkLogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Time worked on incidents; the person defaults to the caller (only ITSM managers record
    someone else's time), the day to today."""

    queryset = selectors.work_log_list()
    serializer_class = WorkLogSerializer
    filterset_fields = ["incident", "person", "day"]

    def perform_create(self, serializer):
        serializer.instance = services.work_log(by=self.request.user, **serializer.validated_data)
