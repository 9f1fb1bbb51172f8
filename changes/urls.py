from django.urls import path

from itsm_pmo.views import area_overview

app_name = "changes"

urlpatterns = [
    path("", area_overview, {"area": "changes"}, name="index"),
]
