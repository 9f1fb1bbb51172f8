from django.urls import path

from .views import allocations, conflicts, heatmap, skills, teams

app_name = "resources"

urlpatterns = [
    path("", heatmap.HeatmapView.as_view(), name="index"),
    path("status/", heatmap.plan_status_view, name="status"),
    path("teams/", teams.TeamListView.as_view(), name="team_list"),
    path("teams/<int:pk>/", teams.TeamDetailView.as_view(), name="team_detail"),
    path("people/<int:pk>/", teams.PersonDetailView.as_view(), name="person_detail"),
    path("conflicts/", conflicts.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/acknowledge/", conflicts.acknowledge_view, name="conflict_acknowledge"),
    path("skills/", skills.SkillsMatrixView.as_view(), name="skills_matrix"),
    path("allocations/new/", allocations.AllocationCreateView.as_view(), name="allocation_create"),
    path(
        "allocations/<int:pk>/edit/",
        allocations.AllocationUpdateView.as_view(),
        name="allocation_update",
    ),
    path(
        "allocations/<int:pk>/delete/",
        allocations.AllocationDeleteView.as_view(),
        name="allocation_delete",
    ),
    path("allocations/preview/", allocations.allocation_preview, name="allocation_preview"),
]
