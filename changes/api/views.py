from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

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
    ReviewSerializer,
    TemplateSerializer,
)


class ItemViewSet(viewsets.ModelViewSet):
    queryset = (
        ConfigurationItem.objects.select_related("service")
        .prefetch_related("depends_on")
        .order_by("name")
    )
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet


class TemplateViewSet(viewsets.ModelViewSet):
    queryset = ChangeTemplate.objects.prefetch_related("items").order_by("name")
    serializer_class = TemplateSerializer
    filterset_fields = ["active", "category"]


class PolicyViewSet(viewsets.ModelViewSet):
    queryset = ApprovalPolicy.objects.select_related("approver_group").order_by(
        "change_type", "risk"
    )
    serializer_class = PolicySerializer
    filterset_fields = ["change_type", "risk"]


class FreezeViewSet(viewsets.ModelViewSet):
    queryset = FreezeWindow.objects.prefetch_related("services").order_by("start")
    serializer_class = FreezeSerializer
    filterset_class = FreezeFilterSet


class ReasonSerializer(drf_serializers.Serializer):
    reason = drf_serializers.CharField(allow_blank=True)


class RiskOverrideSerializer(drf_serializers.Serializer):
    level = drf_serializers.ChoiceField(choices=Risk.choices, allow_blank=True)
    reason = drf_serializers.CharField(allow_blank=True, required=False, default="")


class SlotSerializer(drf_serializers.Serializer):
    start = drf_serializers.DateTimeField()
    end = drf_serializers.DateTimeField()
    implementer_load = drf_serializers.FloatField(allow_null=True)


class ChangeViewSet(viewsets.ModelViewSet):
    """Requests for change. The state moves only with `transition/`; the CAB decides with
    `approvals/`."""

    queryset = selectors.change_list().prefetch_related("approvals__approver")
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    ordering_fields = ["planned_start", "number", "updated_at"]
    action_permissions = {
        "transition": "changes.transition_changerequest",
        "freeze_exception": "changes.grant_freeze_exception",
        "risk_override": "changes.approve_changerequest",
        "slots": "changes.view_changerequest",
    }

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        items = data.pop("items", [])
        serializer.instance = services.change_create(
            requester=self.request.user, items=items, **data
        )

    def perform_update(self, serializer):
        if not selectors.may_work_on(self.request.user, serializer.instance):
            raise PermissionDenied("Engineers edit the changes they raised or implement.")
        data = dict(serializer.validated_data)
        serializer.instance = services.change_update(
            change=serializer.instance, by=self.request.user, items=data.pop("items", None), **data
        )

    @extend_schema(request=ChangeTransitionSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the change: 409 with the allowed moves when the workflow refuses."""
        change = self.get_object()
        if not selectors.may_work_on(request.user, change):
            raise PermissionDenied("Engineers move the changes they raised or implement.")
        body = ChangeTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.change_transition(change=change, by=request.user, **body.validated_data)
        return Response(self.get_serializer(change).data)

    @extend_schema(methods=["post"], request=DecisionSerializer, responses=ApprovalSerializer)
    @extend_schema(methods=["get"], responses=ApprovalSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def approvals(self, request, pk=None):
        """The CAB's decisions; POST `{"decision": "approve"|"reject", "comment": …}`."""
        change = self.get_object()
        if request.method == "GET":
            return Response(
                ApprovalSerializer(change.approvals.select_related("approver"), many=True).data
            )
        if not request.user.has_perm("changes.approve_changerequest"):
            raise PermissionDenied("Only the CAB (ITSM managers) approves changes.")
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
    @action(detail=True, methods=["get"])
    def slots(self, request, pk=None):
        """The next free windows of the same length in the coming four weeks."""
        return Response(SlotSerializer(suggest_slots(self.get_object()), many=True).data)


class ReviewViewSet(viewsets.ModelViewSet):
    queryset = PostImplementationReview.objects.select_related("change", "reviewed_by").order_by(
        "-reviewed_at"
    )
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
