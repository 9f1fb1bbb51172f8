"""The portfolio API's serializers: they validate input and render output; the viewsets hand
what they validated to the services, which write (a serializer never saves a project, a score
or a project's milestones and risks itself)."""

from rest_framework import serializers

from itsm_pmo.api import SaysWhichDuplicate
from itsm_pmo.text import LONG_TEXT

from ..choices import Stage
from ..models import (
    Benefit,
    Criterion,
    Milestone,
    Project,
    ProjectCost,
    ProjectObjective,
    Risk,
    Score,
    Service,
    StrategicObjective,
)
from ..rules import ObjectiveLink, contribution_problem


class WrittenByServices:
    """Serializer mixin: `save()` is not the way in; the viewset calls the service with
    `service_input()`, so the rules of the page and the API are one."""

    def create(self, validated_data):
        raise NotImplementedError("Written through portfolio.services.")

    def update(self, instance, validated_data):
        raise NotImplementedError("Written through portfolio.services.")


class StaysWithItsProject:
    """Serializer mixin: a row keeps the project (and the criterion) it was created for."""

    fixed_on_update = ("project",)

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        if self.instance is not None:  # type: ignore[attr-defined]
            for name in self.fixed_on_update:
                fields[name].read_only = True
        return fields


class ObjectiveSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = StrategicObjective
        fields = ["id", "name", "description", "weight", "active"]


class ServiceSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "description",
            "owning_team",
            "support_group",
            "tier",
            "support_hours",
        ]


class CriterionSerializer(SaysWhichDuplicate, WrittenByServices, serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "higher_is_better", "kind", "order"]


class ObjectiveLinkSerializer(serializers.ModelSerializer):
    objective = serializers.PrimaryKeyRelatedField(queryset=StrategicObjective.objects.all())
    # The range (and retired objectives, and repeats) is the rule of every door, said by the
    # service in the same words as the form and the import.
    contribution = serializers.IntegerField(help_text="Percent, 0–100.")

    class Meta:
        model = ProjectObjective
        fields = ["objective", "contribution"]

    def validate(self, attrs):
        # Asked here too so that a bad percent is reported with the other fields' errors.
        if problem := contribution_problem(attrs["objective"], attrs["contribution"]):
            raise serializers.ValidationError({"contribution": problem})
        return attrs


class ProjectSerializer(SaysWhichDuplicate, WrittenByServices, serializers.ModelSerializer):
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
        extra_kwargs = {
            "code": {
                "required": False,
                "help_text": "A short unique reference, e.g. PRJ-0042. Omitted when creating, "
                "the next free PRJ-nnnn is given (one above the highest in use).",
            }
        }

    def service_input(self) -> dict:
        """What `project_create` / `project_update` take: the fields given, and the links
        and services when given (None leaves them as they are)."""
        data = dict(self.validated_data)
        links = data.pop("objective_links", None)
        services = data.pop("services", None)
        return {
            "fields": data,
            "objectives": None
            if links is None
            else [ObjectiveLink(link["objective"], link["contribution"]) for link in links],
            "services": services,
        }


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )


class ScoreSerializer(StaysWithItsProject, WrittenByServices, serializers.ModelSerializer):
    scored_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    fixed_on_update = ("project", "criterion")

    class Meta:
        model = Score
        fields = ["id", "project", "criterion", "value", "rationale", "scored_by", "scored_at"]
        read_only_fields = ["scored_at"]


class MilestoneSerializer(StaysWithItsProject, WrittenByServices, serializers.ModelSerializer):
    warning = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Said, not refused: the due date lies more than 30 days before the "
        "project's start or after its end.",
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "due_date",
            "baseline_date",
            "completed_on",
            "warning",
        ]
        read_only_fields = ["baseline_date"]
        extra_kwargs = {
            "baseline_date": {
                "help_text": "The due date agreed when the project was approved; set by the "
                "portal, never moved by a re-plan."
            },
            "completed_on": {
                "help_text": "The day it was done: on or after the project's start, not later "
                "than today."
            },
        }


class RiskSerializer(StaysWithItsProject, WrittenByServices, serializers.ModelSerializer):
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


class BenefitSerializer(StaysWithItsProject, WrittenByServices, serializers.ModelSerializer):
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
            "unit",
            "baseline_value",
            "target_value",
            "realised_value",
        ]


class CostSerializer(StaysWithItsProject, WrittenByServices, serializers.ModelSerializer):
    class Meta:
        model = ProjectCost
        fields = ["id", "project", "month", "kind", "amount", "note"]
        # One row per project, month and kind: the service says so on `month`, in words.
        validators: list = []
        extra_kwargs = {
            "month": {"help_text": "The first day of the month, e.g. 2026-03-01."},
            "amount": {"help_text": "Spent in the month, in the budget's currency; 0 or more."},
        }


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
