from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("services", views.ServiceViewSet, basename="service")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("scores", views.ScoreViewSet, basename="score")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("benefits", views.BenefitViewSet, basename="benefit")
router.register("costs", views.CostViewSet, basename="cost")

urlpatterns = [
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    *router.urls,
]
