"""The handover's admin: the readiness catalogue (plain CRUD) and the audit trails, read-only.

Handovers, checks and incidents have rules about who may change them and how (services.py):
they are written through the pages and the API, not here."""

from django.contrib import admin

from itsm_pmo.admin import TransitionRecordAdmin

from .models import (
    HandoverTransition,
    IncidentCategory,
    IncidentReassignment,
    IncidentTransition,
    MajorIncidentTransition,
    ProblemTransition,
    ReadinessCriterion,
)


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


# The incident catalogue (issue 17): plain CRUD for those with the model permission (ITSM
# managers, given staff access); a retired entry is made inactive, not deleted (incidents
# keep it: PROTECT).
class SubcategoryInline(admin.TabularInline):
    model = IncidentCategory
    fk_name = "parent"
    fields = ["name", "active"]
    extra = 1


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent", "active"]
    list_filter = ["active", ("parent", admin.EmptyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    inlines = [SubcategoryInline]


@admin.register(IncidentReassignment)
class IncidentReassignmentAdmin(TransitionRecordAdmin):
    """The assignment history, read-only like the moves."""

    list_display = ("__str__", "reason", "by", "at")
    list_filter = ()
    list_select_related = ["incident", "from_group", "to_group", "from_person", "to_person", "by"]


# The service-level targets and escalation records (their own sub-package).
from .incidents.sla import admin as sla_admin  # noqa: E402, F401


@admin.register(MajorIncidentTransition)
class MajorIncidentTransitionAdmin(TransitionRecordAdmin):
    """A major incident's moves, read-only like every trail."""

    list_select_related = ["major_incident__incident", "by"]
