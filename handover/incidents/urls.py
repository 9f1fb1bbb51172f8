from django.urls import path

from itsm_pmo.autocomplete import options_view

from ..problems.urls import urlpatterns as problem_patterns
from . import views
from .filtersets import IncidentFilterSet
from .forms import CI_SEARCH, PROBLEM_SEARCH

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="index"),
    path(
        "filter-options/<str:field>/",
        options_view(
            IncidentFilterSet,
            "handover.view_incident",
            extra={"problem": PROBLEM_SEARCH, "configuration_item": CI_SEARCH},
        ),
        name="filter_options",
    ),
    path("new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/transition/", views.incident_transition_view, name="incident_transition"),
    path("<int:pk>/work/", views.incident_work_view, name="incident_work"),
    path("<int:pk>/problem/", views.incident_problem_view, name="incident_problem"),
    # Queues and assignment (issue 17).
    path("queues/", views.QueueListView.as_view(), name="queue_list"),
    path("queues/<int:pk>/", views.QueueDetailView.as_view(), name="queue_detail"),
    path("<int:pk>/assign/", views.IncidentAssignView.as_view(), name="incident_assign"),
    path("<int:pk>/take/", views.incident_take_view, name="incident_take"),
]

urlpatterns += problem_patterns  # /incidents/problems/…: problem management
