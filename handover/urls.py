from django.urls import path

from itsm_pmo.views import area_overview

app_name = "handover"

urlpatterns = [
    path("", area_overview, {"area": "handover"}, name="index"),
]
