from django.urls import path

from . import action_views, cab_views, calendar_views, views

app_name = "changes"

urlpatterns = [
    path("", views.ChangeListView.as_view(), name="index"),
    path("new/", views.ChangeCreateView.as_view(), name="change_create"),
    path("cab/", cab_views.cab_queue_view, name="cab"),
    path("calendar/", calendar_views.ChangeCalendarView.as_view(), name="calendar"),
    path("calendar.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/reset/", calendar_views.calendar_feed_reset, name="calendar_feed_reset"),
    path("<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("<int:pk>/edit/", views.ChangeUpdateView.as_view(), name="change_update"),
    path("<int:pk>/transition/", action_views.change_transition_view, name="change_transition"),
    path("<int:pk>/decide/", action_views.change_decide_view, name="change_decide"),
    path("<int:pk>/risk/", action_views.change_risk_view, name="change_risk"),
    path(
        "<int:pk>/freeze-exception/",
        action_views.change_freeze_exception_view,
        name="change_freeze_exception",
    ),
    path("<int:pk>/review/", action_views.change_review_view, name="change_review"),
]
