from rest_framework.routers import DefaultRouter

from ..incidents.api.views import IncidentViewSet, WorkLogViewSet
from ..problems.api.views import KnownErrorViewSet, ProblemViewSet
from . import views

router = DefaultRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("problems", ProblemViewSet, basename="problem")
router.register("known-errors", KnownErrorViewSet, basename="known-error")
router.register("worklogs", WorkLogViewSet, basename="worklog")

router.register("handovers", views.HandoverViewSet, basename="handover")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("checks", views.CheckViewSet, basename="check")

urlpatterns = router.urls
