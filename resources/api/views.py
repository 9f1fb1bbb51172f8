from datetime import timedelta

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..filtersets import ConflictFilterSet, PersonFilterSet, SkillFilterSet, TeamFilterSet
from ..models import Absence, Allocation, Conflict, Demand, PersonLoad, Skill
from ..permissions import can_plan_for, plannable_people
from ..planning import mark_dirty
from .serializers import (
    AbsenceSerializer,
    AcknowledgeSerializer,
    AllocationSerializer,
    ConflictSerializer,
    DemandSerializer,
    LoadCellSerializer,
    PersonSerializer,
    SkillSerializer,
    SnapshotSerializer,
    TeamSerializer,
)


class TeamViewSet(viewsets.ModelViewSet):
    queryset = selectors.team_list()
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    ordering_fields = ["name", "headcount"]


class PersonViewSet(viewsets.ModelViewSet):
    queryset = selectors.person_list().order_by("name")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "contracted_hours"]


class SkillViewSet(viewsets.ModelViewSet):
    queryset = Skill.objects.order_by("name")
    serializer_class = SkillSerializer
    filterset_class = SkillFilterSet


class AbsenceViewSet(viewsets.ModelViewSet):
    queryset = Absence.objects.select_related("person").order_by("start_date", "pk")
    serializer_class = AbsenceSerializer
    filterset_fields = ["person", "kind"]


class CanPlanAllocations(permissions.BasePermission):
    """Reads for every role; writes for PMO leads and for a team's manager on their team."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm("resources.view_allocation")
        return plannable_people(request.user).exists()

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_plan_for(request.user, obj.person.team)


class AllocationViewSet(viewsets.ModelViewSet):
    queryset = Allocation.objects.select_related("person", "project").order_by("start_date", "pk")
    serializer_class = AllocationSerializer
    permission_classes = [CanPlanAllocations]
    filterset_fields = ["person", "project", "kind", "tentative"]

    def perform_create(self, serializer):
        self._check_person(serializer.validated_data["person"])
        serializer.save()

    def perform_update(self, serializer):
        self._check_person(serializer.validated_data.get("person", serializer.instance.person))
        serializer.save()

    def _check_person(self, person):
        if not can_plan_for(self.request.user, person.team):
            raise PermissionDenied("You do not plan this person's time.")


class DemandViewSet(viewsets.ModelViewSet):
    queryset = Demand.objects.select_related("project", "skill").order_by("start_date", "pk")
    serializer_class = DemandSerializer
    filterset_fields = ["project", "skill", "min_level"]


class ConflictViewSet(viewsets.ReadOnlyModelViewSet):
    """Conflicts of the current snapshot (`state=open` by default; also acknowledged,
    resolved, all)."""

    queryset = (
        Conflict.objects.select_related("acknowledged_by")
        .prefetch_related("projects")
        .order_by("period_start", "pk")
    )
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilterSet
    action_permissions = {"acknowledge": "resources.acknowledge_conflict"}

    @extend_schema(request=AcknowledgeSerializer, responses=ConflictSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        conflict = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.conflicts_acknowledge(
            conflict_ids=[conflict.pk], by=request.user, comment=body.validated_data["comment"]
        )
        conflict.refresh_from_db()
        return Response(self.get_serializer(conflict).data)


class LoadQuery(serializers.Serializer):
    person = serializers.IntegerField(required=False)
    team = serializers.IntegerField(required=False)
    week_from = serializers.DateField(required=False)
    week_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if (
            attrs.get("week_from")
            and attrs.get("week_to")
            and attrs["week_to"] < attrs["week_from"]
        ):
            raise serializers.ValidationError({"week_to": "Before week_from."})
        return attrs


@extend_schema(parameters=[LoadQuery], responses=LoadCellSerializer(many=True))
class LoadView(generics.GenericAPIView):
    """Person-week cells of the current snapshot (filter by person, team, week range)."""

    queryset = PersonLoad.objects.none()
    serializer_class = LoadCellSerializer

    def get(self, request):
        query = LoadQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        snapshot = selectors.current_snapshot()
        cells = []
        if snapshot is not None:
            rows = PersonLoad.objects.filter(snapshot=snapshot).select_related("person")
            if "person" in q:
                rows = rows.filter(person_id=q["person"])
            if "team" in q:
                rows = rows.filter(team_id=q["team"])
            first = snapshot.week_start
            for row in rows.order_by("person__name"):
                for i in range(snapshot.weeks):
                    week = first + timedelta(weeks=i)
                    if q.get("week_from") and week + timedelta(days=6) < q["week_from"]:
                        continue
                    if q.get("week_to") and week > q["week_to"]:
                        continue
                    load = row.project[i] + row.operational[i]
                    cells.append(
                        {
                            "person": row.person_id,
                            "person_name": row.person.name,
                            "team": row.team_id,
                            "week": week,
                            "capacity": row.capacity[i],
                            "project": row.project[i],
                            "operational": row.operational[i],
                            "tentative": row.tentative[i],
                            "utilisation": round(load / row.capacity[i], 3)
                            if row.capacity[i]
                            else None,
                        }
                    )
        page = self.paginate_queryset(cells)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class LatestSnapshotView(APIView):
    """The published snapshot every page reads, and whether a newer one is on its way."""

    queryset = PersonLoad.objects.none()  # for the role rule: reading needs view_personload

    @extend_schema(responses=SnapshotSerializer)
    def get(self, request):
        status_ = selectors.plan_status()
        if status_.snapshot is None:
            return Response(
                {
                    "status": 404,
                    "code": "not_found",
                    "detail": "No snapshot has been published yet.",
                    "refreshing": status_.refreshing,
                },
                status=404,
            )
        data = SnapshotSerializer(status_.snapshot).data
        data["refreshing"] = status_.refreshing
        return Response(data)


@extend_schema(request=None, responses={202: dict})
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def recompute(request):
    """Ask for a recompute now (PMO leads and ITSM managers)."""
    if not request.user.has_perm("resources.change_allocation") and not request.user.has_perm(
        "resources.acknowledge_conflict"
    ):
        raise PermissionDenied("Only PMO leads and ITSM managers ask for a recompute.")
    with transaction.atomic():
        mark_dirty()
    state = selectors.plan_status()
    return Response(
        {
            "queued": True,
            "refreshing": state.refreshing,
            "current": state.snapshot.pk if state.snapshot else None,
        },
        status=status.HTTP_202_ACCEPTED,
    )
