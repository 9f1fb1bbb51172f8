"""Serializers of the incident API: incidents, their transition and work logs."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsm_pmo.text import LONG_TEXT
from portfolio.selectors import projects_visible_to

from ...choices import IncidentState
from ...models import Incident, IncidentTransition, WorkLog
from ..services import missing_service_message


@extend_schema_field(OpenApiTypes.INT)
class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project by id, among those the caller may see (an engineer's own or supported
    ones). Looked up only when one is written: reading a list asks nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        return projects_visible_to(request.user if request is not None else AnonymousUser())


class IncidentSerializer(serializers.ModelSerializer):
    reporter = serializers.StringRelatedField()
    priority_label = serializers.CharField(read_only=True)
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
            "assignee",
            "resolution_notes",
            "opened_at",
            "in_progress_at",
            "on_hold_at",
            "resolved_at",
            "closed_at",
        ]
        read_only_fields = [
            "number",
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
        fields = ["from_state", "to_state", "by", "at", "comment"]
