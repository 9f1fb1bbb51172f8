"""The service-level targets in the admin (plain CRUD); timers and their escalations are
derived and recorded by the engine, so they are read-only here."""

from django.contrib import admin

from itsm_pmo.tasks import enqueue_after_commit

from .models import SlaEvent, SlaTarget


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["priority", "response_minutes", "resolution_minutes"]
    ordering = ["priority"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every open timer's due moment follows its priority's target: recompute them all.
        from handover.tasks import sla_rebuild

        enqueue_after_commit(sla_rebuild)


@admin.register(SlaEvent)
class SlaEventAdmin(admin.ModelAdmin):
    list_display = ["incident", "kind", "at", "told_names"]
    list_filter = ["kind"]
    list_select_related = ["incident"]
    readonly_fields = ["incident", "timer", "kind", "at", "told", "told_names"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
