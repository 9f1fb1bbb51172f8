from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.TeamListView.as_view(), name="index"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
]
