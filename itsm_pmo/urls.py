from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import me, token_views, views
from .dashboard import api as dashboard_api
from .dashboard import views as dashboard_views

api_patterns = [
    path("portfolio/", include("portfolio.api.urls")),
    path("resources/", include("resources.api.urls")),
    path("changes/", include("changes.api.urls")),
    path("handover/", include("handover.api.urls")),
    path("knowledge/", include("knowledge.api.urls")),
    path("auth/token/", token_views.TokenObtainView.as_view(), name="api_token"),
    path("me/notifications/", include("itsm_pmo.notifications.api")),
    path("me/", me.me, name="api_me"),
    path("dashboard/", dashboard_api.dashboard, name="api_dashboard"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the content security
    # policy refuses the inline one of the plain view.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api_docs",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/<slug:kind>/", views.my_work_list, name="my_work_list"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("portfolio/", include("portfolio.urls")),
    path("resources/", include("resources.urls")),
    path("changes/", include("changes.urls")),
    path("handover/", include("handover.urls")),
    path("incidents/", include("handover.incidents.urls")),
    path("major-incidents/", include("handover.incidents.major.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("notifications/", include("itsm_pmo.notifications.urls")),
]

handler404 = "itsm_pmo.errors.not_found"
handler403 = "itsm_pmo.errors.forbidden"
handler500 = "itsm_pmo.errors.server_error"
