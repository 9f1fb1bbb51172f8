from django.urls import path

from itsm_pmo.autocomplete import options_view

from . import views
from .filtersets import OWNER_SEARCH, HandoverFilterSet

app_name = "handover"

urlpatterns = [
    path("", views.HandoverListView.as_view(), name="index"),
    path(
        "filter-options/<str:field>/",
        options_view(HandoverFilterSet, "handover.view_handover", extra={"owner": OWNER_SEARCH}),
        name="filter_options",
    ),
    path("<int:pk>/", views.HandoverDetailView.as_view(), name="handover_detail"),
    path("<int:pk>/edit/", views.HandoverUpdateView.as_view(), name="handover_update"),
    path("<int:pk>/transition/", views.handover_transition_view, name="handover_transition"),
    path("<int:pk>/checks/<int:check_pk>/", views.check_update_view, name="check_update"),
]
