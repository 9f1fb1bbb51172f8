from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsm_pmo.api import SaysWhichDuplicate
from itsm_pmo.text import LONG_TEXT

from ..choices import CheckStatus
from ..models import Handover, HandoverTransition, ReadinessCheck, ReadinessCriterion
from ..readiness import readiness_summary


class ReadinessCriterionSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = ReadinessCriterion
        fields = ["id", "name", "description", "mandatory", "order", "active"]


class ReadinessCheckSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    mandatory = serializers.BooleanField(source="criterion.mandatory", read_only=True)
    status = serializers.ChoiceField(choices=CheckStatus.choices, required=False)

    class Meta:
        model = ReadinessCheck
        fields = [
            "id",
            "handover",
            "criterion",
            "criterion_name",
            "mandatory",
            "owner",
            "status",
            "evidence_url",
            "waiver_reason",
            "updated_at",
        ]
        read_only_fields = ["handover", "criterion", "updated_at"]


class ReadinessSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    waived = serializers.IntegerField()
    total = serializers.IntegerField()
    settled = serializers.IntegerField()
    percent = serializers.IntegerField()
    mandatory_open = serializers.ListField(child=serializers.CharField())


class HandoverTransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)  # a deleted user's moves stay
    from_state = serializers.CharField(
        help_text="The state it left; empty for the record of the handover's opening."
    )

    class Meta:
        model = HandoverTransition
        fields = ["from_state", "to_state", "by", "at", "comment"]


class HandoverSerializer(serializers.ModelSerializer):
    accepted_by = serializers.StringRelatedField(allow_null=True)  # until accepted
    go_live_on = serializers.DateField(read_only=True, allow_null=True)
    readiness = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = [
            "id",
            "project",
            "service",
            "new_service_name",
            "receiving_team",
            "state",
            "go_live_on",
            "readiness",
            "els_quiet_days",
            "els_max_priority",
            "els_effort_hours",
            "els_started_on",
            "els_ended_on",
            "accepted_by",
            "accepted_at",
            "closed_at",
            "transition_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "els_started_on",
            "els_ended_on",
            "accepted_at",
            "closed_at",
            "transition_days",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["project"].read_only = True  # a handover stays with its project
        return fields

    def validate_els_max_priority(self, value):
        if not 1 <= value <= 5:
            raise serializers.ValidationError("A priority is from 1 (highest) to 5.")
        return value

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, handover) -> dict:
        """From the prefetched checks (`checks` with their criterion)."""
        return ReadinessSerializer(readiness_summary(handover.checks.all()).as_dict()).data


class HandoverMoveSerializer(serializers.Serializer):
    to = serializers.CharField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )
