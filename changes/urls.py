from django.urls import path

from itsm_pmo.autocomplete import options_view

from .filtersets import ChangeFilterSet
from .views import actions, cab, calendar, changes

app_name = "changes"

urlpatterns = [
    path("", changes.ChangeListView.as_view(), name="index"),
    path(
        "filter-options/<str:field>/",
        options_view(ChangeFilterSet, "changes.view_changerequest"),
        name="filter_options",
    ),
    path("new/", changes.ChangeCreateView.as_view(), name="change_create"),
    path("cab/", cab.cab_queue_view, name="cab"),
    path("calendar/", calendar.ChangeCalendarView.as_view(), name="calendar"),
    path("calendar.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/feed/reset/", calendar.calendar_feed_reset, name="calendar_feed_reset"),
    path("<int:pk>/", changes.ChangeDetailView.as_view(), name="change_detail"),
    path("<int:pk>/edit/", changes.ChangeUpdateView.as_view(), name="change_update"),
    path("<int:pk>/transition/", actions.change_transition_view, name="change_transition"),
    path("<int:pk>/decide/", actions.change_decide_view, name="change_decide"),
    path("<int:pk>/risk/", actions.change_risk_view, name="change_risk"),
    path(
        "<int:pk>/freeze-exception/",
        actions.change_freeze_exception_view,
        name="change_freeze_exception",
    ),
    path("<int:pk>/review/", actions.change_review_view, name="change_review"),
    path(
        "<int:pk>/review/correct/",
        actions.change_review_correct_view,
        name="change_review_correct",
    ),
]
