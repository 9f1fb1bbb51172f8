from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("items", views.ItemViewSet, basename="item")
router.register("changes", views.ChangeViewSet, basename="change")
router.register("templates", views.TemplateViewSet, basename="template")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("freezes", views.FreezeViewSet, basename="freeze")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = router.urls
