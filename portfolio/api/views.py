from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from itsm_pmo.api_versions import VersionedUpdateMixin, versioned_schema

from .. import selectors, services
from ..filtersets import (
    CostFilterSet,
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
    ProjectCost,
    Risk,
    Score,
    Service,
    StrategicObjective,
)
from ..weights import weights_from_query
from .serializers import (
    BenefitSerializer,
    CostSerializer,
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
    """Strategic objectives: plain CRUD, whose only rule is the role's model permission
    (PMO leads manage them; retiring one is `active: false`, see `rules.py` for links)."""

    queryset = StrategicObjective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet


class ServiceViewSet(viewsets.ModelViewSet):
    """The service catalogue: plain CRUD, whose only rule is the role's model permission; a
    service that projects, items, incidents or lessons refer to is not deleted (409)."""

    queryset = Service.objects.select_related("owning_team")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet

    def perform_destroy(self, instance):
        services.service_delete(service=instance)


class CriterionViewSet(viewsets.ModelViewSet):
    """The scoring model's criteria, written through `criterion_create` / `_update` /
    `_delete` (who may, and the weights never all 0)."""

    queryset = Criterion.objects.all()
    serializer_class = CriterionSerializer
    filterset_class = CriterionFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.criterion_create(
            by=self.request.user, fields=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.criterion_update(
            criterion=serializer.instance, by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.criterion_delete(criterion=instance, by=self.request.user)


@versioned_schema(ProjectSerializer)
class ProjectViewSet(VersionedUpdateMixin, viewsets.ModelViewSet):
    """Projects, written through `project_create` / `project_update` / `project_delete`, the
    same as the form and the CSV import; the stage moves only with `POST {id}/transition/`.
    A project's answer carries its version as `ETag`; an update with a stale `If-Match` is
    412. A project that other records refer to is not deleted (409)."""

    queryset = Project.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "name", "start_date", "updated_at"]

    def get_queryset(self):
        projects = selectors.project_list(self.request.user)
        if self.action != "list":
            return projects
        # A list shows owner, support team and objectives by id: no join, and the links
        # without their objective rows.
        return (
            projects.select_related(None)
            .prefetch_related(None)
            .prefetch_related("services", "objective_links")
        )

    def perform_create(self, serializer):
        serializer.instance = services.project_create(
            by=self.request.user, **serializer.service_input()
        )

    def perform_update(self, serializer):
        serializer.instance = self.saved(
            services.project_update(
                project=serializer.instance,
                by=self.request.user,
                expected_version=self.if_match(),
                **serializer.service_input(),
            )
        )

    def perform_destroy(self, instance):
        services.project_delete(project=instance, by=self.request.user)

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


@dataclass(frozen=True)
class ChildWrites:
    """The services that write one kind of a project's rows: `create(project=, by=, fields=)`,
    `update(<noun>=, by=, fields=)`, `delete(<noun>=, by=)`."""

    noun: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]


class _ProjectChildViewSet(viewsets.ModelViewSet):
    """Rows that belong to a project: scoped to the projects the caller may read, and written
    through the services named in `writes` like the project page's forms (a row stays with
    its project)."""

    writes: ChildWrites

    def get_queryset(self):
        visible = selectors.projects_visible_to(self.request.user)
        return self.queryset.filter(project__in=visible)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        serializer.instance = self.writes.create(project=project, by=self.request.user, fields=data)

    def perform_update(self, serializer):
        serializer.instance = self.writes.update(
            **{self.writes.noun: serializer.instance},
            by=self.request.user,
            fields=serializer.validated_data,
        )

    def perform_destroy(self, instance):
        self.writes.delete(**{self.writes.noun: instance}, by=self.request.user)


class ScoreViewSet(_ProjectChildViewSet):
    """Scores, set and cleared through `score_set` / `score_clear` like the scores page; a
    score stays with its project and criterion."""

    queryset = Score.objects.select_related("criterion", "scored_by", "project")
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilterSet

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.score_set(
            project=data["project"],
            criterion=data["criterion"],
            value=data["value"],
            rationale=data.get("rationale", ""),
            by=self.request.user,
        )

    def perform_update(self, serializer):
        score, data = serializer.instance, serializer.validated_data
        serializer.instance = services.score_set(
            project=score.project,
            criterion=score.criterion,
            value=data.get("value", score.value),
            rationale=data.get("rationale", score.rationale),
            by=self.request.user,
        )

    def perform_destroy(self, instance):
        services.score_clear(
            project=instance.project, criterion=instance.criterion, by=self.request.user
        )


class MilestoneViewSet(_ProjectChildViewSet):
    """Milestones, written through `milestone_create` / `_update` / `_delete` like the
    project page's form; a milestone stays with its project."""

    queryset = Milestone.objects.select_related("project")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet

    writes = ChildWrites(
        "milestone", services.milestone_create, services.milestone_update, services.milestone_delete
    )


class RiskViewSet(_ProjectChildViewSet):
    """Risks, written through `risk_create` / `_update` / `_delete` like the project page's
    form; a risk stays with its project."""

    queryset = Risk.objects.select_related("owner", "project")
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet

    writes = ChildWrites("risk", services.risk_create, services.risk_update, services.risk_delete)


class BenefitViewSet(_ProjectChildViewSet):
    """Benefits, written through `benefit_create` / `_update` / `_delete` like the project
    page's forms (a realisation is recorded with `realised` and `realised_on`, today when
    left out); a benefit stays with its project."""

    queryset = Benefit.objects.select_related("owner", "project")
    serializer_class = BenefitSerializer
    filterset_fields = ["project"]

    writes = ChildWrites(
        "benefit", services.benefit_create, services.benefit_update, services.benefit_delete
    )


class CostViewSet(_ProjectChildViewSet):
    """A project's actual costs by month and kind, written through `cost_create` / `_update`
    / `_delete` like the project page's forms; a cost stays with its project. Filter by
    `project`, `kind` and a month range (`month_from`, `month_to`, both included)."""

    queryset = ProjectCost.objects.select_related("project")
    serializer_class = CostSerializer
    filterset_class = CostFilterSet

    writes = ChildWrites("cost", services.cost_create, services.cost_update, services.cost_delete)


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

    @extend_schema(responses=RankedProjectSerializer(many=True))
    def get(self, request):
        weights = weights_from_query(request.query_params, selectors.criterion_ids())
        projects = self.filter_queryset(selectors.projects_visible_to(request.user))
        rows = selectors.ranked_portfolio(request.user, filtered=projects, weights=weights)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
