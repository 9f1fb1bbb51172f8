"""The handover's admin: the readiness catalogue (plain CRUD) and the audit trails, read-only.

Handovers, checks and incidents have rules about who may change them and how (services.py):
they are written through the pages and the API, not here."""

from django.contrib import admin

from itsm_pmo.admin import TransitionRecordAdmin

from .models import HandoverTransition, IncidentTransition, ProblemTransition, ReadinessCriterion


@admin.register(ReadinessCriterion)
class ReadinessCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "mandatory", "order", "active"]
    list_filter = ["mandatory", "active"]
    search_fields = ["name"]


@admin.register(HandoverTransition)
class HandoverTransitionAdmin(TransitionRecordAdmin):
    list_select_related = ["handover__project", "by"]


@admin.register(IncidentTransition)
class IncidentTransitionAdmin(TransitionRecordAdmin):
    list_select_related = ["incident", "by"]


@admin.register(ProblemTransition)
class ProblemTransitionAdmin(TransitionRecordAdmin):
    list_select_related = ["problem", "by"]


# The service-level targets and escalation records (their own sub-package).
from .incidents.sla import admin as sla_admin  # noqa: E402, F401
