from django.db import transaction
from rest_framework import serializers

from itsm_pmo.api import DatesInOrder

from ..choices import Stage
from ..models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    ProjectObjective,
    Risk,
    Score,
    Service,
    StrategicObjective,
)


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicObjective
        fields = ["id", "name", "description", "weight", "active"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "description", "owning_team", "tier", "support_hours"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "higher_is_better", "kind", "order"]

    def validate_weight(self, weight):
        others = Criterion.objects.exclude(pk=getattr(self.instance, "pk", None))
        if weight + sum(others.values_list("weight", flat=True)) <= 0:
            raise serializers.ValidationError("At least one criterion needs a weight above 0.")
        return weight


class ObjectiveLinkSerializer(serializers.ModelSerializer):
    objective = serializers.PrimaryKeyRelatedField(queryset=StrategicObjective.objects.all())

    class Meta:
        model = ProjectObjective
        fields = ["objective", "contribution"]
        extra_kwargs = {"contribution": {"required": True}}


class ProjectSerializer(DatesInOrder, serializers.ModelSerializer):
    stage = serializers.CharField(read_only=True, help_text="Moves only with transition/.")
    objectives = ObjectiveLinkSerializer(source="objective_links", many=True, required=False)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "summary",
            "sponsor",
            "owner",
            "stage",
            "health",
            "objectives",
            "services",
            "budget",
            "start_date",
            "end_date",
            "support_team",
            "support_effort_hours",
            "support_cover",
            "support_notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        links = attrs.get("objective_links") or []
        ids = [link["objective"].pk for link in links]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError({"objectives": "An objective is listed twice."})
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        links = validated_data.pop("objective_links", [])
        project = super().create(validated_data)
        self._save_links(project, links)
        return project

    @transaction.atomic
    def update(self, instance, validated_data):
        links = validated_data.pop("objective_links", None)
        project = super().update(instance, validated_data)
        if links is not None:
            self._save_links(project, links)
        return project

    @staticmethod
    def _save_links(project, links):
        project.objective_links.all().delete()
        ProjectObjective.objects.bulk_create(
            ProjectObjective(
                project=project, objective=link["objective"], contribution=link["contribution"]
            )
            for link in links
        )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreSerializer(serializers.ModelSerializer):
    scored_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Score
        fields = ["id", "project", "criterion", "value", "rationale", "scored_by", "scored_at"]
        read_only_fields = ["scored_at"]

    def validate_criterion(self, criterion):
        if criterion.kind != "scored":
            raise serializers.ValidationError(
                "Strategic alignment is computed from the objectives, not scored."
            )
        return criterion


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "kind", "due_date", "completed_on"]


class RiskSerializer(serializers.ModelSerializer):
    exposure = serializers.IntegerField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "project",
            "title",
            "description",
            "likelihood",
            "impact",
            "exposure",
            "threatens_operations",
            "mitigation",
            "owner",
            "status",
        ]


class BenefitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benefit
        fields = [
            "id",
            "project",
            "description",
            "measure",
            "target",
            "owner",
            "review_date",
            "realised",
            "realised_on",
        ]


class TermSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    criterion = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    value = serializers.IntegerField(allow_null=True)
    normalised = serializers.DecimalField(max_digits=6, decimal_places=4)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    missing = serializers.BooleanField()


class RankedProjectSerializer(serializers.Serializer):
    project = serializers.SerializerMethodField()
    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    terms = TermSerializer(many=True)

    def get_project(self, row) -> dict:
        p = row.project
        return {"id": p.pk, "code": p.code, "name": p.name, "stage": p.stage, "health": p.health}
