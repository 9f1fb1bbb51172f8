from rest_framework.routers import DefaultRouter

from .views import PersonViewSet, SkillViewSet, TeamViewSet

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("people", PersonViewSet, basename="person")
router.register("skills", SkillViewSet, basename="skill")

urlpatterns = router.urls
