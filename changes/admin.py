from django.contrib import admin

from itsm_pmo.admin import TransitionRecordAdmin, TransitionRecordInline

from .models import (
    ApprovalPolicy,
    ChangeRequest,
    ChangeTemplate,
    ChangeTransition,
    ConfigurationItem,
    FreezeWindow,
)


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service", "criticality"]
    list_filter = ["kind", "criticality"]
    search_fields = ["name"]
    filter_horizontal = ["depends_on"]


class ChangeTransitionInline(TransitionRecordInline):
    model = ChangeTransition


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "change_type", "state", "planned_start", "implementer"]
    list_filter = ["change_type", "state"]
    search_fields = ["number", "title"]
    # What the services decide (moves, CAB, risk override, freeze exception, review) is
    # shown here, not edited.
    readonly_fields = [
        "number",
        "state",
        "outcome",
        "approval_round",
        "risk",
        "risk_override",
        "risk_override_reason",
        "freeze_exception",
        "freeze_exception_reason",
        "freeze_exception_by",
    ]
    inlines = [ChangeTransitionInline]

    def has_delete_permission(self, request, obj=None):
        # A change is cancelled, with a reason, never deleted: deleting it would take its
        # audit trail and its CAB decisions with it (the API offers no delete either).
        return False


@admin.register(ChangeTransition)
class ChangeTransitionAdmin(TransitionRecordAdmin):
    list_select_related = ["change", "by"]


admin.site.register(ChangeTemplate)
admin.site.register(ApprovalPolicy)
admin.site.register(FreezeWindow)
