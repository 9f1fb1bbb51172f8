"""Serializers of the problem API: problems, their transition and log, and known errors."""

from rest_framework import serializers

from itsm_pmo.text import LONG_TEXT

from ...choices import ProblemState
from ...models import Problem, ProblemTransition


class ProblemSerializer(serializers.ModelSerializer):
    incidents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    known_error = serializers.BooleanField(
        read_only=True, help_text="True once a workaround is written down."
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "service",
            "configuration_item",
            "owner",
            "root_cause",
            "workaround",
            "fix",
            "state",
            "known_error",
            "known_error_article",
            "fix_change",
            "incidents",
            "created_at",
            "resolved_at",
            "closed_at",
        ]
        # The state moves only with `transition/`, so every move is recorded; the article
        # follows the workaround.
        read_only_fields = [
            "number",
            "state",
            "known_error_article",
            "created_at",
            "resolved_at",
            "closed_at",
        ]


class ProblemTransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=f"One of {', '.join(ProblemState.values)}.")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=LONG_TEXT,
        help_text="Why it moves (recorded); needed to close and to reopen, and to resolve "
        "unless the fix is written.",
    )
    fix = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=LONG_TEXT,
        help_text="The permanent fix, written with the move (resolving needs a fix or a comment).",
    )


class ProblemTransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)  # a deleted user's moves stay

    class Meta:
        model = ProblemTransition
        fields = ["from_state", "to_state", "by", "at", "comment"]


class KnownErrorSerializer(serializers.ModelSerializer):
    """A known error as the incident form suggests it: the problem and its workaround."""

    article = serializers.PrimaryKeyRelatedField(source="known_error_article", read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "state",
            "service",
            "configuration_item",
            "workaround",
            "article",
        ]
        read_only_fields = fields
