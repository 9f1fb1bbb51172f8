from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("lessons", views.LessonViewSet, basename="lesson")
router.register("articles", views.ArticleViewSet, basename="article")

urlpatterns = router.urls
