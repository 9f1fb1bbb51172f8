from django.urls import path

from itsm_pmo.autocomplete import options_view

from . import views
from .filtersets import PERSON_SEARCH, MajorIncidentFilterSet

app_name = "major"

urlpatterns = [
    path("", views.MajorIncidentListView.as_view(), name="index"),
    path(
        "filter-options/<str:field>/",
        options_view(
            MajorIncidentFilterSet,
            "handover.view_majorincident",
            extra={"owner": PERSON_SEARCH},
        ),
        name="filter_options",
    ),
    path("declare/<int:incident>/", views.major_declare_view, name="major_declare"),
    path("<int:pk>/", views.MajorIncidentDetailView.as_view(), name="major_detail"),
    path("<int:pk>/post/", views.major_post_view, name="major_post"),
    path("<int:pk>/engage/", views.engagement_add_view, name="engagement_add"),
    path("<int:pk>/review/", views.review_write_view, name="review_write"),
    path("<int:pk>/actions/", views.action_add_view, name="action_add"),
    path("<int:pk>/transition/", views.major_transition_view, name="major_transition"),
    path("engagements/<int:pk>/release/", views.engagement_release_view, name="engagement_release"),
    path("actions/<int:pk>/done/", views.action_done_view, name="action_done"),
]
