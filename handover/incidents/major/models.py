"""Major incidents: the declared incident, its timeline, the people engaged and the
post-incident review with its actions (imported by handover/models.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from itsm_pmo.models import TransitionRecord
from itsm_pmo.text import BoundedTextField

from .choices import Audience, EngagementRole, MajorIncidentState, UpdateKind


class MajorIncident(models.Model):
    """An incident declared major: run by an ITSM manager until its review closes it."""

    incident = models.OneToOneField(
        "handover.Incident", on_delete=models.CASCADE, related_name="major_incident"
    )
    state = models.CharField(
        max_length=20,
        choices=MajorIncidentState.choices,
        default=MajorIncidentState.ACTIVE,
        editable=False,
        db_index=True,
    )
    summary = BoundedTextField(blank=True, help_text="What is happening, in a few lines.")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    review_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"Major incident {self.incident.number or self.incident_id}"

    def get_absolute_url(self) -> str:
        return reverse("major:major_detail", args=[self.pk])


class MajorIncidentTransition(TransitionRecord):
    """One move of a major incident between states (append-only)."""

    subject_field = "major_incident"

    major_incident = models.ForeignKey(
        MajorIncident, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=30, choices=MajorIncidentState.choices)
    to_state = models.CharField(max_length=30, choices=MajorIncidentState.choices)

    class Meta(TransitionRecord.Meta):
        pass


class MajorIncidentUpdate(models.Model):
    """One entry of the timeline: a status update, or a communication sent to an audience."""

    major_incident = models.ForeignKey(
        MajorIncident, on_delete=models.CASCADE, related_name="updates"
    )
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    text = BoundedTextField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["major_incident", "-at"], name="major_update_timeline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=UpdateKind.UPDATE, audience="")
                | (Q(kind=UpdateKind.COMMUNICATION) & ~Q(audience="")),
                name="major_update_audience_iff_communication",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class Engagement(models.Model):
    """A person working the major incident in a role, from when they joined to their release;
    the span's hours are operational load (engagement_hours in hours.py says how many)."""

    major_incident = models.ForeignKey(
        MajorIncident, on_delete=models.CASCADE, related_name="engagements"
    )
    person = models.ForeignKey(
        "resources.Person", on_delete=models.PROTECT, related_name="major_engagements"
    )
    role = models.CharField(max_length=20, choices=EngagementRole.choices)
    engaged_from = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["engaged_from", "pk"]
        indexes = [models.Index(fields=["person", "engaged_from"], name="engagement_person")]
        constraints = [
            # One open engagement of a person on one major incident at a time.
            models.UniqueConstraint(
                fields=["major_incident", "person"],
                condition=Q(released_at__isnull=True),
                name="engagement_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True)
                | Q(released_at__gte=models.F("engaged_from")),
                name="engagement_release_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.get_role_display()}"


class PostIncidentReview(models.Model):
    """What happened, its impact and root cause: written in review, completed at closing."""

    major_incident = models.OneToOneField(
        MajorIncident, on_delete=models.CASCADE, related_name="review"
    )
    what_happened = BoundedTextField(blank=True)
    impact = BoundedTextField(blank=True)
    root_cause = BoundedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    def __str__(self) -> str:
        return f"Review of {self.major_incident}"


class ReviewAction(models.Model):
    """Something the review decided to do, with an owner and a due date; tracked until done."""

    review = models.ForeignKey(PostIncidentReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "resources.Person", on_delete=models.PROTECT, related_name="review_actions"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_at"], name="review_action_owner")]

    def __str__(self) -> str:
        return self.description
