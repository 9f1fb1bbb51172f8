"""Serializers of the incident API: incidents, their transition and work logs."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import projects_visible_to
from resources.selectors import people, teams

from ...choices import HoldReason, IncidentState
from ...models import (
    Incident,
    IncidentCategory,
    IncidentReassignment,
    IncidentTransition,
    WorkLog,
)
from ..services import missing_service_message
from ..sla.models import SlaTimer


@extend_schema_field(OpenApiTypes.INT)
class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project by id, among those the caller may see (an engineer's own or supported
    ones). Looked up only when one is written: reading a list asks nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        return projects_visible_to(request.user if request is not None else AnonymousUser())


class SlaTimerSerializer(serializers.ModelSerializer):
    """One service-level timer, read-only: durations in working seconds of the service's
    support hours (docs/sla.md)."""

    status = serializers.CharField(read_only=True)
    breached = serializers.BooleanField(read_only=True)

    class Meta:
        model = SlaTimer
        fields = [
            "kind",
            "priority",
            "cover",
            "target_seconds",
            "started_at",
            "due_at",
            "elapsed_seconds",
            "paused_seconds",
            "is_paused",
            "stopped_at",
            "breached",
            "breached_at",
            "warned_at",
            "escalated_at",
            "status",
            "computed_at",
        ]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    reporter = serializers.StringRelatedField()
    sla_timers = SlaTimerSerializer(many=True, read_only=True)
    priority_label = serializers.CharField(read_only=True)
    # Written by the moves and the timers, never by a client: declared here because DRF
    # gives a non-editable field neither its blank ("not on hold") nor its null (no clock).
    hold_reason = serializers.ChoiceField(
        choices=HoldReason.choices, allow_blank=True, read_only=True
    )
    resolution_due_at = serializers.DateTimeField(allow_null=True, read_only=True)
    project = VisibleProjectField(required=False, allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "title",
            "description",
            "service",
            "project",
            "caused_by_change",
            "problem",
            "impact",
            "urgency",
            "priority",
            "priority_label",
            "major",
            "state",
            "reporter",
            "category",
            "subcategory",
            "configuration_item",
            "assignment_group",
            "assignee",
            "hold_reason",
            "resolution_due_at",
            "resolution_notes",
            "opened_at",
            "in_progress_at",
            "on_hold_at",
            "resolved_at",
            "closed_at",
            "resolution_due_at",
            "sla_timers",
        ]
        read_only_fields = [
            "number",
            "resolution_due_at",
            "priority",
            "state",
            "in_progress_at",
            "on_hold_at",
            "resolved_at",
            "closed_at",
        ]
        # Every incident is on a service (the model and `incident_log` say so): required here
        # too, so the schema tells a client what the service layer will ask for.
        extra_kwargs = {"opened_at": {"required": False}}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict) and "service" in exc.detail and not data.get("service"):
                has_project = bool(data.get("project") or data.get("caused_by_change"))
                exc.detail["service"] = [missing_service_message(has_project=has_project)]
            raise

    def validate(self, attrs):
        opened = attrs.get("opened_at")
        if opened and opened > timezone.now():
            raise serializers.ValidationError({"opened_at": "An incident opens in the past."})
        return attrs


class IncidentTransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=f"One of {', '.join(IncidentState.values)}.")
    hold_reason = serializers.ChoiceField(
        choices=HoldReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed to put it on hold: why it waits.",
        error_messages={
            "invalid_choice": "Say why it waits: "
            + ", ".join(str(label).lower() for label in HoldReason.labels)
            + "."
        },
    )
    resolution_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=LONG_TEXT,
        help_text="Needed to resolve.",
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=LONG_TEXT,
        help_text="Why it moves (recorded).",
    )


class WorkLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkLog
        fields = ["id", "incident", "person", "day", "hours", "note"]
        extra_kwargs = {"person": {"required": False}, "day": {"required": False}}


class IncidentTransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)  # a deleted user's moves stay

    class Meta:
        model = IncidentTransition
        fields = ["from_state", "to_state", "hold_reason", "by", "at", "comment"]


# --- Queues and assignment (issue 17) --------------------------------------------------------


class IncidentCategorySerializer(serializers.ModelSerializer):
    """A category of the catalogue with its subcategories; a subcategory is written with its
    category as `parent` (one level: a subcategory has none of its own)."""

    subcategories = serializers.SerializerMethodField()

    class Meta:
        model = IncidentCategory
        fields = ["id", "name", "parent", "active", "subcategories"]
        # The unique rule (name within its parent, any case) is said in `validate`.
        validators: list = []

    def validate(self, attrs):
        name = (attrs.get("name", getattr(self.instance, "name", "")) or "").strip()
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is not None and parent.parent_id is not None:
            raise serializers.ValidationError(
                {"parent": "A subcategory sits under a category, not under a subcategory."}
            )
        if (
            self.instance is not None
            and parent is not None
            and self.instance.subcategories.exists()
        ):
            raise serializers.ValidationError(
                {"parent": "A category with subcategories cannot become a subcategory."}
            )
        same = IncidentCategory.objects.filter(name__iexact=name, parent=parent)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            where = f"under “{parent.name}”" if parent else "among the categories"
            raise serializers.ValidationError({"name": f"“{name}” is already {where}."})
        attrs["name"] = name
        return attrs

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_subcategories(self, category):
        return [
            {"id": sub.pk, "name": sub.name, "active": sub.active}
            for sub in getattr(category, "children", ())
        ]


class IncidentAssignSerializer(serializers.Serializer):
    """Who holds the incident: a group (a team), an assignee of it (or none), and why when
    it moves away from someone."""

    group = serializers.PrimaryKeyRelatedField(
        queryset=teams(), help_text="The assignment group (a team)."
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=people(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An active member of the group; empty leaves it unassigned in the queue.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=LONG_TEXT,
        help_text="Why it moves (recorded); needed when it leaves a person or a group.",
    )


class IncidentReassignmentSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)  # a deleted user's rows stay

    class Meta:
        model = IncidentReassignment
        fields = ["from_group", "to_group", "from_person", "to_person", "reason", "by", "at"]


class QueueSerializer(serializers.Serializer):
    """A group's queue: its open, unassigned and breached incidents."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    open = serializers.IntegerField()
    unassigned = serializers.IntegerField()
    breached = serializers.IntegerField()
