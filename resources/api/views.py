from datetime import timedelta

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.views import APIView

from itsm_pmo.api_permissions import RoleModelPermissions

from .. import selectors, services
from ..filtersets import ConflictFilterSet, PersonFilterSet, SkillFilterSet, TeamFilterSet
from ..models import Absence, Allocation, Conflict, Demand, PersonLoad, Skill
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
    """Teams. Plain CRUD: the role's model permission (PMO leads) is the whole rule."""

    queryset = selectors.team_list()
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    ordering_fields = ["name", "headcount"]

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self._counted(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._counted(serializer.instance)

    def _counted(self, team):
        """The saved team again from the list's query, with its head count and hours."""
        return selectors.team_list().get(pk=team.pk)


class PersonViewSet(viewsets.ModelViewSet):
    """People (their skills read-only here). Plain CRUD: the role's model permission (PMO
    leads) is the whole rule."""

    queryset = selectors.person_list().order_by("name")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "contracted_hours"]


class SkillViewSet(viewsets.ModelViewSet):
    """Skills. Plain CRUD: the role's model permission (PMO leads) is the whole rule."""

    queryset = Skill.objects.order_by("name")
    serializer_class = SkillSerializer
    filterset_class = SkillFilterSet


class AbsenceViewSet(viewsets.ModelViewSet):
    """Absences. Plain CRUD: the role's model permission (PMO leads) is the whole rule."""

    queryset = Absence.objects.select_related("person").order_by("start_date", "pk")
    serializer_class = AbsenceSerializer
    filterset_fields = ["person", "kind"]


class ServiceDecidesWrites(RoleModelPermissions):
    """The door of a model whose writes have object rules: every method needs only the role's
    `view_` permission here, and the service the viewset calls decides who may write (so a
    team manager without the PMO lead's model permissions plans their own team)."""

    perms_map = {
        **RoleModelPermissions.perms_map,
        **dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), ["%(app_label)s.view_%(model_name)s"]),
    }


class AllocationViewSet(viewsets.ModelViewSet):
    """Allocations. Every write goes through `allocation_save` / `allocation_delete`, which
    ask who plans the person's time (a PMO lead anyone's, a team's manager their team's)."""

    queryset = Allocation.objects.select_related("person", "project").order_by("start_date", "pk")
    serializer_class = AllocationSerializer
    permission_classes = [ServiceDecidesWrites]
    filterset_fields = ["person", "project", "kind", "tentative"]

    def perform_create(self, serializer):
        serializer.instance = services.allocation_save(
            by=self.request.user, allocation=None, fields=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.allocation_save(
            by=self.request.user, allocation=serializer.instance, fields=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.allocation_delete(by=self.request.user, allocation=instance)


class DemandViewSet(viewsets.ModelViewSet):
    """Unnamed demand of projects. Plain CRUD: the role's model permission (PMO leads) is the
    whole rule."""

    queryset = Demand.objects.select_related("project", "skill").order_by("start_date", "pk")
    serializer_class = DemandSerializer
    filterset_fields = ["project", "skill", "min_level"]


class ConflictViewSet(viewsets.ReadOnlyModelViewSet):
    """Conflicts of the current snapshot (`state=open` by default; also acknowledged,
    resolved, all). They are written by the engine only; `acknowledge` goes through
    `conflicts_acknowledge`, which decides who may."""

    queryset = (
        Conflict.objects.select_related("acknowledged_by")
        .prefetch_related("projects")
        .order_by("period_start", "pk")
    )
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilterSet

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
    """Ask for a recompute now (PMO leads and ITSM managers; `plan_recompute` decides)."""
    services.plan_recompute(by=request.user)
    state = selectors.plan_status()
    return Response(
        {
            "queued": True,
            "refreshing": state.refreshing,
            "current": state.snapshot.pk if state.snapshot else None,
        },
        status=status.HTTP_202_ACCEPTED,
    )
