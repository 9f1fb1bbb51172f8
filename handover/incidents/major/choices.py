"""Vocabulary of major incidents; the move table is in workflow.py."""

from django.db import models


class MajorIncidentState(models.TextChoices):
    ACTIVE = "active", "Active"
    REVIEW = "review", "Post-incident review"
    CLOSED = "closed", "Closed"


class UpdateKind(models.TextChoices):
    UPDATE = "update", "Update"
    COMMUNICATION = "communication", "Communication"


class EngagementRole(models.TextChoices):
    INCIDENT_MANAGER = "incident_manager", "Incident manager"
    TECHNICAL_LEAD = "technical_lead", "Technical lead"
    COMMUNICATIONS = "communications", "Communications"
    RESOLVER = "resolver", "Resolver"
    SUBJECT_EXPERT = "subject_expert", "Subject-matter expert"


class Audience(models.TextChoices):
    """Who a communication went to."""

    USERS = "users", "Affected users"
    STAFF = "staff", "All staff"
    EXECUTIVES = "executives", "Executives"
    CUSTOMERS = "customers", "Customers"
    SUPPLIERS = "suppliers", "Suppliers"
