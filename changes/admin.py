from django.contrib import admin

from .models import (
    ApprovalPolicy,
    ChangeRequest,
    ChangeTemplate,
    ConfigurationItem,
    FreezeWindow,
)


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service", "criticality"]
    list_filter = ["kind", "criticality"]
    search_fields = ["name"]
    filter_horizontal = ["depends_on"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "change_type", "state", "planned_start", "implementer"]
    list_filter = ["change_type", "state"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "state", "outcome", "approval_round"]


admin.site.register(ChangeTemplate)
admin.site.register(ApprovalPolicy)
admin.site.register(FreezeWindow)
