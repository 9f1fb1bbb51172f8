from rest_framework.routers import DefaultRouter

from ..incidents.api.views import (
    IncidentCategoryViewSet,
    IncidentViewSet,
    QueueViewSet,
    WorkLogViewSet,
)
from ..incidents.major.api.views import MajorIncidentViewSet, ReviewActionViewSet
from ..problems.api.views import KnownErrorViewSet, ProblemViewSet
from . import views

router = DefaultRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("problems", ProblemViewSet, basename="problem")
router.register("known-errors", KnownErrorViewSet, basename="known-error")
router.register("worklogs", WorkLogViewSet, basename="worklog")
router.register("major-incidents", MajorIncidentViewSet, basename="major-incident")
router.register("review-actions", ReviewActionViewSet, basename="review-action")
router.register("categories", IncidentCategoryViewSet, basename="incidentcategory")
router.register("queues", QueueViewSet, basename="queue")

router.register("handovers", views.HandoverViewSet, basename="handover")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("checks", views.CheckViewSet, basename="check")

urlpatterns = router.urls
