"""The problem pages, under /incidents/problems/ (included by handover.incidents.urls, so their
names are `incidents:problem_…`)."""

from django.urls import path

from itsm_pmo.autocomplete import options_view

from . import views
from .filtersets import ProblemFilterSet
from .forms import ITEM_SEARCH, OWNER_SEARCH

urlpatterns = [
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path(
        "problems/options/<str:field>/",
        options_view(
            ProblemFilterSet,
            views.VIEW,
            extra={"configuration_item": ITEM_SEARCH, "owner": OWNER_SEARCH},
        ),
        name="problem_options",
    ),
    path("problems/known-errors/", views.known_errors_panel, name="known_errors"),
    path("problems/new/", views.ProblemCreateView.as_view(), name="problem_create"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", views.ProblemUpdateView.as_view(), name="problem_update"),
    path(
        "problems/<int:pk>/transition/",
        views.problem_transition_view,
        name="problem_transition",
    ),
    path("problems/<int:pk>/incidents/", views.problem_link_view, name="problem_link"),
    path(
        "problems/<int:pk>/incidents/<int:incident_pk>/unlink/",
        views.problem_unlink_view,
        name="problem_unlink",
    ),
    path(
        "problems/<int:pk>/resolve-by-change/",
        views.problem_resolve_by_change_view,
        name="problem_resolve_by_change",
    ),
]
