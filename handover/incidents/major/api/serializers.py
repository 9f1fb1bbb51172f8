"""Serializers of the major-incident API."""

from rest_framework import serializers

from itsm_pmo.text import LONG_TEXT
from resources.selectors import people

from ....models import Incident
from ..choices import Audience, EngagementRole, MajorIncidentState, UpdateKind
from ..models import (
    Engagement,
    MajorIncident,
    MajorIncidentUpdate,
    PostIncidentReview,
    ReviewAction,
)


class MajorIncidentUpdateSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)
    kind = serializers.ChoiceField(choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    audience = serializers.ChoiceField(
        choices=[("", "—"), *Audience.choices],
        required=False,
        default="",
        help_text="Who a communication went to (communications only).",
    )

    class Meta:
        model = MajorIncidentUpdate
        fields = ["id", "at", "author", "kind", "audience", "text"]
        read_only_fields = ["id", "at", "author"]
        extra_kwargs = {"text": {"max_length": LONG_TEXT}}


class EngagementSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=people().filter(active=True))
    role = serializers.ChoiceField(choices=EngagementRole.choices)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Engagement
        fields = ["id", "person", "person_name", "role", "engaged_from", "released_at"]
        read_only_fields = ["id", "released_at"]
        extra_kwargs = {"engaged_from": {"required": False}}


class EngagementReleaseSerializer(serializers.Serializer):
    engagement = serializers.IntegerField(help_text="The engagement to end (its id).")


class ReviewActionSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=people().filter(active=True))
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    major_incident = serializers.IntegerField(source="review.major_incident_id", read_only=True)

    class Meta:
        model = ReviewAction
        fields = ["id", "major_incident", "description", "owner", "owner_name", "due_on", "done_at"]
        read_only_fields = ["id", "major_incident", "done_at"]


class ReviewActionDoneSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class PostIncidentReviewSerializer(serializers.ModelSerializer):
    completed_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = PostIncidentReview
        fields = ["what_happened", "impact", "root_cause", "completed_at", "completed_by"]
        read_only_fields = ["completed_at", "completed_by"]
        extra_kwargs = {
            name: {"required": False, "allow_blank": True, "max_length": LONG_TEXT}
            for name in ("what_happened", "impact", "root_cause")
        }


class MajorIncidentSerializer(serializers.ModelSerializer):
    """A major incident in a list; `incident` names the incident declared (on create)."""

    incident = serializers.PrimaryKeyRelatedField(queryset=Incident.objects.all())
    number = serializers.CharField(source="incident.number", read_only=True)
    title = serializers.CharField(source="incident.title", read_only=True)
    state = serializers.ChoiceField(choices=MajorIncidentState.choices, read_only=True)
    declared_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = MajorIncident
        fields = [
            "id",
            "incident",
            "number",
            "title",
            "state",
            "summary",
            "declared_by",
            "declared_at",
            "review_started_at",
            "closed_at",
        ]
        read_only_fields = ["declared_at", "review_started_at", "closed_at"]
        extra_kwargs = {"summary": {"required": False, "max_length": LONG_TEXT}}


class MajorIncidentAffectedSerializer(serializers.Serializer):
    services = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    more = serializers.BooleanField()

    def get_services(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.services]

    def get_projects(self, obj) -> list[dict]:
        return [{"id": p.pk, "code": p.code, "name": p.name} for p in obj.projects]

    def get_items(self, obj) -> list[dict]:
        return [{"id": i.pk, "name": i.name, "service": i.service_id} for i in obj.items]


class MajorIncidentDetailSerializer(MajorIncidentSerializer):
    """One major incident with its timeline, people, review, actions and what it affects."""

    incident = serializers.PrimaryKeyRelatedField(read_only=True)
    timeline = serializers.SerializerMethodField()
    engagements = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    affected = serializers.SerializerMethodField()

    class Meta(MajorIncidentSerializer.Meta):
        fields = [
            *MajorIncidentSerializer.Meta.fields,
            "timeline",
            "engagements",
            "review",
            "actions",
            "affected",
        ]

    def _selectors(self):
        from .. import selectors

        return selectors

    def get_timeline(self, obj) -> list[dict]:
        return MajorIncidentUpdateSerializer(self._selectors().timeline(obj), many=True).data

    def get_engagements(self, obj) -> list[dict]:
        return EngagementSerializer(self._selectors().engagements(obj), many=True).data

    def get_review(self, obj) -> dict | None:
        review = self._selectors().review_of(obj)
        return PostIncidentReviewSerializer(review).data if review else None

    def get_actions(self, obj) -> list[dict]:
        return ReviewActionSerializer(self._selectors().actions(obj), many=True).data

    def get_affected(self, obj) -> dict:
        return MajorIncidentAffectedSerializer(self._selectors().affected(obj)).data


class MajorTransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=f"One of {', '.join(MajorIncidentState.values)}.")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT
    )
