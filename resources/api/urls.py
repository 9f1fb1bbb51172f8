from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("people", views.PersonViewSet, basename="person")
router.register("skills", views.SkillViewSet, basename="skill")
router.register("absences", views.AbsenceViewSet, basename="absence")
router.register("allocations", views.AllocationViewSet, basename="allocation")
router.register("demands", views.DemandViewSet, basename="demand")
router.register("conflicts", views.ConflictViewSet, basename="conflict")

urlpatterns = [
    path("load/", views.LoadView.as_view(), name="load"),
    path("snapshots/latest/", views.LatestSnapshotView.as_view(), name="snapshot_latest"),
    path("recompute/", views.recompute, name="recompute"),
    *router.urls,
]
