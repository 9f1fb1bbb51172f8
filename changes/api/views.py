"""The change API. Plain CRUD whose only rule is the role's model permission stays a
ModelViewSet (items, templates, policies, freezes); a change and its review are written only
through the services, which ask the predicates in changes.permissions."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from itsm_pmo.api import UtcDateTimeField
from itsm_pmo.api_versions import VersionedUpdateMixin, versioned_schema
from itsm_pmo.text import LONG_TEXT

from .. import selectors, services
from ..choices import Risk
from ..filtersets import ChangeFilterSet, FreezeFilterSet, ItemFilterSet
from ..models import (
    ApprovalPolicy,
    ChangeTemplate,
    ConfigurationItem,
    FreezeWindow,
    PostImplementationReview,
)
from ..slots import suggest_slots
from .serializers import (
    ApprovalSerializer,
    ChangeSerializer,
    ChangeTransitionSerializer,
    DecisionSerializer,
    FreezeSerializer,
    ItemSerializer,
    PolicySerializer,
    ReviewCorrectionSerializer,
    ReviewSerializer,
    TemplateSerializer,
)


class ItemViewSet(viewsets.ModelViewSet):
    """Configuration items: plain CRUD, whose only rule is the role's model permission."""

    queryset = (
        ConfigurationItem.objects.select_related("service")
        .prefetch_related("depends_on")
        .order_by("name")
    )
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet


class TemplateViewSet(viewsets.ModelViewSet):
    """Standard change templates: plain CRUD, whose only rule is the role's model permission
    (a change raised from one takes a copy of what it needs at that moment)."""

    queryset = ChangeTemplate.objects.prefetch_related("items").order_by("name")
    serializer_class = TemplateSerializer
    filterset_fields = ["active", "category"]


class PolicyViewSet(viewsets.ModelViewSet):
    """Approval policies: plain CRUD, whose only rule is the role's model permission. The
    CAB decision reads them when it is made (`may_decide`)."""

    queryset = ApprovalPolicy.objects.select_related("approver_group").order_by(
        "change_type", "risk"
    )
    serializer_class = PolicySerializer
    filterset_fields = ["change_type", "risk"]


class FreezeViewSet(viewsets.ModelViewSet):
    """Change freezes: plain CRUD, whose only rule is the role's model permission; the plan
    is recomputed when one is saved."""

    queryset = FreezeWindow.objects.prefetch_related("services").order_by("start")
    serializer_class = FreezeSerializer
    filterset_class = FreezeFilterSet


class ReasonSerializer(drf_serializers.Serializer):
    reason = drf_serializers.CharField(allow_blank=True, max_length=LONG_TEXT)


class RiskOverrideSerializer(drf_serializers.Serializer):
    level = drf_serializers.ChoiceField(choices=Risk.choices, allow_blank=True)
    reason = drf_serializers.CharField(
        allow_blank=True, required=False, default="", max_length=LONG_TEXT
    )


class SlotSerializer(drf_serializers.Serializer):
    start = UtcDateTimeField()
    end = UtcDateTimeField()
    implementer_load = drf_serializers.FloatField(allow_null=True)


@versioned_schema(ChangeSerializer)
class ChangeViewSet(
    VersionedUpdateMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Requests for change, raised with `change_create` and edited with `change_update`.
    The state moves only with `transition/`; the CAB decides with `approvals/`. A change is
    never deleted here: it is cancelled, with a reason, and keeps its history."""

    queryset = selectors.change_list().prefetch_related("approvals__approver")
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    ordering_fields = ["planned_start", "number", "updated_at"]

    def get_queryset(self):
        if self.action != "list":
            return super().get_queryset()
        # A list shows the related rows by id: joining five tables to every change before
        # sorting them cost more than the page. The requester's name, the items and the
        # CAB's decisions of the page's changes come in one query each.
        return (
            selectors.change_list()
            .select_related(None)
            .prefetch_related(None)
            .prefetch_related("items", "requester", "approvals__approver")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        items = data.pop("items", [])
        serializer.instance = services.change_create(
            requester=self.request.user, items=items, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self.saved(
            services.change_update(
                change=serializer.instance,
                by=self.request.user,
                items=data.pop("items", None),
                expected_version=self.if_match(),
                **data,
            )
        )

    @extend_schema(request=ChangeTransitionSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the change: 409 with the allowed moves when the workflow refuses."""
        body = ChangeTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.change_transition(
            change=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(change).data)

    @extend_schema(methods=["post"], request=DecisionSerializer, responses=ApprovalSerializer)
    @extend_schema(methods=["get"], responses=ApprovalSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def approvals(self, request, pk=None):
        """The CAB's decisions; POST `{"decision": "approve"|"reject", "comment": …}`."""
        change = self.get_object()
        if request.method == "GET":
            return Response(
                ApprovalSerializer(change.approvals.select_related("approver"), many=True).data
            )
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        approval = services.change_approve(
            change=change, approver=request.user, **body.validated_data
        )
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="freeze-exception")
    def freeze_exception(self, request, pk=None):
        """Allow the change inside a change freeze (ITSM managers, with a reason)."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.freeze_exception_grant(
            change=self.get_object(), by=request.user, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(change).data)

    @extend_schema(request=RiskOverrideSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="risk-override")
    def risk_override(self, request, pk=None):
        """Override the assessed risk (ITSM managers, with a reason); an empty level clears."""
        body = RiskOverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.risk_override_set(
            change=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(change).data)

    @extend_schema(responses=SlotSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        """The next free windows of the same length in the coming four weeks."""
        return Response(SlotSerializer(suggest_slots(self.get_object()), many=True).data)


class ReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Post-implementation reviews: recorded once with `review_record` (POST), read-only
    afterwards; a correction goes through `correct/` (`review_correct`), which keeps the
    change's outcome in step with its review."""

    queryset = PostImplementationReview.objects.select_related(
        "change__implementer", "reviewed_by"
    ).order_by("-reviewed_at")
    serializer_class = ReviewSerializer
    filterset_fields = ["outcome", "change"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.review_record(
            change=data["change"],
            by=self.request.user,
            outcome=data["outcome"],
            incidents_caused=data.get("incidents_caused", 0),
            notes=data.get("notes", ""),
        )

    @extend_schema(request=ReviewCorrectionSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct the review: `{"outcome": …, "incidents_caused": …, "notes": …}`."""
        body = ReviewCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = services.review_correct(
            review=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(review).data)
