from django.contrib.auth.models import Group
from rest_framework import serializers

from itsm_pmo.api import SaysWhichDuplicate
from itsm_pmo.text import LONG_TEXT

from ..choices import Decision, Outcome, Risk
from ..models import (
    Approval,
    ApprovalPolicy,
    ChangeRequest,
    ChangeTemplate,
    ConfigurationItem,
    FreezeWindow,
    PostImplementationReview,
)


class ItemSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "kind", "service", "criticality", "depends_on", "description"]


class TemplateSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = ChangeTemplate
        fields = [
            "id",
            "name",
            "description",
            "category",
            "items",
            "effort_hours",
            "backout_plan",
            "test_plan",
            "active",
        ]


class PolicySerializer(serializers.ModelSerializer):
    approver_group = serializers.SlugRelatedField(slug_field="name", queryset=Group.objects.all())

    class Meta:
        model = ApprovalPolicy
        fields = ["id", "change_type", "risk", "approver_group", "quorum"]


class FreezeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FreezeWindow
        fields = ["id", "name", "start", "end", "reason", "all_services", "services"]

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": "The freeze ends before it starts."})
        return attrs


class ApprovalSerializer(serializers.ModelSerializer):
    approver = serializers.StringRelatedField()

    class Meta:
        model = Approval
        fields = ["id", "approver", "decision", "comment", "decided_at", "round"]


class ChangeSerializer(serializers.ModelSerializer):
    approvals = ApprovalSerializer(many=True, read_only=True)
    requester = serializers.StringRelatedField()
    # Blank until set: declared here, since a read-only model field loses `allow_blank` and
    # the schema would leave "" out of the enum.
    risk_override = serializers.ChoiceField(choices=Risk.choices, allow_blank=True, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "number",
            "title",
            "description",
            "change_type",
            "category",
            "requester",
            "implementer",
            "team",
            "project",
            "template",
            "items",
            "planned_start",
            "planned_end",
            "effort_hours",
            "backout_plan",
            "test_plan",
            "risk",
            "risk_override",
            "risk_override_reason",
            "freeze_exception",
            "freeze_exception_reason",
            "state",
            "outcome",
            "approval_round",
            "approvals",
            "created_at",
            "updated_at",
        ]
        # The risk override has its own action (ITSM managers only), as does the exception.
        read_only_fields = [
            "number",
            "risk",
            "risk_override_reason",
            "freeze_exception",
            "freeze_exception_reason",
            "state",
            "approval_round",
            "created_at",
            "updated_at",
        ]

    # The plan's rules (window, template, items) are the service's: changes/rules.py.


class ChangeTransitionSerializer(serializers.Serializer):
    to = serializers.CharField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )


class ReviewSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)

    class Meta:
        model = PostImplementationReview
        fields = [
            "id",
            "change",
            "outcome",
            "incidents_caused",
            "notes",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = ["reviewed_by", "reviewed_at"]


class ReviewCorrectionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    incidents_caused = serializers.IntegerField(min_value=0)
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )
