from rest_framework import serializers

from itsm_pmo.api import DatesInOrder, SaysWhichDuplicate
from itsm_pmo.text import LONG_TEXT

from ..models import (
    Absence,
    Allocation,
    Conflict,
    Demand,
    Person,
    PersonSkill,
    Skill,
    Snapshot,
    Team,
    WorkKind,
)


class TeamSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    headcount = serializers.IntegerField(read_only=True)
    weekly_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "description", "manager", "headcount", "weekly_hours"]


class SkillSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "category"]


class PersonSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="name", queryset=Skill.objects.all())

    class Meta:
        model = PersonSkill
        fields = ["skill", "level"]


class PersonSerializer(SaysWhichDuplicate, serializers.ModelSerializer):
    skills = PersonSkillSerializer(source="skill_levels", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "email",
            "title",
            "team",
            "contracted_hours",
            "active",
            "user",
            "skills",
        ]


class AbsenceSerializer(DatesInOrder, serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "person", "kind", "start_date", "end_date", "note"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        person = attrs.get("person", getattr(self.instance, "person", None))
        if person is None and kind != "public_holiday":
            raise serializers.ValidationError(
                {"person": "Only a public holiday applies to everyone; name the person."}
            )
        return attrs


class AllocationSerializer(DatesInOrder, serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = [
            "id",
            "person",
            "kind",
            "project",
            "hours_per_week",
            "start_date",
            "end_date",
            "tentative",
            "note",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        kind = attrs.get("kind", getattr(self.instance, "kind", WorkKind.PROJECT))
        project = attrs.get("project", getattr(self.instance, "project", None))
        if kind == WorkKind.PROJECT and project is None:
            raise serializers.ValidationError({"project": "Project work needs a project."})
        if kind != WorkKind.PROJECT and project is not None:
            raise serializers.ValidationError(
                {"project": "Operational work is not booked to a project."}
            )
        return attrs


class DemandSerializer(DatesInOrder, serializers.ModelSerializer):
    class Meta:
        model = Demand
        fields = ["id", "project", "skill", "min_level", "hours_per_week", "start_date", "end_date"]


class ConflictSerializer(serializers.ModelSerializer):
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    state = serializers.SerializerMethodField()
    acknowledged_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Conflict
        fields = [
            "id",
            "key",
            "kind",
            "severity",
            "state",
            "subject_type",
            "subject_id",
            "subject_label",
            "period_start",
            "period_end",
            "message",
            "details",
            "person",
            "team",
            "projects",
            "first_seen",
            "resolved_in",
            "opened_at",
            "resolved_at",
            "acknowledged_by",
            "acknowledged_at",
            "acknowledgement",
        ]

    def get_state(self, conflict) -> str:
        if conflict.resolved_at:
            return "resolved"
        return "acknowledged" if conflict.acknowledged_at else "open"


class AcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = [
            "id",
            "status",
            "started_at",
            "computed_at",
            "duration_ms",
            "week_start",
            "weeks",
            "stats",
        ]


class LoadCellSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    team = serializers.IntegerField()
    week = serializers.DateField()
    capacity = serializers.FloatField()
    project = serializers.FloatField()
    operational = serializers.FloatField()
    tentative = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)
