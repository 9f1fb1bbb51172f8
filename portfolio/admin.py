"""The portfolio in the admin: the stage log, read-only (moves are made by the workflow)."""

from django.contrib import admin

from itsm_pmo.admin import TransitionRecordAdmin

from .models import ProjectTransition


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(TransitionRecordAdmin):
    """Every move of every project; nothing here can be added, changed or deleted."""

    list_select_related = ("project", "by")
    search_fields = ("project__code", "project__name", "comment")
