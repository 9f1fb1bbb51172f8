"""Admin pieces every app shares: the audit trail is shown, never edited."""

from django.contrib import admin


class TransitionRecordAdmin(admin.ModelAdmin):
    """A workflow's moves, read-only: no add, change or delete, even for a superuser."""

    list_display = ("__str__", "from_state", "to_state", "by", "at")
    list_filter = ("to_state",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionRecordInline(admin.TabularInline):
    """The moves of one object on its admin page, read-only."""

    extra = 0
    can_delete = False
    fields = readonly_fields = ("from_state", "to_state", "by", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
