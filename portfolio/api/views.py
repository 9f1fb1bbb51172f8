from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import (
    CriterionFilterSet,
    MilestoneFilterSet,
    ObjectiveFilterSet,
    ProjectFilterSet,
    RiskFilterSet,
    ScoreFilterSet,
    ServiceFilterSet,
)
from ..models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    Risk,
    Score,
    Service,
    StrategicObjective,
)
from ..weights import weights_from_query
from .serializers import (
    BenefitSerializer,
    CriterionSerializer,
    MilestoneSerializer,
    ObjectiveSerializer,
    ProjectSerializer,
    RankedProjectSerializer,
    RiskSerializer,
    ScoreSerializer,
    ServiceSerializer,
    TransitionSerializer,
)


class ObjectiveViewSet(viewsets.ModelViewSet):
    queryset = StrategicObjective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet


class ServiceViewSet(viewsets.ModelViewSet):
    queryset = Service.objects.select_related("owning_team")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet


class CriterionViewSet(viewsets.ModelViewSet):
    queryset = Criterion.objects.all()
    serializer_class = CriterionSerializer
    filterset_class = CriterionFilterSet


class ProjectViewSet(viewsets.ModelViewSet):
    """Projects; the stage moves only with `POST {id}/transition/`."""

    queryset = Project.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "name", "start_date", "updated_at"]
    action_permissions = {"transition": "portfolio.transition_project"}

    def get_queryset(self):
        return selectors.project_list(self.request.user)

    @extend_schema(request=TransitionSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the project to another stage: 409 with the allowed moves when refused."""
        project = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_transition(
            project=project, by=request.user, **body.validated_data
        )
        return Response(ProjectSerializer(project, context={"request": request}).data)


class _ProjectChildViewSet(viewsets.ModelViewSet):
    """Rows that belong to a project: scoped to the projects the caller may read."""

    def get_queryset(self):
        visible = selectors.projects_visible_to(self.request.user)
        return self.queryset.filter(project__in=visible)


class ScoreViewSet(_ProjectChildViewSet):
    queryset = Score.objects.select_related("criterion", "scored_by")
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilterSet

    def perform_create(self, serializer):
        serializer.save(scored_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(scored_by=self.request.user)


class MilestoneViewSet(_ProjectChildViewSet):
    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet


class RiskViewSet(_ProjectChildViewSet):
    queryset = Risk.objects.select_related("owner")
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet


class BenefitViewSet(_ProjectChildViewSet):
    queryset = Benefit.objects.select_related("owner")
    serializer_class = BenefitSerializer
    filterset_fields = ["project"]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "w<criterion id>", str, description="What-if weight for a criterion, e.g. w3=2.5"
        )
    ]
)
class RankingView(generics.GenericAPIView):
    """The live portfolio in rank order, with every term of each score."""

    queryset = Project.objects.none()
    serializer_class = RankedProjectSerializer
    filterset_class = ProjectFilterSet

    def get(self, request):
        weights = weights_from_query(request.query_params, selectors.criterion_ids())
        projects = self.filter_queryset(selectors.projects_visible_to(request.user))
        rows = selectors.ranked_portfolio(request.user, filtered=projects, weights=weights)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
